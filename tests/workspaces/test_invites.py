from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import make_workspace

from workspaces import services
from workspaces.models import Invite, Membership, Role
from workspaces.selectors import SESSION_KEY

# config/urls.py mounts the invite links at /invite/; until it does, tests add them.
pytestmark = [pytest.mark.django_db]


@pytest.fixture
def invite(workspace, alice):
    return services.create_invite(workspace=workspace, role=Role.VIEWER, days=7, created_by=alice)


def join_url(invite) -> str:
    return f"/invite/{invite.token}/"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


class TestCreateInvite:
    def url(self, workspace):
        return reverse("workspaces:create_invite", args=[workspace.pk])

    @pytest.mark.parametrize("days", [1, 7, 30])
    def test_owner_creates_a_link(self, alice_client, alice, workspace, days):
        before = timezone.now()
        response = alice_client.post(self.url(workspace), {"role": "editor", "days": days})
        assert response.status_code == 302
        invite = Invite.objects.get()
        assert invite.workspace == workspace and invite.role == Role.EDITOR
        assert invite.created_by == alice and invite.max_uses is None and invite.uses == 0
        assert len(invite.token) == 32
        expected = before + timedelta(days=days)
        assert abs((invite.expires_at - expected).total_seconds()) < 60

    def test_link_is_listed_for_owners_only(self, alice_client, client, bob, workspace):
        alice_client.post(self.url(workspace), {"role": "viewer", "days": 1, "max_uses": 5})
        invite = Invite.objects.get()
        assert invite.max_uses == 5
        content = alice_client.get(reverse("workspaces:members", args=[workspace.pk])).content
        assert f"http://testserver/invite/{invite.token}/".encode() in content
        assert b"0 of 5" in content
        client.force_login(bob)
        content = client.get(reverse("workspaces:members", args=[workspace.pk])).content
        assert invite.token.encode() not in content

    def test_tokens_are_unique(self, workspace, alice):
        tokens = {
            services.create_invite(
                workspace=workspace, role=Role.EDITOR, days=1, created_by=alice
            ).token
            for _ in range(20)
        }
        assert len(tokens) == 20

    @pytest.mark.parametrize(
        "data",
        [
            {"role": "owner", "days": 7},
            {"role": "editor", "days": 3},
            {"role": "editor", "days": 7, "max_uses": 0},
        ],
    )
    def test_invalid_choices(self, alice_client, workspace, data):
        response = alice_client.post(self.url(workspace), data)
        assert response.status_code == 400
        assert b"field-error" in response.content
        assert not Invite.objects.exists()

    def test_editor_gets_404(self, client, bob, workspace):
        client.force_login(bob)
        response = client.post(self.url(workspace), {"role": "editor", "days": 7})
        assert response.status_code == 404
        assert not Invite.objects.exists()

    def test_outsider_gets_404(self, client, charlie, workspace):
        client.force_login(charlie)
        response = client.post(self.url(workspace), {"role": "editor", "days": 7})
        assert response.status_code == 404
        assert not Invite.objects.exists()


class TestRevokeInvite:
    def url(self, invite):
        return reverse("workspaces:revoke_invite", args=[invite.workspace_id, invite.pk])

    def test_owner_revokes(self, alice_client, invite):
        response = alice_client.post(self.url(invite))
        assert response.status_code == 302
        invite.refresh_from_db()
        assert invite.revoked_at is not None
        page = alice_client.get(reverse("workspaces:members", args=[invite.workspace_id]))
        assert invite.token not in page.content.decode()
        assert "Invite link revoked: it no longer works." in messages_of(page)

    def test_editor_gets_404(self, client, bob, invite):
        client.force_login(bob)
        assert client.post(self.url(invite)).status_code == 404
        invite.refresh_from_db()
        assert invite.revoked_at is None

    def test_outsider_gets_404(self, client, charlie, invite):
        client.force_login(charlie)
        assert client.post(self.url(invite)).status_code == 404

    def test_invite_of_another_workspace_is_404(self, alice_client, alice, workspace, charlie):
        elsewhere = make_workspace(name="Elsewhere", owner=charlie)
        theirs = services.create_invite(
            workspace=elsewhere, role=Role.EDITOR, days=7, created_by=charlie
        )
        url = reverse("workspaces:revoke_invite", args=[workspace.pk, theirs.pk])
        assert alice_client.post(url).status_code == 404
        theirs.refresh_from_db()
        assert theirs.revoked_at is None


