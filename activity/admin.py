from django.contrib import admin

from .models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """The change log is a record of what happened: it can be read here, never written."""

    list_display = [
        "created_at",
        "workspace",
        "actor",
        "verb",
        "summary",
        "claim_id",
        "visible_to",
    ]
    list_filter = ["verb", "workspace"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Rows go only with what they describe: deleting a workspace or a user in the admin
        # cascades to its activity, and Django asks this permission for the rows it
        # would take along. The log's own pages (list, delete, bulk action) never delete.
        match = request.resolver_match
        own_page = match is not None and (match.url_name or "").startswith(
            f"{self.opts.app_label}_{self.opts.model_name}_"
        )
        return not own_page and super().has_delete_permission(request, obj)
