from django.contrib import admin

from .models import Activity, Claim, ClaimTag, Reply, SourceTag


class ClaimTagInline(admin.TabularInline):
    model = ClaimTag
    extra = 0
    raw_id_fields = ["tag"]


class ReplyInline(admin.TabularInline):
    model = Reply
    extra = 0


# Where a claim sits: the article (and its workspace) and the W3C selectors the anchoring service
# computed from a reader's selection against one text version. Edited by hand they would point
# at other text, or at an article of another workspace; so the admin shows them only, and cannot
# create claims (they are made by selecting text on the reading page).
CLAIM_ANCHOR_FIELDS = [
    "article", "workspace", "exact", "prefix", "suffix", "start", "end", "text_version",
]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["id", "article", "author", "status", "visibility", "created_at"]
    list_filter = ["status", "visibility"]
    search_fields = ["exact", "note"]
    raw_id_fields = ["author"]
    readonly_fields = [*CLAIM_ANCHOR_FIELDS, "version", "created_at", "updated_at"]
    inlines = [ClaimTagInline, ReplyInline]

    def has_add_permission(self, request):
        return False


@admin.register(SourceTag)
class SourceTagAdmin(admin.ModelAdmin):
    list_display = ["label", "outlet", "cited", "anonymous", "workspace"]
    list_filter = ["anonymous", "workspace"]
    search_fields = ["label", "outlet", "cited"]


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["claim", "author", "created_at"]
    raw_id_fields = ["claim", "author"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """The change log is a record of what happened: it can be read here, never written."""

    list_display = [
        "created_at", "workspace", "actor", "verb", "summary", "claim_id", "visible_to",
    ]
    list_filter = ["verb", "workspace"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Rows go only with what they describe: deleting a workspace, an article or a user in
        # the admin cascades to its activity, and Django asks this permission for the rows it
        # would take along. The log's own pages (list, delete, bulk action) never delete.
        match = request.resolver_match
        own_page = match is not None and (match.url_name or "").startswith(
            f"{self.opts.app_label}_{self.opts.model_name}_"
        )
        return not own_page and super().has_delete_permission(request, obj)
