"""Writes for workspaces."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from .models import Membership, Role, Workspace


@transaction.atomic
def create_workspace(*, name: str, owner) -> Workspace:
    base = slugify(name)[:100] or "workspace"
    slug = base
    suffix = 2
    while Workspace.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    workspace = Workspace.objects.create(name=name, slug=slug)
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    return workspace


def add_member(*, workspace: Workspace, user, role: str = Role.EDITOR) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    return membership
