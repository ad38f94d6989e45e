from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from annotations.signals import bulk_tag_change

        from .services import queue_refresh

        bulk_tag_change.connect(queue_refresh, dispatch_uid="search.queue_refresh")
