from django.contrib import admin

from .models import Article, Block


class BlockInline(admin.TabularInline):
    model = Block
    extra = 0
    fields = ["position", "kind", "kind_is_manual", "text"]
    readonly_fields = ["position", "text"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "language", "workspace", "source", "created_at"]
    list_filter = ["language", "source", "workspace"]
    search_fields = ["title", "outlet", "url"]
    readonly_fields = ["created_at", "created_by", "text_version", "search_config"]
    inlines = [BlockInline]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["article", "position", "kind", "kind_is_manual"]
    list_filter = ["kind", "kind_is_manual"]
    search_fields = ["text"]
    raw_id_fields = ["article"]
