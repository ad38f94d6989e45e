from django.apps import AppConfig


class SourcemarkConfig(AppConfig):
    """Project-wide pieces that belong to no app: system checks."""

    name = "config"
    label = "sourcemark"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the checks)
