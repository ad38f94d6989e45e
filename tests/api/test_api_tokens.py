"""Personal API tokens: made and revoked on the account page or with create_api_token."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from api_helpers import call
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_account_page_creates_a_token_shown_once_and_stored_hashed(client, alice, workspace):
    client.force_login(alice)
    page = client.get(reverse("account"))
    assert page.status_code == 200
    assert b"API tokens" in page.content and b"No API tokens yet" in page.content
    response = client.post(reverse("api_token_create"), {"name": "notebook"})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    secret = response.context["new"].secret
    assert secret.startswith("smk_") and len(secret) >= 40
    assert secret.encode() in response.content
    token = ApiToken.objects.get(user=alice)
    assert token.name == "notebook" and not token.read_only
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values()))
    # Never shown again: the account page lists it by name and its first characters only.
    listing = client.get(reverse("account")).content.decode()
    assert "notebook" in listing and secret[:8] in listing and secret not in listing
    assert "never used" in listing
    # The token works.
    assert call(client, "get", container_url(workspace), token=secret).status_code == 200


def container_url(workspace) -> str:
    return f"/api/workspaces/{workspace.slug}/annotations/"


def test_read_only_box_makes_a_read_only_token(client, alice):
    client.force_login(alice)
    client.post(reverse("api_token_create"), {"name": "reader", "read_only": "on"})
    assert ApiToken.objects.get(user=alice).read_only


def test_a_token_needs_a_name(client, alice):
    client.force_login(alice)
    response = client.post(reverse("api_token_create"), {"name": "  "}, follow=True)
    assert not ApiToken.objects.exists()
    assert b"Give the token a name" in response.content


def test_revoking_stops_the_token_at_once(client, alice, workspace):
    new = services.create_token(user=alice, name="script")
    assert call(client, "get", container_url(workspace), token=new.secret).status_code == 200
    client.force_login(alice)
    response = client.post(reverse("api_token_revoke", args=[new.token.pk]))
    assert response.status_code == 302
    refused = call(client, "get", container_url(workspace), token=new.secret)
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert "revoked" in client.get(reverse("account")).content.decode()


def test_nobody_revokes_someone_elses_token(client, alice, bob):
    new = services.create_token(user=alice, name="script")
    client.force_login(bob)
    assert client.post(reverse("api_token_revoke", args=[new.token.pk])).status_code == 404
    assert ApiToken.objects.get(pk=new.token.pk).revoked_at is None


def test_last_used_is_written_at_most_once_a_minute(
    client, alice, workspace, django_assert_num_queries
):
    new = services.create_token(user=alice, name="script")
    assert new.token.last_used_at is None
    call(client, "get", container_url(workspace), token=new.secret)
    first = ApiToken.objects.get(pk=new.token.pk).last_used_at
    assert first is not None
    call(client, "get", container_url(workspace), token=new.secret)
    assert ApiToken.objects.get(pk=new.token.pk).last_used_at == first
    ApiToken.objects.filter(pk=new.token.pk).update(last_used_at=first - timedelta(minutes=2))
    call(client, "get", container_url(workspace), token=new.secret)
    assert ApiToken.objects.get(pk=new.token.pk).last_used_at > first - timedelta(seconds=1)
    # Within the minute, noting the use costs no query at all.
    token = ApiToken.objects.get(pk=new.token.pk)
    token.last_used_at = timezone.now()
    with django_assert_num_queries(0):
        services.note_use(token=token)


def test_command_prints_the_token_on_its_last_line(alice, workspace, client):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_token", "alice", "--name", "pipeline", "--read-only", stdout=out, stderr=err
    )
    secret = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(user=alice)
    assert token.name == "pipeline" and token.read_only
    assert token.token_hash == services.hash_token(secret)
    assert call(client, "get", container_url(workspace), token=secret).status_code == 200
    with pytest.raises(CommandError, match="No user named"):
        call_command("create_api_token", "nobody", stdout=io.StringIO())


def test_command_defaults_to_a_read_write_token(alice):
    out = io.StringIO()
    call_command("create_api_token", "alice", stdout=out, stderr=io.StringIO())
    token = ApiToken.objects.get(user=alice)
    assert token.name == "command line" and not token.read_only


def test_tokens_are_unique_and_high_entropy(alice):
    secrets = {services.create_token(user=alice, name=f"t{i}").secret for i in range(20)}
    assert len(secrets) == 20
    assert all(len(secret) == len("smk_") + 43 for secret in secrets)
