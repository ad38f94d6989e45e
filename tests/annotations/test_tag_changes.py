"""Issue 9, item 7: renaming and merging tags is confirmed first, can be undone, and only
those who may change every claim concerned can do it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from factories import add_member, make_seed_article, make_user

from activity.models import Activity
from annotations import services
from annotations.models import ClaimTag, SourceTag, TagChange
from workspaces.models import Role

FIRST = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"
SECOND = "Moskau habe bereits damit begonnen"


@pytest.fixture
def seed(workspace, alice):
    return make_seed_article(workspace=workspace, user=alice)


@pytest.fixture
def tagged(seed, alice, bob):
    """alice's claim tagged "WSJ" and "Wall Street Journal"; bob's claim tagged "WSJ"."""
    hers = services.create_claim(article=seed, author=alice, exact=FIRST)
    his = services.create_claim(article=seed, author=bob, exact=SECOND)
    wsj = services.add_tag(claim=hers, label="WSJ", user=alice)
    services.add_tag(claim=his, label="WSJ", user=bob)
    journal = services.add_tag(claim=hers, label="Wall Street Journal", user=alice)
    return {"hers": hers, "his": his, "wsj": wsj, "journal": journal}


def post(client, name, pk, **data):
    return client.post(reverse(f"annotations:{name}", args=[pk]), data)


@pytest.mark.django_db
class TestConfirmation:
    def test_rename_asks_first_and_changes_nothing(self, alice_client, tagged):
        response = post(alice_client, "rename_tag", tagged["wsj"].pk, label="WSJ (Dow Jones)")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Rename “WSJ” to “WSJ (Dow Jones)”?" in html
        assert "2 claims on 1 article, 1 of them by other people" in html
        assert 'name="confirm" value="yes"' in html and "<html" in html  # a page of its own
        tagged["wsj"].refresh_from_db()
        assert tagged["wsj"].label == "WSJ" and not TagChange.objects.exists()

    def test_htmx_gets_the_confirmation_alone(self, alice_client, tagged):
        response = alice_client.post(
            reverse("annotations:merge_tag", args=[tagged["journal"].pk]),
            {"into": tagged["wsj"].pk},
            HTTP_HX_REQUEST="true",
        )
        html = response.content.decode()
        assert "Merge “Wall Street Journal” into “WSJ”?" in html and "<html" not in html
        assert SourceTag.objects.filter(pk=tagged["journal"].pk).exists()

    def test_tag_page_wires_the_forms_to_the_confirmation(self, alice_client, tagged):
        html = alice_client.get(reverse("annotations:tags")).content.decode()
        assert "can be undone" in html and 'id="tag-confirm"' in html
        # The row's forms load when it is opened (htmx), or on a page of their own.
        manage = reverse("annotations:manage_tag", args=[tagged["wsj"].pk])
        assert f'hx-get="{manage}" hx-trigger="toggle once"' in html
        assert f'href="{manage}"' in html
        rename = reverse("annotations:rename_tag", args=[tagged["wsj"].pk])
        for headers in ({"HTTP_HX_REQUEST": "true"}, {}):
            tools = alice_client.get(manage, **headers).content.decode()
            assert f'action="{rename}" hx-post="{rename}" hx-target="#tag-confirm"' in tools
            assert ("<html" in tools) is not bool(headers)

    def test_a_bad_label_is_refused_before_confirming(self, alice_client, tagged):
        response = post(alice_client, "rename_tag", tagged["wsj"].pk, label="a; b")
        assert response.status_code == 302
        follow = alice_client.get(response["Location"]).content.decode()
        assert "semicolon" in follow


@pytest.mark.django_db
class TestUndo:
    def test_undo_a_rename(self, alice_client, alice, tagged):
        wsj = tagged["wsj"]
        done = post(alice_client, "rename_tag", wsj.pk, label="WSJ via AP", confirm="yes")
        change = TagChange.objects.get()
        assert done["Location"] == f"{reverse('annotations:tags')}?done={change.pk}"
        page = alice_client.get(done["Location"]).content.decode()
        assert "Renamed “WSJ” to “WSJ via AP”." in page
        assert reverse("annotations:undo_tag_change", args=[change.pk]) in page
        wsj.refresh_from_db()
        # "X via Y": Y relays what X said.
        assert (wsj.label, wsj.outlet, wsj.cited) == ("WSJ via AP", "AP", "WSJ")
        undone = post(alice_client, "undo_tag_change", change.pk)
        assert undone.status_code == 302
        wsj.refresh_from_db()
        assert (wsj.label, wsj.outlet, wsj.cited) == ("WSJ", "WSJ", "")
        assert Activity.objects.filter(
            verb="tag.renamed", summary="WSJ via AP → WSJ (undone)"
        ).exists()
        again = alice_client.post(
            reverse("annotations:undo_tag_change", args=[change.pk]), follow=True
        )
        assert "already been undone" in again.content.decode()

    def test_undo_a_merge_restores_every_claim(self, alice_client, alice, tagged):
        hers, his, wsj, journal = tagged["hers"], tagged["his"], tagged["wsj"], tagged["journal"]
        order_before = list(hers.claim_tags.values_list("tag_id", flat=True))
        post(alice_client, "merge_tag", wsj.pk, into=journal.pk, confirm="yes")
        assert not SourceTag.objects.filter(pk=wsj.pk).exists()
        assert list(his.tags.all()) == [journal] and list(hers.tags.all()) == [journal]
        change = TagChange.objects.get()
        post(alice_client, "undo_tag_change", change.pk)
        restored = SourceTag.objects.get(pk=wsj.pk)
        assert restored.label == "WSJ" and restored.owner is None
        assert list(his.tags.all()) == [restored]
        assert list(hers.claim_tags.values_list("tag_id", flat=True)) == order_before
        assert ClaimTag.objects.filter(tag=journal).count() == 1
        assert Activity.objects.filter(
            verb="tag.updated", summary__contains="merge undone"
        ).exists()

    def test_undo_after_a_later_rename_is_refused(self, alice_client, tagged):
        wsj = tagged["wsj"]
        post(alice_client, "rename_tag", wsj.pk, label="WSJ via AP", confirm="yes")
        change = TagChange.objects.get()
        post(alice_client, "rename_tag", wsj.pk, label="WSJ via Reuters", confirm="yes")
        response = alice_client.post(
            reverse("annotations:undo_tag_change", args=[change.pk]), follow=True
        )
        assert "renamed again since" in response.content.decode()
        wsj.refresh_from_db()
        assert wsj.label == "WSJ via Reuters"

    def test_only_the_one_who_changed_it_can_undo(self, client, alice, bob, tagged):
        services.rename_tag(tag=tagged["journal"], label="The WSJ", actor=alice)
        change = TagChange.objects.get()
        client.force_login(bob)
        assert post(client, "undo_tag_change", change.pk).status_code == 404
        page = client.get(f"{reverse('annotations:tags')}?done={change.pk}").content.decode()
        assert "Undo" not in page


@pytest.mark.django_db
class TestWhoMay:
    def test_an_editor_cannot_rename_or_merge_a_tag_on_others_claims(self, client, bob, tagged):
        client.force_login(bob)
        wsj = tagged["wsj"]
        assert post(client, "rename_tag", wsj.pk, label="x", confirm="yes").status_code == 404
        assert (
            post(client, "merge_tag", wsj.pk, into=tagged["journal"].pk, confirm="yes").status_code
            == 404
        )
        wsj.refresh_from_db()
        assert wsj.label == "WSJ"
        html = client.get(reverse("annotations:tags")).content.decode()
        assert "no one else&#x27;s claim uses" in html or "no one else's claim uses" in html
        assert reverse("annotations:manage_tag", args=[wsj.pk]) not in html
        manage = client.get(reverse("annotations:manage_tag", args=[wsj.pk]))
        assert manage.status_code == 404

    def test_an_editor_manages_tags_only_they_use(self, client, bob, tagged):
        own = services.add_tag(claim=tagged["his"], label="AFP", user=bob)
        client.force_login(bob)
        post(client, "rename_tag", own.pk, label="AFP citing officials", confirm="yes")
        own.refresh_from_db()
        assert own.label == "AFP citing officials"
        # Merging their own tag into a shared one only retags their own claims: allowed.
        post(client, "merge_tag", own.pk, into=tagged["wsj"].pk, confirm="yes")
        assert not SourceTag.objects.filter(pk=own.pk).exists()

    def test_the_owner_manages_any_shared_tag(self, alice_client, tagged):
        wsj = tagged["wsj"]
        post(alice_client, "rename_tag", wsj.pk, label="Wall St. Journal", confirm="yes")
        wsj.refresh_from_db()
        assert wsj.label == "Wall St. Journal"

    def test_a_viewer_manages_nothing(self, client, seed, tagged):
        viewer = make_user("dora")
        add_member(workspace=seed.workspace, user=viewer, role=Role.VIEWER)
        client.force_login(viewer)
        assert post(client, "rename_tag", tagged["wsj"].pk, label="x").status_code == 404
        assert "Rename or merge" not in client.get(reverse("annotations:tags")).content.decode()
