import pytest
from django.urls import reverse
from factories import add_member, make_user, make_workspace

from workspaces import services
from workspaces.models import Membership, MembershipInvitation, Role, Workspace


def members_url(workspace) -> str:
    return reverse("workspaces:members", args=[workspace.pk])


def membership(workspace, user) -> Membership:
    return Membership.objects.get(workspace=workspace, user=user)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
class TestMembersPage:
    def test_owner_sees_members_roles_and_management(self, alice_client, workspace):
        response = alice_client.get(members_url(workspace))
        assert response.status_code == 200
        rows = [(m.user.username, m.role) for m in response.context["members"]]
        assert rows == [("alice", "owner"), ("bob", "editor")]
        content = response.content.decode()
        assert reverse("workspaces:add_member", args=[workspace.pk]) in content
        assert reverse("workspaces:create_invite", args=[workspace.pk]) in content
        bob_row = membership(workspace, workspace.members.get(username="bob"))
        assert reverse("workspaces:change_role", args=[workspace.pk, bob_row.pk]) in content
        assert "Last owner" in content  # alice's own row cannot be demoted

    def test_editor_sees_members_but_cannot_manage(self, client, bob, workspace):
        client.force_login(bob)
        response = client.get(members_url(workspace))
        assert response.status_code == 200
        content = response.content.decode()
        assert "alice" in content and "Owner" in content and "Editor" in content
        assert "Only owners can invite people" in content
        assert reverse("workspaces:add_member", args=[workspace.pk]) not in content
        assert "/role/" not in content and "/remove/" not in content
        assert reverse("workspaces:leave", args=[workspace.pk]) in content

    def test_outsider_gets_404(self, client, charlie, workspace):
        client.force_login(charlie)
        assert client.get(members_url(workspace)).status_code == 404

    def test_query_count_does_not_grow_with_members(
        self, alice_client, workspace, django_assert_max_num_queries
    ):
        for _ in range(10):
            add_member(workspace=workspace, user=make_user(), role=Role.VIEWER)
        with django_assert_max_num_queries(10):
            response = alice_client.get(members_url(workspace))
        assert len(response.context["members"]) == 12


INVITED_MESSAGE = (
    "Invited “{name}” as {role}. If that account exists, they see the invitation and join "
    "when they accept it."
)


