"""Workspace pages: the list, creating one, members and invite links, the activity log.

Anything the user is not a member of is a 404; so is every owner-only URL for other members.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratelimits.views import rate_limit

from . import selectors, services
from .access import (
    invite_of_workspace,
    member_of_workspace,
    membership_for,
    owner_membership_for,
)
from .forms import AddMemberForm, InviteForm, RoleForm, WorkspaceForm
from .models import Role
from .selectors import SESSION_KEY

INVITE_PROBLEMS = {
    "unknown": "This invite link does not exist. Check that you copied all of it.",
    "revoked": "This invite link has been revoked.",
    "expired": "This invite link has expired.",
    "used up": "This invite link has been used as many times as it allows.",
}


@require_POST
def switch(request):
    """Make another of the user's workspaces the current one (404 if not a member)."""
    try:
        workspace_id = int(request.POST.get("workspace", ""))
    except ValueError:
        workspace_id = 0
    membership = membership_for(user=request.user, workspace_id=workspace_id)
    request.session[SESSION_KEY] = membership.workspace_id
    target = request.POST.get("next") or "/"
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        target = "/"
    # Not redirect(): it would try `next` as a view name ("0", "home") and fail with a 500.
    return HttpResponseRedirect(target)


@require_GET
def workspace_list(request):
    memberships = selectors.workspaces_with_counts(user=request.user)
    current = selectors.current_membership(request=request)
    return render(
        request,
        "workspaces/list.html",
        {"memberships": memberships, "current_id": current.workspace_id if current else None},
    )


@require_http_methods(["GET", "POST"])
def create(request):
    form = WorkspaceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            workspace = services.create_workspace(
                name=form.cleaned_data["name"], owner=request.user
            )
            request.session[SESSION_KEY] = workspace.pk
            messages.success(
                request, f"Created {workspace.name}. Invite people to work on it with you."
            )
            return redirect("workspaces:members", pk=workspace.pk)
        status = 400
    return render(request, "workspaces/create.html", {"form": form}, status=status)


def _members_page(request, membership, *, add_form=None, invite_form=None, status=200):
    workspace = membership.workspace
    is_owner = membership.role == Role.OWNER
    members = selectors.members_of(workspace=workspace)
    invites = selectors.active_invites(workspace=workspace) if is_owner else []
    for invite in invites:
        invite.link = request.build_absolute_uri(invite.get_absolute_url())
    context = {
        "workspace": workspace,
        "membership": membership,
        "is_owner": is_owner,
        "members": members,
        "owner_count": sum(1 for member in members if member.role == Role.OWNER),
        "roles": Role.choices,
        "invites": invites,
        "add_form": add_form or AddMemberForm(),
        "invite_form": invite_form or InviteForm(),
    }
    return render(request, "workspaces/members.html", context, status=status)


@require_GET
def members(request, pk: int):
    membership = membership_for(user=request.user, workspace_id=pk)
    return _members_page(request, membership)


@require_POST
def add_member(request, pk: int):
    membership = owner_membership_for(user=request.user, workspace_id=pk)
    form = AddMemberForm(request.POST)
    if form.is_valid():
        try:
            added = services.invite_member(
                workspace=membership.workspace,
                username=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
            )
        except services.MembershipError as error:
            form.add_error("username", str(error))
        else:
            messages.success(
                request,
                f"Added {added.user.get_username()} as {added.get_role_display().lower()}.",
            )
            return redirect("workspaces:members", pk=pk)
    return _members_page(request, membership, add_form=form, status=400)


@require_POST
def change_role(request, pk: int, member_pk: int):
    membership = owner_membership_for(user=request.user, workspace_id=pk)
    target = member_of_workspace(workspace=membership.workspace, membership_id=member_pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose owner, editor or viewer.")
        return redirect("workspaces:members", pk=pk)
    try:
        services.change_role(
            membership=target, role=form.cleaned_data["role"], acting_user=request.user
        )
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{target.user.get_username()} is now {target.get_role_display().lower()}."
        )
    return redirect("workspaces:members", pk=pk)


