"""Permission checks for workspaces: anything a user is not a member of is a 404.

A member whose role is too low for a write URL gets a 404 as well: they cannot tell it exists.
"""

from django.http import Http404

from .models import Invite, Membership, MembershipInvitation, Role, Workspace


def membership_for(*, user, workspace_id: int) -> Membership:
    """The user's membership of a workspace, or Http404 when there is none."""
    if not user.is_authenticated:
        raise Http404("No such workspace")
    try:
        return Membership.objects.select_related("workspace").get(
            workspace_id=workspace_id, user=user
        )
    except Membership.DoesNotExist as exc:
        raise Http404("No such workspace") from exc


def workspace_for_member(*, user, workspace_id: int) -> Workspace:
    return membership_for(user=user, workspace_id=workspace_id).workspace


def owner_membership_for(*, user, workspace_id: int) -> Membership:
    """The user's membership if they own the workspace; Http404 for everyone else."""
    membership = membership_for(user=user, workspace_id=workspace_id)
    if membership.role != Role.OWNER:
        raise Http404("No such workspace")
    return membership


def member_of_workspace(*, workspace: Workspace, membership_id: int) -> Membership:
    """Another membership of the same workspace (for owners managing members), else 404."""
    try:
        return Membership.objects.select_related("user", "workspace").get(
            pk=membership_id, workspace=workspace
        )
    except Membership.DoesNotExist as exc:
        raise Http404("No such member") from exc


def invite_of_workspace(*, workspace: Workspace, invite_id: int) -> Invite:
    try:
        return Invite.objects.get(pk=invite_id, workspace=workspace)
    except Invite.DoesNotExist as exc:
        raise Http404("No such invite") from exc


def invitation_for_invitee(*, user, invitation_id: int) -> MembershipInvitation:
    """An invitation addressed to this user (to accept or decline); 404 for anyone else."""
    try:
        return MembershipInvitation.objects.select_related("workspace").get(
            pk=invitation_id, invitee=user
        )
    except MembershipInvitation.DoesNotExist as exc:
        raise Http404("No such invitation") from exc


def invitation_of_workspace(*, workspace: Workspace, invitation_id: int) -> MembershipInvitation:
    try:
        return MembershipInvitation.objects.get(pk=invitation_id, workspace=workspace)
    except MembershipInvitation.DoesNotExist as exc:
        raise Http404("No such invitation") from exc