@pytest.mark.django_db
class TestInviteMember:
    """Adding by username is a personal invitation: nobody joins a workspace without consent."""

    def url(self, workspace):
        return reverse("workspaces:add_member", args=[workspace.pk])

    def test_owner_invites_by_username_and_nobody_joins_yet(
        self, alice_client, alice, workspace, charlie
    ):
        response = alice_client.post(self.url(workspace), {"username": "Charlie", "role": "viewer"})
        assert response.status_code == 302
        assert not Membership.objects.filter(workspace=workspace, user=charlie).exists()
        invitation = MembershipInvitation.objects.get(workspace=workspace)
        assert (invitation.invitee, invitation.role, invitation.invited_by) == (
            charlie,
            Role.VIEWER,
            alice,
        )
        page = alice_client.get(response["Location"])
        assert messages_of(page) == [INVITED_MESSAGE.format(name="Charlie", role="viewer")]
        assert "Charlie" in page.content.decode()  # listed as pending
        assert workspace.memberships.count() == 2

    def test_unknown_username_gets_the_same_answer(self, alice_client, workspace, charlie):
        answers = []
        for name in ("charlie", "zoe"):
            response = alice_client.post(self.url(workspace), {"username": name, "role": "editor"})
            page = alice_client.get(response["Location"])
            answers.append(
                (
                    response.status_code,
                    response["Location"],
                    messages_of(page)[0].replace(name, "NAME"),
                )
            )
        assert answers[0] == answers[1]
        assert "There is no user" not in str(answers)
        # Both are listed alike as pending; only charlie's reaches an account.
        pending = {i.username: i.invitee for i in MembershipInvitation.objects.all()}
        assert pending == {"charlie": charlie, "zoe": None}

    def test_inactive_account_is_treated_as_unknown(self, alice_client, workspace):
        ghost = make_user("ghost")
        ghost.is_active = False
        ghost.save()
        alice_client.post(self.url(workspace), {"username": "ghost", "role": "editor"})
        assert MembershipInvitation.objects.get().invitee is None

    def test_inviting_again_updates_the_role(self, alice_client, workspace, charlie):
        alice_client.post(self.url(workspace), {"username": "charlie", "role": "viewer"})
        alice_client.post(self.url(workspace), {"username": "CHARLIE", "role": "editor"})
        invitation = MembershipInvitation.objects.get()
        assert invitation.role == Role.EDITOR and invitation.invitee == charlie

    def test_already_a_member(self, alice_client, workspace, bob):
        response = alice_client.post(self.url(workspace), {"username": "bob", "role": "viewer"})
        assert response.status_code == 400
        assert "bob is already a member of Fact-check desk." in response.content.decode()
        assert membership(workspace, bob).role == Role.EDITOR
        assert not MembershipInvitation.objects.exists()

    def test_invalid_role(self, alice_client, workspace, charlie):
        response = alice_client.post(self.url(workspace), {"username": "charlie", "role": "god"})
        assert response.status_code == 400
        assert not MembershipInvitation.objects.exists()

    def test_editor_gets_404(self, client, bob, workspace, charlie):
        client.force_login(bob)
        response = client.post(self.url(workspace), {"username": "charlie", "role": "owner"})
        assert response.status_code == 404
        assert not MembershipInvitation.objects.exists()

    def test_outsider_gets_404(self, client, charlie, workspace):
        client.force_login(charlie)
        response = client.post(self.url(workspace), {"username": "charlie", "role": "owner"})
        assert response.status_code == 404
        assert not Membership.objects.filter(user=charlie).exists()
        assert not MembershipInvitation.objects.exists()

    def test_owner_withdraws_an_invitation(self, client, alice, workspace, charlie, bob):
        invitation = services.invite_member(
            workspace=workspace, username="charlie", role=Role.EDITOR, invited_by=None
        )
        url = reverse("workspaces:withdraw_invitation", args=[workspace.pk, invitation.pk])
        client.force_login(bob)  # an editor cannot
        assert client.post(url).status_code == 404
        client.force_login(alice)
        assert client.post(url).status_code == 302
        assert not MembershipInvitation.objects.exists()
        client.force_login(charlie)
        assert "Fact-check desk" not in client.get(reverse("workspaces:list")).content.decode()


