from django.apps import AppConfig


class ReadingConfig(AppConfig):
    """The top layer: pages that put articles, claims and the change log together."""

    name = "reading"
