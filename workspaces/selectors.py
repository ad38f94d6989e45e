"""Reads about workspaces and the user's current one."""

from __future__ import annotations

from django.http import HttpRequest

from .models import Membership

SESSION_KEY = "current_workspace_id"


def memberships_for(*, user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name")
    )


def current_membership(*, request: HttpRequest) -> Membership | None:
    """The workspace the user is working in: the one chosen in the header, else their first.

    Cached on the request so a page costs one query for it however often it is asked.
    """
    if hasattr(request, "_current_membership"):
        return request._current_membership
    memberships = memberships_for(user=request.user)
    wanted = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    chosen = next((m for m in memberships if m.workspace_id == wanted), None)
    if chosen is None and memberships:
        chosen = memberships[0]
    request._current_membership = chosen
    request._memberships = memberships
    return chosen


def all_memberships(*, request: HttpRequest) -> list[Membership]:
    current_membership(request=request)
    return request._memberships
