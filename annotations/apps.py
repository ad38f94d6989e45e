from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Claims"

    def ready(self) -> None:
        from articles.signals import article_imported

        from .handlers import suggest_after_import

        article_imported.connect(suggest_after_import, dispatch_uid="annotations.suggest")
