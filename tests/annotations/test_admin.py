"""The admin shows the activity log and claim anchors but cannot change them (issue 9, item 14)."""

import pytest
from django.urls import reverse
from factories import make_seed_article, make_user

from activity.models import Activity
from annotations import services
from annotations.models import Claim
from workspaces.models import Workspace

SENTENCE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"


@pytest.fixture
def admin_client(client, db):
    admin = make_user("admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    return client


@pytest.fixture
def claim(workspace, alice):
    article = make_seed_article(workspace=workspace, user=alice)
    return services.create_claim(article=article, author=alice, exact=SENTENCE)


def inline_management(prefix: str) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_the_activity_log_can_be_read_but_not_written(admin_client, claim):
    activity = Activity.objects.get(claim_id=claim.pk)
    logged = (activity.verb, activity.summary, activity.actor_id)
    change_url = reverse("admin:activity_activity_change", args=[activity.pk])

    changelist = admin_client.get(reverse("admin:activity_activity_changelist"))
    assert changelist.status_code == 200
    assert activity.summary in changelist.text
    assert change_url in changelist.text
    assert "delete_selected" not in changelist.text

    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert 'name="verb"' not in page.text

    assert (
        admin_client.post(change_url, {"verb": "claim.deleted", "summary": "x"}).status_code == 403
    )
    assert admin_client.get(reverse("admin:activity_activity_add")).status_code == 403
    delete_url = reverse("admin:activity_activity_delete", args=[activity.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = admin_client.post(
        reverse("admin:activity_activity_changelist"),
        {"action": "delete_selected", "_selected_action": [activity.pk], "post": "yes"},
    )
    assert bulk.status_code in {200, 302}
    activity.refresh_from_db()  # raises if it was deleted
    assert (activity.verb, activity.summary, activity.actor_id) == logged


def test_deleting_a_workspace_in_the_admin_still_takes_its_activity_along(admin_client, claim):
    workspace = claim.workspace
    url = reverse("admin:workspaces_workspace_delete", args=[workspace.pk])
    assert "permission to delete" not in admin_client.get(url).text
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Workspace.objects.filter(pk=workspace.pk).exists()
    assert not Activity.objects.filter(workspace_id=workspace.pk).exists()


def test_claim_anchors_are_shown_but_not_editable(admin_client, claim, alice):
    url = reverse("admin:annotations_claim_change", args=[claim.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert SENTENCE in page.text
    for anchor_field in [
        "article",
        "workspace",
        "exact",
        "prefix",
        "suffix",
        "start",
        "end",
        "text_version",
    ]:
        assert f'name="{anchor_field}"' not in page.text
    assert 'name="note"' in page.text

    anchored = Claim.objects.values(
        "article", "workspace", "exact", "prefix", "suffix", "start", "end", "text_version"
    ).get(pk=claim.pk)
    response = admin_client.post(
        url,
        {
            "author": alice.pk,
            "status": claim.status,
            "visibility": claim.visibility,
            "note": "Checked by the desk.",
            "exact": "forged",
            "start": "0",
            "end": "3",
            "text_version": "9",
            "article": "",
            **inline_management("claim_tags"),
            **inline_management("replies"),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.note == "Checked by the desk."
    assert Claim.objects.values(*anchored).get(pk=claim.pk) == anchored


def test_claims_cannot_be_added_in_the_admin(admin_client, db):
    assert admin_client.get(reverse("admin:annotations_claim_add")).status_code == 403
