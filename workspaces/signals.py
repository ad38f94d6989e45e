"""Make cached users and memberships (workspaces/caching.py) stale when their rows change."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from . import caching
from .models import Membership, MembershipInvitation, Workspace


def user_changed(sender, instance, **kwargs) -> None:
    # A new password, a deactivation or a deletion: the very next request sees it.
    caching.forget(kind=caching.USER, user_ids=[instance.pk])


def membership_changed(sender, instance, **kwargs) -> None:
    # Joined, left, removed, a new role: the member's list (and current workspace) is stale.
    caching.forget(kind=caching.MEMBERSHIPS, user_ids=[instance.user_id])


def invitation_changed(sender, instance, **kwargs) -> None:
    # The cached memberships carry the number of invitations waiting for an answer.
    caching.forget(kind=caching.MEMBERSHIPS, user_ids=[instance.invitee_id])


def workspace_changed(sender, instance, **kwargs) -> None:
    # Renamed: every member's cached memberships show the workspace.
    members = Membership.objects.filter(workspace_id=instance.pk).values_list("user_id", flat=True)
    caching.forget(kind=caching.MEMBERSHIPS, user_ids=list(members))


def connect() -> None:
    user_model = get_user_model()
    for signal in (post_save, post_delete):
        signal.connect(user_changed, sender=user_model, dispatch_uid="cache-user")
        signal.connect(membership_changed, sender=Membership, dispatch_uid="cache-membership")
        signal.connect(
            invitation_changed, sender=MembershipInvitation, dispatch_uid="cache-invitation"
        )
    post_save.connect(workspace_changed, sender=Workspace, dispatch_uid="cache-workspace")
