"""Reads about workspaces and the user's current one."""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from . import caching
from .models import Invite, Membership, MembershipInvitation, Role, Workspace

SESSION_KEY = "current_workspace_id"

_ROLE_ORDER = Case(
    When(role=Role.OWNER, then=Value(0)),
    When(role=Role.EDITOR, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def memberships_for(*, user) -> list[Membership]:
    """The user's memberships by workspace name, each with `pending_invitations`: how many
    invitations await the user's answer (the same number on every row, in the same query)."""
    if not user.is_authenticated:
        return []
    # From the shared cache when there is one; workspaces/signals.py makes it stale.
    return caching.cached(
        kind=caching.MEMBERSHIPS, user_id=user.pk, load=lambda: _memberships_from_db(user=user)
    )


def _memberships_from_db(*, user) -> list[Membership]:
    pending = (
        MembershipInvitation.objects.filter(invitee=user)
        .order_by()
        .values("invitee")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return list(
        Membership.objects.filter(user=user)
        .select_related("workspace")
        .annotate(pending_invitations=Coalesce(Subquery(pending), 0))
        .order_by("workspace__name")
    )


def default_membership(memberships: list[Membership]) -> Membership | None:
    """Where a new session starts: the workspace used last, else the oldest one the user owns,
    else the one they joined first. Never simply the first by name: a workspace someone else
    made must not become the place one's imports land."""
    if not memberships:
        return None
    used = [m for m in memberships if m.last_used_at is not None]
    if used:
        return max(used, key=lambda m: m.last_used_at or m.created_at)
    owned = [m for m in memberships if m.role == Role.OWNER]
    return min(owned or memberships, key=lambda m: (m.created_at, m.pk))


def current_membership(*, request: HttpRequest) -> Membership | None:
    """The workspace the user is working in: the one chosen in this session, else
    `default_membership`.

    Cached on the request so a page costs one query for it however often it is asked.
    """
    if hasattr(request, "_current_membership"):
        return request._current_membership
    memberships = memberships_for(user=request.user)
    wanted = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    chosen = next((m for m in memberships if m.workspace_id == wanted), None)
    if chosen is None:
        chosen = default_membership(memberships)
    request._current_membership = chosen  # type: ignore[attr-defined]  # per request
    request._memberships = memberships  # type: ignore[attr-defined]
    return chosen


def all_memberships(*, request: HttpRequest) -> list[Membership]:
    current_membership(request=request)
    return request._memberships  # type: ignore[attr-defined]  # set just above


def pending_invitation_count(*, request: HttpRequest) -> int:
    """How many workspace invitations wait for the signed-in user's answer."""
    memberships = all_memberships(request=request)
    if memberships:
        return memberships[0].pending_invitations  # type: ignore[attr-defined]  # annotated
    if not request.user.is_authenticated:
        return 0
    return MembershipInvitation.objects.filter(invitee=request.user).count()


def invitations_for(*, user) -> list[MembershipInvitation]:
    """Invitations waiting for the user's answer, newest first."""
    return list(
        MembershipInvitation.objects.filter(invitee=user)
        .select_related("workspace", "invited_by")
        .order_by("-created_at", "-id")
    )


def invitations_of(*, workspace: Workspace) -> list[MembershipInvitation]:
    """A workspace's pending invitations, for its owners (existing accounts or not)."""
    return list(
        MembershipInvitation.objects.filter(workspace=workspace)
        .select_related("invited_by")
        .order_by("-created_at", "-id")
    )


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
