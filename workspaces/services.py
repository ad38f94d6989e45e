"""Writes for workspaces: creating them, members and their roles, invitations, invite links,
and accounts created through an invite link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from . import caching
from .models import INVITE_ROLES, Invite, Membership, MembershipInvitation, Role, Workspace


class MembershipError(ValueError):
    """A change to the members that is not allowed; the message is shown as it is."""


class AccountError(ValueError):
    """An account cannot be created as asked; the message is shown as it is."""


class InviteUnavailable(Exception):
    """The invite link cannot be used: `reason` is "revoked", "expired" or "used up"."""

    def __init__(self, reason: str):
        super().__init__(f"This invite link is {reason}.")
        self.reason = reason


@dataclass(frozen=True)
class JoinResult:
    membership: Membership
    joined: bool  # False: the user was a member already (nothing changed)


@transaction.atomic
def create_workspace(*, name: str, owner) -> Workspace:
    name = name.strip()
    base = slugify(name)[:100] or "workspace"
    slug = base
    suffix = 2
    while Workspace.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    workspace = Workspace.objects.create(name=name, slug=slug)
    Membership.objects.create(
        workspace=workspace, user=owner, role=Role.OWNER, last_used_at=timezone.now()
    )
    return workspace


def add_member(*, workspace: Workspace, user, role: str = Role.EDITOR) -> Membership:
    """Add a user or set their role (idempotent; used by the demo data)."""
    membership, _ = Membership.objects.update_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    return membership


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise MembershipError(gettext("Choose owner, editor or viewer."))


def invite_member(
    *, workspace: Workspace, username: str, role: str, invited_by
) -> MembershipInvitation:
    """Invite an account, by username, to join with a role once they accept.

    Answers the same whether or not the username exists (or is active): the pending row is
    kept either way, and only a real, active account is ever shown the invitation. Inviting a
    name again updates the role. Members (whom the owner sees listed anyway) are refused.
    """
    _check_role(role)
    username = (username or "").strip()
    if not username:
        raise MembershipError(gettext("Enter a username."))
    User = get_user_model()
    name_field = f"{User.USERNAME_FIELD}__iexact"
    member = (
        Membership.objects.filter(workspace=workspace, **{f"user__{name_field}": username})
        .select_related("user")
        .first()
    )
    if member is not None:
        raise MembershipError(
            gettext("%(name)s is already a member of %(workspace)s.")
            % {"name": member.user.get_username(), "workspace": workspace.name}
        )
    invitee = User.objects.filter(is_active=True, **{name_field: username}).first()
    fields = {"role": role, "invited_by": invited_by, "invitee": invitee}
    try:
        with transaction.atomic():
            invitation, _ = MembershipInvitation.objects.update_or_create(
                workspace=workspace,
                username__iexact=username,
                defaults=fields,
                create_defaults={**fields, "username": username},
            )
    except IntegrityError:  # the account was invited under its former username
        invitation = MembershipInvitation.objects.get(workspace=workspace, invitee=invitee)
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: MembershipInvitation, user) -> JoinResult:
    """The invitee joins with the invited role (a member already keeps theirs)."""
    locked = (
        MembershipInvitation.objects.select_for_update()
        .select_related("workspace")
        .filter(pk=invitation.pk, invitee=user)
        .first()
    )
    if locked is None:  # declined or withdrawn a moment ago
        raise MembershipError(gettext("This invitation has been withdrawn."))
    invitation = locked
    membership, joined = Membership.objects.get_or_create(
        workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
    )
    invitation.delete()
    mark_used(membership=membership)
    return JoinResult(membership=membership, joined=joined)


def decline_invitation(*, invitation: MembershipInvitation) -> None:
    invitation.delete()


def withdraw_invitation(*, invitation: MembershipInvitation) -> None:
    invitation.delete()


def mark_used(*, membership: Membership) -> None:
    """Remember that the user chose this workspace: their next session starts in it."""
    membership.last_used_at = timezone.now()
    Membership.objects.filter(pk=membership.pk).update(last_used_at=membership.last_used_at)
    caching.forget(kind=caching.MEMBERSHIPS, user_ids=[membership.user_id])  # no signal


def _lock_owners(*, workspace_id: int) -> list[int]:
    """Lock the workspace's owner rows (so two owners cannot both step down at once)."""
    return list(
        Membership.objects.select_for_update()
        .filter(workspace_id=workspace_id, role=Role.OWNER)
        .values_list("pk", flat=True)
    )


