"""Refuse to serve production traffic with a guessable SECRET_KEY.

Django's own deploy check (security.W009) only warns, so `check --deploy` still passed and the
web server started with a one-character key. Here a weak key is an error for `check --deploy`
and the ASGI/WSGI application refuses to be created (config/asgi.py, config/wsgi.py). Commands
that sign nothing (`import_article --dry-run`, exports, migrations) run only the non-deploy
checks, so they keep working whatever the key.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

HOW_TO_MAKE_ONE = 'make one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'


def secret_key_weakness(key: str) -> str | None:
    """Why `key` is too weak to sign sessions, CSRF tokens and password-reset links, or None."""
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters, fewer than {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return (
            f"it has {len(set(key))} distinct characters, "
            f"fewer than {SECRET_KEY_MIN_UNIQUE_CHARACTERS}"
        )
    if key.startswith(SECRET_KEY_INSECURE_PREFIX):
        return f"it starts with {SECRET_KEY_INSECURE_PREFIX!r}, Django's placeholder prefix"
    return None


def weak_secret_key_problems() -> list[str]:
    """One message per weak key in SECRET_KEY / SECRET_KEY_FALLBACKS; empty when DEBUG is on."""
    if settings.DEBUG:
        return []
    problems = []
    weakness = secret_key_weakness(settings.SECRET_KEY)
    if weakness:
        problems.append(f"SECRET_KEY is too weak for DEBUG=0: {weakness}; {HOW_TO_MAKE_ONE}")
    for index, fallback in enumerate(settings.SECRET_KEY_FALLBACKS):
        weakness = secret_key_weakness(fallback)
        if weakness:
            problems.append(f"SECRET_KEY_FALLBACKS[{index}] is too weak for DEBUG=0: {weakness}")
    return problems


@register(Tags.security, deploy=True)
def check_secret_key_strength(app_configs, **kwargs) -> list[Error]:
    return [Error(problem, id="sourcemark.E001") for problem in weak_secret_key_problems()]


def refuse_weak_secret_key() -> None:
    """Called where the web server creates the application: no serving with a weak key."""
    problems = weak_secret_key_problems()
    if problems:
        raise ImproperlyConfigured("; ".join(problems))
