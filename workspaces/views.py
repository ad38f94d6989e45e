"""Workspace pages: the list, creating one, members, invitations and invite links, and creating
an account (through an invite link, or open sign-up when allowed). The activity log's page is in
`reading` (it shows claims, which sit above workspaces).

Anything the user is not a member of is a 404; so is every owner-only URL for other members.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratelimits.views import rate_limit

from . import selectors, services
from .access import (
    invitation_for_invitee,
    invitation_of_workspace,
    invite_of_workspace,
    member_of_workspace,
    membership_for,
    owner_membership_for,
)
from .forms import AddMemberForm, EmailForm, InviteForm, RoleForm, SignupForm, WorkspaceForm
from .models import Role, role_in_sentence
from .selectors import SESSION_KEY

INVITE_PROBLEMS = {
    "unknown": gettext_lazy("This invite link does not exist. Check that you copied all of it."),
    "revoked": gettext_lazy("This invite link has been revoked."),
    "expired": gettext_lazy("This invite link has expired."),
    "used up": gettext_lazy("This invite link has been used as many times as it allows."),
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
    services.mark_used(membership=membership)
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
        {
            "memberships": memberships,
            "current_id": current.workspace_id if current else None,
            "invitations": selectors.invitations_for(user=request.user),
        },
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
                request,
                gettext("Created %(name)s. Invite people to work on it with you.")
                % {"name": workspace.name},
            )
            return redirect("workspaces:members", pk=workspace.pk)
        status = 400
    return render(request, "workspaces/create.html", {"form": form}, status=status)


def _members_page(request, membership, *, add_form=None, invite_form=None, status=200):
    workspace = membership.workspace
    is_owner = membership.role == Role.OWNER
    members = selectors.members_of(workspace=workspace)
    invites = selectors.active_invites(workspace=workspace) if is_owner else []
    invitations = selectors.invitations_of(workspace=workspace) if is_owner else []
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
        "invitations": invitations,
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
    """Invite someone by username. The answer is the same whether or not the account exists."""
    membership = owner_membership_for(user=request.user, workspace_id=pk)
    form = AddMemberForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invite_member(
                workspace=membership.workspace,
                username=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except services.MembershipError as error:
            form.add_error("username", str(error))
        else:
            messages.success(
                request,
                gettext(
                    "Invited “%(username)s” as %(role)s. "
                    "If that account exists, they see the invitation and join when they accept it."
                )
                % {"username": invitation.username, "role": role_in_sentence(invitation.role)},
            )
            return redirect(reverse("workspaces:members", kwargs={"pk": pk}) + "#invitations")
    return _members_page(request, membership, add_form=form, status=400)


@require_POST
def withdraw_invitation(request, pk: int, invitation_pk: int):
    membership = owner_membership_for(user=request.user, workspace_id=pk)
    invitation = invitation_of_workspace(
        workspace=membership.workspace, invitation_id=invitation_pk
    )
    services.withdraw_invitation(invitation=invitation)
    messages.success(
        request,
        gettext("Withdrew the invitation of “%(username)s”.") % {"username": invitation.username},
    )
    return redirect(reverse("workspaces:members", kwargs={"pk": pk}) + "#invitations")


@require_POST
def accept_invitation(request, invitation_pk: int):
    """The invitee joins: the workspace becomes their current one (they chose it)."""
    invitation = invitation_for_invitee(user=request.user, invitation_id=invitation_pk)
    try:
        result = services.accept_invitation(invitation=invitation, user=request.user)
    except services.MembershipError as error:
        messages.error(request, str(error))
        return redirect("workspaces:list")
    workspace = result.membership.workspace
    request.session[SESSION_KEY] = workspace.pk
    role = role_in_sentence(result.membership.role)
    if result.joined:
        messages.success(
            request,
            gettext("You joined %(name)s as %(role)s. You are working in it now.")
            % {"name": workspace.name, "role": role},
        )
    else:
        messages.info(
            request, gettext("You are already a member of %(name)s.") % {"name": workspace.name}
        )
    return redirect("articles:library")


@require_POST
def decline_invitation(request, invitation_pk: int):
    invitation = invitation_for_invitee(user=request.user, invitation_id=invitation_pk)
    services.decline_invitation(invitation=invitation)
    messages.success(
        request,
        gettext("Declined the invitation to %(name)s.") % {"name": invitation.workspace.name},
    )
    return redirect("workspaces:list")


@require_POST
def change_role(request, pk: int, member_pk: int):
    membership = owner_membership_for(user=request.user, workspace_id=pk)
    target = member_of_workspace(workspace=membership.workspace, membership_id=member_pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose owner, editor or viewer."))
        return redirect("workspaces:members", pk=pk)
    try:
        services.change_role(
            membership=target, role=form.cleaned_data["role"], acting_user=request.user
        )
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext("%(name)s is now %(role)s.")
            % {"name": target.user.get_username(), "role": role_in_sentence(target.role)},
        )
    return redirect("workspaces:members", pk=pk)


def _remove(request, *, membership, target):
    try:
        services.remove_member(membership=target, acting_user=request.user)
    except services.MembershipError as error:
        messages.error(request, str(error))
        return redirect("workspaces:members", pk=membership.workspace_id)
    if target.user_id == request.user.pk:
        messages.success(
            request, gettext("You left %(name)s.") % {"name": membership.workspace.name}
        )
        return redirect("workspaces:list")
    messages.success(
        request,
        gettext("Removed %(name)s from %(workspace)s.")
        % {"name": target.user.get_username(), "workspace": membership.workspace.name},
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
    messages.success(request, gettext("Invite link created: copy it from the list below."))
    return redirect(reverse("workspaces:members", kwargs={"pk": pk}) + "#invites")


@require_POST
def revoke_invite(request, pk: int, invite_pk: int):
    membership = owner_membership_for(user=request.user, workspace_id=pk)
    invite = invite_of_workspace(workspace=membership.workspace, invite_id=invite_pk)
    services.revoke_invite(invite=invite)
    messages.success(request, gettext("Invite link revoked: it no longer works."))
    return redirect(reverse("workspaces:members", kwargs={"pk": pk}) + "#invites")


def _invite_problem(request, *, reason: str, invite=None):
    return render(
        request,
        "workspaces/invite_invalid.html",
        {"reason": reason, "message": INVITE_PROBLEMS[reason], "invite": invite},
        status=404 if reason == "unknown" else 410,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@rate_limit("invite", per=("user", "address"), methods=("GET", "POST"))
def join(request, token: str):
    """An invite link: GET shows where it leads, POST joins. A signed-out visitor is offered
    to sign in or to create an account through the link."""
    invite = selectors.invite_by_token(token=token)
    if invite is None:
        return _invite_problem(request, reason="unknown")
    if not request.user.is_authenticated:
        return _join_signed_out(request, invite=invite)
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
                gettext("You joined %(name)s as %(role)s.")
                % {"name": workspace.name, "role": role_in_sentence(result.membership.role)},
            )
        else:
            messages.info(
                request, gettext("You are already a member of %(name)s.") % {"name": workspace.name}
            )
        return redirect("articles:library")
    member = next(
        (
            m
            for m in selectors.all_memberships(request=request)
            if m.workspace_id == invite.workspace_id
        ),
        None,
    )
    if member is None:
        reason = invite.unavailable_reason()
        if reason:
            return _invite_problem(request, reason=reason, invite=invite)
    return render(request, "workspaces/join.html", _join_context(invite, member=member))


def _join_context(invite, *, member=None) -> dict:
    return {
        "invite": invite,
        "workspace": invite.workspace,
        "member": member,
        "role_label": role_in_sentence(invite.role),
    }


def _join_signed_out(request, *, invite):
    if request.method == "POST":
        return redirect_to_login(request.get_full_path())
    reason = invite.unavailable_reason()
    if reason:
        return _invite_problem(request, reason=reason, invite=invite)
    context = _join_context(invite)
    context["sign_in_url"] = f"{reverse(settings.LOGIN_URL)}?next={invite.get_absolute_url()}"
    return render(request, "workspaces/join.html", context)


def _start_session(request, *, user, workspace=None) -> None:
    login(request, user, backend="workspaces.caching.CachedModelBackend")
    if workspace is not None:
        request.session[SESSION_KEY] = workspace.pk


@login_not_required
@require_http_methods(["GET", "POST"])
@rate_limit("invite", per=("address",), methods=("POST",))
def invite_signup(request, token: str):
    """Create an account through a valid invite link and join its workspace at once."""
    invite = selectors.invite_by_token(token=token)
    if invite is None:
        return _invite_problem(request, reason="unknown")
    if request.user.is_authenticated:
        return redirect(invite.get_absolute_url())
    reason = invite.unavailable_reason()
    if reason:
        return _invite_problem(request, reason=reason, invite=invite)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.sign_up_with_invite(
                invite=invite,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data["email"],
            )
        except services.InviteUnavailable as error:
            return _invite_problem(request, reason=error.reason, invite=invite)
        except services.AccountError as error:
            form.add_error("username", str(error))
        else:
            membership = result.membership
            _start_session(request, user=membership.user, workspace=membership.workspace)
            messages.success(
                request,
                gettext("Welcome, %(name)s: you joined %(workspace)s as %(role)s.")
                % {
                    "name": membership.user.get_username(),
                    "workspace": membership.workspace.name,
                    "role": role_in_sentence(membership.role),
                },
            )
            return redirect("articles:library")
    return render(
        request,
        "registration/signup.html",
        {"form": form, **_join_context(invite)},
        status=400 if request.method == "POST" else 200,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request):
    """Open sign-up, only where settings.OPEN_SIGNUP allows it (otherwise a 404: accounts are
    made through invite links)."""
    if not settings.OPEN_SIGNUP:
        raise Http404("Sign-up is by invitation")
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_up(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data["email"],
            )
        except services.AccountError as error:
            form.add_error("username", str(error))
        else:
            _start_session(request, user=user)
            messages.success(
                request,
                gettext(
                    "Welcome, %(name)s. Create a workspace, or open an invite link "
                    "someone sent you."
                )
                % {"name": user.get_username()},
            )
            return redirect("workspaces:list")
    return render(
        request,
        "registration/signup.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def account(request):
    """The signed-in user's account: the email address for password resets, and a link to
    change the password."""
    form = EmailForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST":
        if form.is_valid():
            services.set_email(user=request.user, email=form.cleaned_data["email"])
            messages.success(
                request,
                gettext("Email address saved.")
                if request.user.email
                else gettext("Email address removed."),
            )
            return redirect("account")
        return render(request, "registration/account.html", {"form": form}, status=400)
    return render(request, "registration/account.html", {"form": form})
