from django.contrib import admin

from .models import CLAIM_PLACEMENT_FIELDS, Claim, ClaimTag, Reply, SourceTag


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
CLAIM_ANCHOR_FIELDS = ["article", "workspace", *CLAIM_PLACEMENT_FIELDS]


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
