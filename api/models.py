"""Personal API tokens, and what the W3C protocol asks a server to keep of a posted annotation
that Sourcemark's claims have no place for (its `canonical` and `via` IRIs)."""

from django.conf import settings
from django.db import models

TOKEN_PREFIX = "smk_"  # noqa: S105 - a recognisable prefix, not a secret
MAX_TOKEN_NAME_LENGTH = 100


class ApiToken(models.Model):
    """A bearer token that acts as its user. Only the SHA-256 of the token is stored: the
    token itself is shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=MAX_TOKEN_NAME_LENGTH)
    # hex SHA-256 of the whole token ("smk_" + 43 url-safe characters).
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the token, so a person can tell their tokens apart.
    hint = models.CharField(max_length=16, editable=False)
    read_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Updated at most once a minute (api/tokens.py), not on every request.
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Writes in the current one-minute window (the API's write rate limit, api/tokens.py).
    window_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    window_writes = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="api_token_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…) of {self.user_id}"


class AnnotationIdentity(models.Model):
    """IRIs a client gave an annotation it posted: `canonical` is kept unchanged for ever (the
    protocol's MUST), `via` holds the IRIs it had elsewhere (the `id` it was posted with)."""

    claim = models.OneToOneField(
        "annotations.Claim",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="api_identity",
    )
    canonical = models.CharField(max_length=2000, blank=True)
    via = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"IRIs of claim {self.claim_id}"
