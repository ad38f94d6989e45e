from django.contrib import admin

from .models import Claim, ClaimTag, Reply, SourceTag


class ClaimTagInline(admin.TabularInline):
    model = ClaimTag
    extra = 0
    raw_id_fields = ["tag"]


class ReplyInline(admin.TabularInline):
    model = Reply
    extra = 0


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["id", "article", "author", "status", "visibility", "created_at"]
    list_filter = ["status", "visibility"]
    search_fields = ["exact", "note"]
    raw_id_fields = ["article", "author", "workspace"]
    inlines = [ClaimTagInline, ReplyInline]


@admin.register(SourceTag)
class SourceTagAdmin(admin.ModelAdmin):
    list_display = ["label", "outlet", "cited", "anonymous", "workspace"]
    list_filter = ["anonymous", "workspace"]
    search_fields = ["label", "outlet", "cited"]


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["claim", "author", "created_at"]
    raw_id_fields = ["claim", "author"]
