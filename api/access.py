"""Who is calling the API: a bearer token (RFC 6750), never a session cookie.

`/api/` ignores the browser session on purpose, so a page cannot make a signed-in browser
call the API (no CSRF to defend); a script sends `Authorization: Bearer smk_…`. Anything
past authentication uses the site's own rules (annotations/access.py, articles/access.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from . import services
from .models import ApiToken


class NotAuthenticated(Exception):
    """No usable token: 401 with `WWW-Authenticate: Bearer`."""

    def __init__(self, *, error: str = "", description: str = "") -> None:
        super().__init__(description or "This request needs an API token.")
        self.error = error  # RFC 6750: "invalid_token", or "" when none was sent
        self.description = description or "Send `Authorization: Bearer <your API token>`."


class ReadOnlyToken(Exception):
    """A read-only token tried to write: 403 with `error="insufficient_scope"`."""


@dataclass(frozen=True)
class Caller:
    token: ApiToken
    user: object


def bearer_token(*, authorization: str) -> str | None:
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def authenticate(*, authorization: str) -> Caller:
    """The caller a request's Authorization header names. Looked up by the token's SHA-256,
    so no comparison of secrets happens in Python (and none in variable time)."""
    if not authorization:
        raise NotAuthenticated()
    secret = bearer_token(authorization=authorization)
    if secret is None:
        raise NotAuthenticated(
            error="invalid_request",
            description="Only bearer tokens are accepted: `Authorization: Bearer <token>`.",
        )
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=services.hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        raise NotAuthenticated(
            error="invalid_token", description="This API token is unknown or was revoked."
        )
    services.note_use(token=token)
    return Caller(token=token, user=token.user)


def require_write(*, caller: Caller) -> None:
    if caller.token.read_only:
        raise ReadOnlyToken("This token is read-only: make a token with write access.")


def token_for_owner(*, user, pk: int) -> ApiToken:
    """One of the user's own tokens (anyone else's: 404)."""
    token = ApiToken.objects.filter(pk=pk, user=user).first() if user.is_authenticated else None
    if token is None:
        raise Http404("No such token")
    return token
