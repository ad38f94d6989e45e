from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """The Sources dashboard and the per-article source summary: read-only aggregates of the
    claims a member may see (annotations.access.visible_claims_q), charted."""

    name = "insights"
    verbose_name = "Insights"