def _remove(request, *, membership, target):
    try:
        services.remove_member(membership=target, acting_user=request.user)
    except services.MembershipError as error:
        messages.error(request, str(error))
        return redirect("workspaces:members", pk=membership.workspace_id)
    if target.user_id == request.user.pk:
        messages.success(request, f"You left {membership.workspace.name}.")
        return redirect("workspaces:list")
    messages.success(
        request, f"Removed {target.user.get_username()} from {membership.workspace.name}."
    )
    return redirect("workspaces:members", pk=membership.workspace_id)


@require_POST
def remove_member(request, pk: int, member_pk: int):
    membership = owner_membership_for(user=request.user, workspace_id=pk)
    target = member_of_workspace(workspace=membership.workspace, membership_id=member_pk)
    return _remove(request, membership=membership, target=target)


@require_POST
def leave(request, pk: int):
    """Any member may leave a workspace, except its last owner."""
    membership = membership_for(user=request.user, workspace_id=pk)
    return _remove(request, membership=membership, target=membership)


@require_POST
def create_invite(request, pk: int):
    membership = owner_membership_for(user=request.user, workspace_id=pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _members_page(request, membership, invite_form=form, status=400)
    try:
        services.create_invite(
            workspace=membership.workspace,
            role=form.cleaned_data["role"],
            days=form.cleaned_data["days"],
            max_uses=form.cleaned_data["max_uses"],
            created_by=request.user,
        )
    except services.MembershipError as error:
        form.add_error(None, str(error))
        return _members_page(request, membership, invite_form=form, status=400)
    messages.success(request, "Invite link created: copy it from the list below.")
    return redirect(reverse("workspaces:members", kwargs={"pk": pk}) + "#invites")


@require_POST
def revoke_invite(request, pk: int, invite_pk: int):
    membership = owner_membership_for(user=request.user, workspace_id=pk)
    invite = invite_of_workspace(workspace=membership.workspace, invite_id=invite_pk)
    services.revoke_invite(invite=invite)
    messages.success(request, "Invite link revoked: it no longer works.")
    return redirect(reverse("workspaces:members", kwargs={"pk": pk}) + "#invites")


@require_GET
def activity(request, pk: int):
    membership = membership_for(user=request.user, workspace_id=pk)
    page = selectors.activity_page(
        workspace=membership.workspace, user=request.user, page_number=request.GET.get("page")
    )
    return render(
        request,
        "workspaces/activity.html",
        {"workspace": membership.workspace, "membership": membership, "page": page},
    )


def _invite_problem(request, *, reason: str, invite=None):
    return render(
        request,
        "workspaces/invite_invalid.html",
        {"reason": reason, "message": INVITE_PROBLEMS[reason], "invite": invite},
        status=404 if reason == "unknown" else 410,
    )


@require_http_methods(["GET", "POST"])
@rate_limit("invite", per=("user", "address"), methods=("GET", "POST"))
def join(request, token: str):
    """An invite link: GET shows where it leads, POST joins (signing in comes first)."""
    invite = selectors.invite_by_token(token=token)
    if invite is None:
        return _invite_problem(request, reason="unknown")
    if request.method == "POST":
        try:
            result = services.accept_invite(invite=invite, user=request.user)
        except services.InviteUnavailable as error:
            return _invite_problem(request, reason=error.reason, invite=invite)
        workspace = result.membership.workspace
        request.session[SESSION_KEY] = workspace.pk
        if result.joined:
            messages.success(
                request,
                f"You joined {workspace.name} as "
                f"{result.membership.get_role_display().lower()}.",
            )
        else:
            messages.info(request, f"You are already a member of {workspace.name}.")
        return redirect("articles:library")
    member = next(
        (m for m in selectors.all_memberships(request=request)
         if m.workspace_id == invite.workspace_id),
        None,
    )
    if member is None:
        reason = invite.unavailable_reason()
        if reason:
            return _invite_problem(request, reason=reason, invite=invite)
    return render(
        request,
        "workspaces/join.html",
        {"invite": invite, "workspace": invite.workspace, "member": member,
         "role_label": invite.get_role_display().lower()},
    )
