import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


# A role inside a sentence ("You are editor here"): lower case in English, but a German noun
# keeps its capital, so lower-casing the label would be wrong there.
ROLE_IN_SENTENCE: dict[str, object] = {  # lazy translations
    Role.OWNER: pgettext_lazy("role in a sentence", "owner"),
    Role.EDITOR: pgettext_lazy("role in a sentence", "editor"),
    Role.VIEWER: pgettext_lazy("role in a sentence", "viewer"),
}


def role_in_sentence(role: str) -> str:
    return str(ROLE_IN_SENTENCE.get(role) or role)


# Roles that may import articles, fix block kinds and create claims.
WRITER_ROLES = frozenset({Role.OWNER, Role.EDITOR})


class Workspace(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="workspaces"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the user last chose this workspace (switched to it, created or joined it): a new
    # session starts in the one used last, not in whichever sorts first.
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=[role.value for role in Role]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"

    @property
    def can_write(self) -> bool:
        return self.role in WRITER_ROLES


# How long a new invite link stays valid, in days (the form's choices).
INVITE_EXPIRY_DAYS = (1, 7, 30)
# Roles an invite link may grant: a link is a bearer token, so it never makes an owner.
INVITE_ROLES = (Role.EDITOR, Role.VIEWER)


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


class Invite(models.Model):
    """A link that lets whoever holds it (and is signed in) join a workspace with a role."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=64, unique=True, default=new_invite_token, editable=False)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EDITOR)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # None: any number of people may join with the link until it expires.
    max_uses = models.PositiveIntegerField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[role.value for role in Role]),
                name="invite_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(max_uses__isnull=True) | models.Q(max_uses__gte=1),
                name="invite_max_uses_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Invite to {self.workspace} as {self.role}"

    def get_absolute_url(self) -> str:
        return reverse("invites:join", args=[self.token])

    def unavailable_reason(self, *, now=None) -> str:
        """Why the link cannot be used any more ("" while it can)."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        if self.max_uses is not None and self.uses >= self.max_uses:
            return "used up"
        return ""


class MembershipInvitation(models.Model):
    """An owner's personal invitation of one account, by username: nobody joins without consent.

    `username` is what the owner typed. `invitee` is the active account of that name when the
    invitation was sent, else null: owners see the same pending row either way, so inviting
    never tells them which usernames exist. Only the invitee ever sees (and may accept or
    decline) an invitation; until they accept they are not a member.
    """

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="member_invitations"
    )
    username = models.CharField(max_length=150)
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workspace_invitations",
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.EDITOR)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "invitee"], name="member_invitation_unique_invitee"
            ),
            models.UniqueConstraint(
                "workspace", Lower("username"), name="member_invitation_unique_username"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[role.value for role in Role]),
                name="member_invitation_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} invited to {self.workspace} as {self.role}"
