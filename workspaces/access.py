"""Permission checks for workspaces: anything a user is not a member of is a 404."""

from django.http import Http404

from .models import Membership, Workspace


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
