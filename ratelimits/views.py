"""Rate limits at the edge of a view: a decorator, the 429 page, and sign-in with limits.

No permanent lockout: every limit is a sliding window and refused requests are not counted,
so a block ends at most one window after the last counted hit. Failed sign-ins count per
username and per client address; a browser that has signed in to a username before carries a
signed "known device" cookie and counts against its own budget instead of the username's,
so someone guessing a victim's password from elsewhere cannot keep the victim out.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy, ngettext

from . import limiter
from .limiter import Decision

# What was paused, for the 429 page: (title, explanation).
ACTIONS = {
    "login": (
        gettext_lazy("Too many sign-in attempts"),
        gettext_lazy(
            "There have been too many failed sign-in attempts for this username or from your "
            "network, so signing in is paused for a while to keep the account safe."
        ),
    ),
    "invite": (
        gettext_lazy("Too many invite links"),
        gettext_lazy("You have opened or used many invite links in a short time."),
    ),
    "import": (
        gettext_lazy("Too many imports"),
        gettext_lazy(
            "You have imported many articles in a short time. Nothing was imported "
            "from this request."
        ),
    ),
    "claim": (
        gettext_lazy("Too many new claims"),
        gettext_lazy(
            "You have created many claims in a short time. This one was not saved; "
            "your selection is still there."
        ),
    ),
    "search": (
        gettext_lazy("Too many searches"),
        gettext_lazy(
            "You have searched very often in a short time. Wait a moment and search again."
        ),
    ),
}

DEVICE_COOKIE = "sourcemark_device"
DEVICE_SALT = "ratelimits.device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def wait_text(seconds: int) -> str:
    if seconds < 60:
        return ngettext("Try again in %(n)d second.", "Try again in %(n)d seconds.", seconds) % {
            "n": seconds
        }
    minutes = math.ceil(seconds / 60)
    return ngettext("Try again in %(n)d minute.", "Try again in %(n)d minutes.", minutes) % {
        "n": minutes
    }


def refusal_message(decision: Decision, *, action: str) -> str:
    title, explanation = ACTIONS[action]
    return f"{title}. {explanation} {wait_text(decision.retry_after)}"


def too_many_requests(request, decision: Decision, *, action: str):
    title, explanation = ACTIONS[action]
    response = render(
        request,
        "ratelimits/too_many_requests.html",
        {
            "title": title,
            "explanation": explanation,
            "action": action,
            "wait": wait_text(decision.retry_after),
        },
        status=429,
    )
    response["Retry-After"] = str(decision.retry_after)
    return response


def too_many_requests_json(request, decision: Decision, *, action: str):
    response = JsonResponse({"error": refusal_message(decision, action=action)}, status=429)
    response["Retry-After"] = str(decision.retry_after)
    return response


def _key(request, per: str) -> str:
    if per == "address" or not request.user.is_authenticated:
        return limiter.client_address(request)
    return str(request.user.pk)


def rate_limit(
    action: str,
    *,
    per: Iterable[str] = ("user",),
    methods: Iterable[str] = ("POST",),
    cost: Callable | None = None,
    respond: Callable = too_many_requests,
):
    """Count each request of `methods` against RATE_LIMITS[f"{action}_{per}"] for each `per`
    ("user" or "address"); once over a limit, answer with `respond` (the 429 page)."""
    per, methods = tuple(per), frozenset(methods)

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if request.method in methods:
                decision = limiter.check(
                    hits=[(f"{action}_{kind}", _key(request, kind)) for kind in per],
                    cost=cost(request) if cost else 1,
                )
                if not decision.allowed:
                    return respond(request, decision, action=action)
            return view(request, *args, **kwargs)

        return limited

    return decorator


def _known_device(request, username: str) -> str | None:
    """The id of this browser if it has signed in to `username` before, else None."""
    try:
        value = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE
        )
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("user") != limiter.key_for(username):
        return None
    return value.get("device")


@receiver(user_logged_in)
def _note_sign_in(sender, request, user, **kwargs):
    if request is not None:
        request.ratelimits_signed_in = True


def limit_failed_sign_ins(view):
    """Wrap a sign-in view (ours, the admin's): failed attempts count against
    RATE_LIMITS["login_address"] and ["login_username"] (or ["login_device"] for a browser
    that has signed in to that username before); past a limit, 429 without checking the
    password. A successful sign-in is not counted, and marks this browser as known."""

    @wraps(view)
    def limited(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        username = request.POST.get("username", "")
        device = _known_device(request, username)
        hits = [("login_address", limiter.client_address(request))]
        hits.append(("login_device", device) if device else ("login_username", username))
        decision = limiter.check(hits=hits)
        if not decision.allowed:
            return too_many_requests(request, decision, action="login")
        response = view(request, *args, **kwargs)
        if getattr(request, "ratelimits_signed_in", False):
            limiter.refund(decision)  # only failed attempts count
            response.set_cookie(
                DEVICE_COOKIE,
                signing.dumps(
                    {
                        "user": limiter.key_for(username),
                        "device": device or secrets.token_urlsafe(16),
                    },
                    salt=DEVICE_SALT,
                ),
                max_age=DEVICE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    return limited


login = limit_failed_sign_ins(auth_views.LoginView.as_view())
