from django.contrib import admin

from .models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["created_at", "workspace", "actor", "verb", "claim_id", "visible_to"]
    list_filter = ["verb", "workspace"]
    raw_id_fields = ["actor", "visible_to"]