@pytest.mark.django_db
class TestAnswerInvitation:
    @pytest.fixture
    def invitation(self, workspace, alice, charlie):
        return services.invite_member(
            workspace=workspace, username="charlie", role=Role.VIEWER, invited_by=alice
        )

    def test_invitee_sees_it_on_the_list_and_in_the_header(self, client, charlie, invitation):
        client.force_login(charlie)
        page = client.get(reverse("articles:library"))
        content = page.content.decode()
        assert f'href="{reverse("workspaces:list")}#invitations"' in content
        assert page.context["current_workspace"] is None  # not a member: sees nothing of it
        listing = client.get(reverse("workspaces:list")).content.decode()
        assert "Fact-check desk" in listing and "alice invites you as" in listing
        assert reverse("workspaces:accept_invitation", args=[invitation.pk]) in listing
        assert reverse("workspaces:decline_invitation", args=[invitation.pk]) in listing

    def test_not_a_member_until_accepting(self, client, charlie, workspace, invitation):
        client.force_login(charlie)
        assert client.get(members_url(workspace)).status_code == 404
        response = client.post(
            reverse("workspaces:accept_invitation", args=[invitation.pk]), follow=True
        )
        assert membership(workspace, charlie).role == Role.VIEWER
        assert not MembershipInvitation.objects.exists()
        assert messages_of(response) == [
            "You joined Fact-check desk as viewer. You are working in it now."
        ]
        assert response.context["current_workspace"] == workspace
        assert client.get(members_url(workspace)).status_code == 200

    def test_joining_by_link_answers_the_invitation(self, client, charlie, workspace, invitation):
        link = services.create_invite(
            workspace=workspace, role=Role.EDITOR, days=1, created_by=None
        )
        client.force_login(charlie)
        client.post(link.get_absolute_url())
        assert membership(workspace, charlie).role == Role.EDITOR
        assert not MembershipInvitation.objects.exists()

    def test_declining(self, client, charlie, workspace, invitation):
        client.force_login(charlie)
        response = client.post(
            reverse("workspaces:decline_invitation", args=[invitation.pk]), follow=True
        )
        assert messages_of(response) == ["Declined the invitation to Fact-check desk."]
        assert not MembershipInvitation.objects.exists()
        assert not Membership.objects.filter(user=charlie).exists()

    @pytest.mark.parametrize("name", ["accept_invitation", "decline_invitation"])
    def test_someone_else_gets_404(self, client, bob, alice, invitation, name):
        url = reverse(f"workspaces:{name}", args=[invitation.pk])
        for other in (bob, alice):  # a member, even the owner who sent it
            client.force_login(other)
            assert client.post(url).status_code == 404
        assert MembershipInvitation.objects.filter(pk=invitation.pk).exists()

    def test_the_issue_scenario(self, client, alice, bob):
        """charlie creates "Demo desk" (sorts before bob's desk) and "adds" bob: bob's imports
        must still land in his own workspace, and charlie never gets bob in without consent."""
        newsroom = make_workspace(name="Demo newsroom", owner=alice)
        add_member(workspace=newsroom, user=bob, role=Role.EDITOR)
        client.force_login(make_user("charlie"))
        client.post(reverse("workspaces:create"), {"name": "Demo desk"})
        desk = Workspace.objects.get(name="Demo desk")
        client.post(
            reverse("workspaces:add_member", args=[desk.pk]), {"username": "bob", "role": "editor"}
        )
        assert not Membership.objects.filter(workspace=desk, user=bob).exists()
        client.force_login(bob)
        page = client.get(reverse("articles:import"))
        assert page.context["current_workspace"] == newsroom


@pytest.mark.django_db
class TestChangeRole:
    def url(self, workspace, member):
        return reverse("workspaces:change_role", args=[workspace.pk, member.pk])

    def test_owner_changes_a_role(self, alice_client, workspace, bob):
        target = membership(workspace, bob)
        response = alice_client.post(self.url(workspace, target), {"role": "viewer"})
        assert response.status_code == 302
        target.refresh_from_db()
        assert target.role == Role.VIEWER
        assert "bob is now viewer." in messages_of(alice_client.get(response["Location"]))

    def test_owner_can_make_another_owner(self, alice_client, workspace, bob):
        alice_client.post(self.url(workspace, membership(workspace, bob)), {"role": "owner"})
        assert membership(workspace, bob).role == Role.OWNER

    def test_last_owner_cannot_demote_themself(self, alice_client, workspace, alice):
        own = membership(workspace, alice)
        response = alice_client.post(self.url(workspace, own), {"role": "editor"}, follow=True)
        assert membership(workspace, alice).role == Role.OWNER
        assert messages_of(response) == [
            "You are the last owner of Fact-check desk: make someone else an owner before "
            "you change your role."
        ]

    def test_an_owner_may_step_down_when_another_owner_remains(
        self, alice_client, workspace, alice, bob
    ):
        Membership.objects.filter(workspace=workspace, user=bob).update(role=Role.OWNER)
        alice_client.post(self.url(workspace, membership(workspace, alice)), {"role": "editor"})
        assert membership(workspace, alice).role == Role.EDITOR
        # No longer an owner: managing is a 404 now.
        response = alice_client.post(
            self.url(workspace, membership(workspace, bob)), {"role": "viewer"}
        )
        assert response.status_code == 404

    def test_invalid_role_changes_nothing(self, alice_client, workspace, bob):
        response = alice_client.post(
            self.url(workspace, membership(workspace, bob)), {"role": "admin"}, follow=True
        )
        assert membership(workspace, bob).role == Role.EDITOR
        assert messages_of(response) == ["Choose owner, editor or viewer."]

    def test_editor_gets_404(self, client, bob, alice, workspace):
        client.force_login(bob)
        target = membership(workspace, alice)
        response = client.post(self.url(workspace, target), {"role": "viewer"})
        assert response.status_code == 404
        assert membership(workspace, alice).role == Role.OWNER

    def test_outsider_gets_404(self, client, charlie, bob, workspace):
        client.force_login(charlie)
        response = client.post(self.url(workspace, membership(workspace, bob)), {"role": "owner"})
        assert response.status_code == 404

    def test_membership_of_another_workspace_is_404(self, alice_client, workspace, alice, charlie):
        elsewhere = make_workspace(name="Elsewhere", owner=charlie)
        add_member(workspace=elsewhere, user=alice, role=Role.VIEWER)
        charlies = membership(elsewhere, charlie)
        response = alice_client.post(self.url(workspace, charlies), {"role": "viewer"})
        assert response.status_code == 404
        assert membership(elsewhere, charlie).role == Role.OWNER


