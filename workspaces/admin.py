from django.contrib import admin

from .models import Invite, Membership, MembershipInvitation, Workspace


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["workspace", "user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["workspace__name", "user__username"]
    autocomplete_fields = ["user", "workspace"]


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = [
        "workspace",
        "role",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "uses",
        "max_uses",
    ]
    list_filter = ["role"]
    search_fields = ["workspace__name", "created_by__username"]
    autocomplete_fields = ["workspace"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["token", "uses", "created_at"]


@admin.register(MembershipInvitation)
class MembershipInvitationAdmin(admin.ModelAdmin):
    list_display = ["workspace", "username", "invitee", "role", "invited_by", "created_at"]
    list_filter = ["role"]
    search_fields = ["workspace__name", "username"]
    autocomplete_fields = ["workspace"]
    raw_id_fields = ["invitee", "invited_by"]
