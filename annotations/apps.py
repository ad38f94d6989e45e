from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Claims"

    def ready(self) -> None:
        from articles.signals import article_imported

        from .handlers import suggest_after_import

        article_imported.connect(suggest_after_import, dispatch_uid="annotations.suggest")

        from articles.signals import article_text_changed

        from .revisions import on_article_text_changed

        # Claims follow a new revision in the transaction that made it.
        article_text_changed.connect(on_article_text_changed, dispatch_uid="annotations.reanchor")
