import pytest
from django.urls import reverse
from factories import add_member, make_workspace

from workspaces.models import Membership, Role, Workspace
from workspaces.selectors import SESSION_KEY


@pytest.mark.django_db
class TestCreateWorkspace:
    def test_form_page(self, alice_client):
        response = alice_client.get(reverse("workspaces:create"))
        assert response.status_code == 200
        assert b"New workspace" in response.content

    def test_any_signed_in_user_creates_one_and_owns_it(self, client, charlie):
        client.force_login(charlie)
        response = client.post(reverse("workspaces:create"), {"name": "  Election   desk "})
        workspace = Workspace.objects.get(name="Election desk")
        assert response.status_code == 302
        assert response["Location"] == reverse("workspaces:members", args=[workspace.pk])
        membership = Membership.objects.get(workspace=workspace)
        assert membership.user == charlie and membership.role == Role.OWNER
        assert client.session[SESSION_KEY] == workspace.pk
        # It is the current workspace now: the header says so.
        page = client.get(reverse("articles:library"))
        assert page.context["current_workspace"] == workspace

    def test_new_workspace_becomes_current_even_with_others(self, alice_client, workspace):
        alice_client.post(reverse("workspaces:create"), {"name": "Zeta desk"})
        created = Workspace.objects.get(name="Zeta desk")
        page = alice_client.get(reverse("articles:library"))
        assert page.context["current_workspace"] == created

    def test_slugs_stay_unique(self, client, alice, bob):
        client.force_login(alice)
        client.post(reverse("workspaces:create"), {"name": "Desk"})
        client.force_login(bob)
        client.post(reverse("workspaces:create"), {"name": "Desk"})
        assert sorted(Workspace.objects.values_list("slug", flat=True)) == ["desk", "desk-2"]

    @pytest.mark.parametrize("name", ["", "   ", "x" * 121])
    def test_invalid_name(self, alice_client, name):
        response = alice_client.post(reverse("workspaces:create"), {"name": name})
        assert response.status_code == 400
        assert b"field-error" in response.content
        assert not Workspace.objects.exists()

    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(reverse("workspaces:create"))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/workspaces/new/")


@pytest.mark.django_db
class TestWorkspaceList:
    def test_lists_the_users_workspaces_with_role_and_member_count(
        self, alice_client, workspace, bob
    ):
        other = make_workspace(name="Another desk", owner=bob)
        add_member(
            workspace=other, user=workspace.memberships.get(role=Role.OWNER).user, role=Role.VIEWER
        )
        solo = make_workspace(name="Not alice's")
        response = alice_client.get(reverse("workspaces:list"))
        assert response.status_code == 200
        rows = {m.workspace.name: m for m in response.context["memberships"]}
        assert set(rows) == {"Fact-check desk", "Another desk"}
        assert rows["Fact-check desk"].role == Role.OWNER
        assert rows["Fact-check desk"].member_count == 2
        assert rows["Another desk"].role == Role.VIEWER
        content = response.content.decode()
        assert reverse("workspaces:members", args=[workspace.pk]) in content
        assert reverse("workspaces:activity", args=[other.pk]) in content
        assert solo.name not in content

    def test_query_count_does_not_grow_with_workspaces(
        self, alice_client, alice, django_assert_max_num_queries
    ):
        for number in range(8):
            make_workspace(name=f"Desk {number}", owner=alice)
        with django_assert_max_num_queries(8):
            alice_client.get(reverse("workspaces:list"))

    def test_someone_without_workspaces_is_offered_to_create_one(self, client, charlie):
        client.force_login(charlie)
        response = client.get(reverse("workspaces:list"))
        assert response.status_code == 200
        assert b"Create a workspace" in response.content

    def test_navigation_links(self, alice_client, workspace, client, charlie):
        content = alice_client.get(reverse("articles:library")).content.decode()
        assert f'href="{reverse("workspaces:activity", args=[workspace.pk])}"' in content
        assert f'href="{reverse("workspaces:members", args=[workspace.pk])}"' in content
        client.force_login(charlie)
        content = client.get(reverse("articles:library")).content.decode()
        assert f'href="{reverse("workspaces:list")}"' in content


@pytest.mark.django_db
class TestDefaultWorkspace:
    """With nothing chosen in this session: the workspace used last, else one the user owns,
    else the one they joined first; never simply the first by name."""

    def test_a_new_session_starts_in_the_workspace_used_last(self, client, bob):
        early = make_workspace(name="Alpha desk")
        add_member(workspace=early, user=bob)
        late = make_workspace(name="Zulu desk")
        add_member(workspace=late, user=bob)
        client.force_login(bob)
        client.post(reverse("workspaces:switch"), {"workspace": late.pk})
        client.logout()
        client.force_login(bob)  # a new session: nothing chosen in it
        assert SESSION_KEY not in client.session
        page = client.get(reverse("articles:library"))
        assert page.context["current_workspace"] == late

    def test_otherwise_one_they_own(self, client, alice):
        joined = make_workspace(name="Alpha desk")
        add_member(workspace=joined, user=alice)
        owned = make_workspace(name="Zulu desk", owner=alice)
        client.force_login(alice)
        assert client.get(reverse("articles:library")).context["current_workspace"] == owned

    def test_otherwise_the_one_joined_first(self, client, bob):
        first = make_workspace(name="Zulu desk")
        add_member(workspace=first, user=bob)
        later = make_workspace(name="Alpha desk")
        add_member(workspace=later, user=bob)
        client.force_login(bob)
        assert client.get(reverse("articles:library")).context["current_workspace"] == first

    def test_joining_by_link_and_creating_count_as_use(self, client, bob, alice):
        from workspaces import services

        own = make_workspace(name="Alpha desk", owner=bob)
        other = make_workspace(name="Zulu desk", owner=alice)
        invite = services.create_invite(workspace=other, role=Role.EDITOR, days=1, created_by=alice)
        client.force_login(bob)
        client.post(invite.get_absolute_url())
        client.logout()
        client.force_login(bob)
        assert client.get(reverse("articles:library")).context["current_workspace"] == other
        client.post(reverse("workspaces:create"), {"name": "Middle desk"})
        client.logout()
        client.force_login(bob)
        current = client.get(reverse("articles:library")).context["current_workspace"]
        assert current.name == "Middle desk" and current != own