def _last_owner_message(*, membership: Membership, acting_user, action: str) -> str:
    if membership.user_id == getattr(acting_user, "pk", None):
        message = {
            "change your role": gettext(
                "You are the last owner of %(workspace)s: make someone else an owner before "
                "you change your role."
            ),
            "leave": gettext(
                "You are the last owner of %(workspace)s: make someone else an owner before "
                "you leave."
            ),
        }.get(
            action,
            gettext(
                "You are the last owner of %(workspace)s: make someone else an owner before "
                "you remove them."
            ),
        )
        return message % {"workspace": membership.workspace.name}
    return gettext("%(name)s is the last owner of %(workspace)s.") % {
        "name": membership.user,
        "workspace": membership.workspace.name,
    }


@transaction.atomic
def change_role(*, membership: Membership, role: str, acting_user=None) -> Membership:
    """Give a member another role; a workspace always keeps at least one owner."""
    _check_role(role)
    owners = _lock_owners(workspace_id=membership.workspace_id)
    membership.refresh_from_db(fields=["role"])
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER and owners == [membership.pk]:
        raise MembershipError(
            _last_owner_message(
                membership=membership, acting_user=acting_user, action="change your role"
            )
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, acting_user=None) -> None:
    """Take someone out of a workspace (or leave it); the last owner cannot go."""
    owners = _lock_owners(workspace_id=membership.workspace_id)
    if owners == [membership.pk]:
        action = "leave" if membership.user_id == getattr(acting_user, "pk", None) else ""
        raise MembershipError(
            _last_owner_message(
                membership=membership, acting_user=acting_user, action=action or "remove them"
            )
        )
    membership.delete()


def create_invite(
    *, workspace: Workspace, role: str, days: int, created_by, max_uses: int | None = None
) -> Invite:
    if role not in INVITE_ROLES:
        raise MembershipError(gettext("An invite link can make editors or viewers."))
    if days < 1:
        raise MembershipError(gettext("An invite link must be valid for at least a day."))
    if max_uses is not None and max_uses < 1:
        raise MembershipError(gettext("An invite link must allow at least one use."))
    return Invite.objects.create(
        workspace=workspace,
        role=role,
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=days),
        max_uses=max_uses,
    )


def revoke_invite(*, invite: Invite) -> Invite:
    if invite.revoked_at is None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])
    return invite


@transaction.atomic
def accept_invite(*, invite: Invite, user) -> JoinResult:
    """Join the invite's workspace with its role; a member already keeps their role.

    Raises InviteUnavailable when the link is revoked, expired or used up.
    """
    invite = Invite.objects.select_for_update().select_related("workspace").get(pk=invite.pk)
    existing = (
        Membership.objects.select_related("workspace")
        .filter(workspace_id=invite.workspace_id, user=user)
        .first()
    )
    if existing is not None:
        return JoinResult(membership=existing, joined=False)
    reason = invite.unavailable_reason()
    if reason:
        raise InviteUnavailable(reason)
    membership = Membership.objects.create(
        workspace=invite.workspace, user=user, role=invite.role, last_used_at=timezone.now()
    )
    # A personal invitation to the same workspace has nothing left to answer.
    MembershipInvitation.objects.filter(workspace_id=invite.workspace_id, invitee=user).delete()
    invite.uses += 1
    invite.save(update_fields=["uses"])
    return JoinResult(membership=membership, joined=True)


def _create_user(*, username: str, password: str, email: str = ""):
    User = get_user_model()
    try:
        with transaction.atomic():
            return User.objects.create_user(
                **{User.USERNAME_FIELD: username, "email": email, "password": password}
            )
    except IntegrityError:  # the form checked, but someone took the name a moment ago
        raise AccountError(gettext("A user with that username already exists.")) from None


def set_email(*, user, email: str) -> None:
    """The address password-reset links go to ("" for none)."""
    user.email = get_user_model().objects.normalize_email(email.strip())
    user.save(update_fields=["email"])


def sign_up(*, username: str, password: str, email: str = ""):
    """A new account (open sign-up; the form has checked the name and the password)."""
    return _create_user(username=username, password=password, email=email)


@transaction.atomic
def sign_up_with_invite(
    *, invite: Invite, username: str, password: str, email: str = ""
) -> JoinResult:
    """Create an account and join the invite's workspace, or neither.

    Raises InviteUnavailable (and creates no account) when the link stopped working.
    """
    user = _create_user(username=username, password=password, email=email)
    return accept_invite(invite=invite, user=user)