@pytest.mark.django_db
class TestRemoveMember:
    def url(self, workspace, member):
        return reverse("workspaces:remove_member", args=[workspace.pk, member.pk])

    def test_owner_removes_a_member(self, alice_client, workspace, bob):
        response = alice_client.post(self.url(workspace, membership(workspace, bob)), follow=True)
        assert not Membership.objects.filter(workspace=workspace, user=bob).exists()
        assert messages_of(response) == ["Removed bob from Fact-check desk."]

    def test_removed_member_loses_access(self, alice_client, client, workspace, bob):
        alice_client.post(self.url(workspace, membership(workspace, bob)))
        client.force_login(bob)
        assert client.get(members_url(workspace)).status_code == 404

    def test_last_owner_cannot_remove_themself(self, alice_client, workspace, alice):
        response = alice_client.post(self.url(workspace, membership(workspace, alice)), follow=True)
        assert membership(workspace, alice).role == Role.OWNER
        assert messages_of(response) == [
            "You are the last owner of Fact-check desk: make someone else an owner before "
            "you leave."
        ]

    def test_owner_removing_themself_with_another_owner_left(
        self, alice_client, workspace, alice, bob
    ):
        Membership.objects.filter(workspace=workspace, user=bob).update(role=Role.OWNER)
        response = alice_client.post(self.url(workspace, membership(workspace, alice)))
        assert response["Location"] == reverse("workspaces:list")
        assert not Membership.objects.filter(workspace=workspace, user=alice).exists()

    def test_editor_gets_404(self, client, bob, alice, workspace):
        client.force_login(bob)
        response = client.post(self.url(workspace, membership(workspace, alice)))
        assert response.status_code == 404
        assert Membership.objects.filter(workspace=workspace, user=alice).exists()

    def test_outsider_gets_404(self, client, charlie, bob, workspace):
        client.force_login(charlie)
        assert client.post(self.url(workspace, membership(workspace, bob))).status_code == 404
        assert Membership.objects.filter(workspace=workspace, user=bob).exists()


@pytest.mark.django_db
class TestLeave:
    def url(self, workspace):
        return reverse("workspaces:leave", args=[workspace.pk])

    def test_member_leaves(self, client, bob, workspace):
        client.force_login(bob)
        response = client.post(self.url(workspace), follow=True)
        assert not Membership.objects.filter(workspace=workspace, user=bob).exists()
        assert messages_of(response) == ["You left Fact-check desk."]

    def test_last_owner_cannot_leave(self, alice_client, alice, workspace):
        response = alice_client.post(self.url(workspace), follow=True)
        assert Membership.objects.filter(workspace=workspace, user=alice).exists()
        assert "make someone else an owner before you leave" in messages_of(response)[0]

    def test_outsider_gets_404(self, client, charlie, workspace):
        client.force_login(charlie)
        assert client.post(self.url(workspace)).status_code == 404
