"""Reads about workspaces and the user's current one."""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.http import HttpRequest
from django.utils import timezone

from .models import Invite, Membership, Role, Workspace

SESSION_KEY = "current_workspace_id"

_ROLE_ORDER = Case(
    When(role=Role.OWNER, then=Value(0)),
    When(role=Role.EDITOR, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


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


def workspaces_with_counts(*, user) -> list[Membership]:
    """The user's memberships, each with `member_count` of its workspace, by workspace name."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user)
        .select_related("workspace")
        .annotate(member_count=Count("workspace__memberships"))
        .order_by("workspace__name", "workspace_id")
    )


def members_of(*, workspace: Workspace) -> list[Membership]:
    """Everyone in a workspace: owners first, then editors, then viewers; by username."""
    return list(
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by(_ROLE_ORDER, "user__username")
    )


def owner_count(*, workspace_id: int) -> int:
    return Membership.objects.filter(workspace_id=workspace_id, role=Role.OWNER).count()


def active_invites(*, workspace: Workspace) -> list[Invite]:
    """Invite links that still work: not revoked, not expired, not used up; newest first."""
    now = timezone.now()
    return list(
        Invite.objects.filter(workspace=workspace, revoked_at__isnull=True, expires_at__gt=now)
        .filter(Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses")))
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def invite_by_token(*, token: str) -> Invite | None:
    """The invite with this token (whatever its state), with its workspace; None if unknown."""
    if not token or len(token) > 64:
        return None
    return Invite.objects.select_related("workspace").filter(token=token).first()