class TestJoin:
    def test_page_shows_workspace_and_role(self, client, charlie, invite):
        client.force_login(charlie)
        response = client.get(join_url(invite))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Join Fact-check desk" in content
        assert "<strong>viewer</strong>" in content
        assert not Membership.objects.filter(user=charlie).exists()

    def test_joining(self, client, charlie, invite):
        client.force_login(charlie)
        response = client.post(join_url(invite))
        assert response.status_code == 302
        assert response["Location"] == reverse("articles:library")
        membership = Membership.objects.get(user=charlie)
        assert membership.workspace == invite.workspace and membership.role == Role.VIEWER
        assert client.session[SESSION_KEY] == invite.workspace_id
        invite.refresh_from_db()
        assert invite.uses == 1
        page = client.get(response["Location"])
        assert messages_of(page) == ["You joined Fact-check desk as viewer."]
        assert page.context["current_workspace"] == invite.workspace

    def test_signed_out_visitor_may_sign_in_or_create_an_account(self, client, invite):
        response = client.get(join_url(invite))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Join Fact-check desk" in content
        assert f'href="/accounts/login/?next=/invite/{invite.token}/"' in content
        assert f'href="/invite/{invite.token}/signup/"' in content
        # Joining itself needs an account: a POST goes to sign in and changes nothing.
        response = client.post(join_url(invite))
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next=/invite/{invite.token}/"
        assert Membership.objects.count() == 2

    def test_signed_out_visitor_is_told_when_a_link_no_longer_works(self, client, invite):
        services.revoke_invite(invite=invite)
        response = client.get(join_url(invite))
        assert response.status_code == 410
        assert "/signup/" not in response.content.decode()

    def test_already_a_member(self, client, bob, invite):
        client.force_login(bob)
        page = client.get(join_url(invite))
        assert page.status_code == 200
        assert "You are already in Fact-check desk" in page.content.decode()
        response = client.post(join_url(invite), follow=True)
        assert messages_of(response) == ["You are already a member of Fact-check desk."]
        assert Membership.objects.filter(user=bob).count() == 1
        assert Membership.objects.get(user=bob).role == Role.EDITOR  # not lowered to viewer
        invite.refresh_from_db()
        assert invite.uses == 0

    def test_unknown_token_is_404(self, client, charlie, invite):
        client.force_login(charlie)
        for response in (client.get("/invite/nope/"), client.post("/invite/nope/")):
            assert response.status_code == 404
            assert "This invite link does not exist" in response.content.decode()
        assert not Membership.objects.filter(user=charlie).exists()

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"revoked_at": timezone.now()}, "This invite link has been revoked."),
            (
                {"expires_at": timezone.now() - timedelta(seconds=1)},
                "This invite link has expired.",
            ),
            (
                {"max_uses": 1, "uses": 1},
                "This invite link has been used as many times as it allows.",
            ),
        ],
        ids=["revoked", "expired", "used-up"],
    )
    def test_link_that_no_longer_works_is_410(self, client, charlie, invite, change, message):
        Invite.objects.filter(pk=invite.pk).update(**change)
        client.force_login(charlie)
        for response in (client.get(join_url(invite)), client.post(join_url(invite))):
            assert response.status_code == 410
            content = response.content.decode()
            assert message in content
            assert "Ask an owner of Fact-check desk for a new link." in content
        assert not Membership.objects.filter(user=charlie).exists()

    def test_max_uses_is_enforced(self, client, workspace, alice, charlie):
        from factories import make_user

        invite = services.create_invite(
            workspace=workspace, role=Role.EDITOR, days=1, max_uses=1, created_by=alice
        )
        client.force_login(charlie)
        assert client.post(join_url(invite)).status_code == 302
        client.force_login(make_user("dora"))
        assert client.post(join_url(invite)).status_code == 410
        assert workspace.memberships.count() == 3
        invite.refresh_from_db()
        assert invite.uses == 1
        # Used up: it is no longer listed as active.
        page = client.get(reverse("workspaces:list"))
        assert page.status_code == 200
        client.force_login(alice)
        content = client.get(reverse("workspaces:members", args=[workspace.pk])).content
        assert invite.token.encode() not in content
