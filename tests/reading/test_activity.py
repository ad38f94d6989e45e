import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import make_seed_article, make_workspace

from activity.models import Activity, ActivityVerb
from annotations import services as claim_services
from annotations.models import Visibility
from reading.selectors import ACTIVITY_PER_PAGE

QUOTE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"


@pytest.fixture
def article(workspace, alice):
    return make_seed_article(workspace=workspace, user=alice)


@pytest.fixture
def claim(article, alice):
    claim = claim_services.create_claim(
        article=article, author=alice, exact=QUOTE, start_utf16=None, end_utf16=None
    )
    # Start from an empty log whatever the services record by themselves.
    Activity.objects.all().delete()
    return claim


def log(*, workspace, actor, verb=ActivityVerb.CLAIM_CREATED, article=None, **fields) -> Activity:
    return Activity.objects.create(
        workspace=workspace,
        actor=actor,
        verb=verb,
        article_id=article.pk if article else None,
        **fields,
    )


def url(workspace, **params) -> str:
    base = reverse("workspaces:activity", args=[workspace.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.mark.django_db
class TestActivityPage:
    def test_rows_newest_first_with_actor_verb_summary_and_links(
        self, client, bob, workspace, alice, claim, article
    ):
        first = log(
            workspace=workspace,
            actor=alice,
            claim_id=claim.pk,
            article=article,
            summary="“Die Beamten sagen…”",
        )
        second = log(
            workspace=workspace,
            actor=bob,
            verb=ActivityVerb.TAG_RENAMED,
            summary="AP → Associated Press",
        )
        client.force_login(bob)
        response = client.get(url(workspace))
        assert response.status_code == 200
        assert [row.pk for row in response.context["page"]] == [second.pk, first.pk]
        content = response.content.decode()
        assert "created a claim" in content and "renamed a source tag" in content
        assert "AP → Associated Press" in content and "“Die Beamten sagen…”" in content
        assert f'href="/claims/{claim.pk}/"' in content
        assert f'href="/articles/{article.pk}/"' in content
        assert content.index("renamed a source tag") < content.index("created a claim")

    def test_rows_for_one_user_are_shown_only_to_them(self, client, alice, bob, workspace, article):
        private = claim_services.create_claim(
            article=article, author=alice, exact=QUOTE, visibility=Visibility.PRIVATE
        )
        Activity.objects.all().delete()
        log(
            workspace=workspace,
            actor=alice,
            claim_id=private.pk,
            article=article,
            visible_to=alice,
            summary="secret note",
        )
        public = log(workspace=workspace, actor=alice, verb=ActivityVerb.TAG_UPDATED)
        client.force_login(bob)
        response = client.get(url(workspace))
        assert [row.pk for row in response.context["page"]] == [public.pk]
        assert "secret note" not in response.content.decode()
        client.force_login(alice)
        content = client.get(url(workspace)).content.decode()
        assert "secret note" in content and f'href="/claims/{private.pk}/"' in content

    def test_deleted_claim_is_not_linked(self, alice_client, workspace, alice, claim):
        log(workspace=workspace, actor=alice, verb=ActivityVerb.CLAIM_DELETED, claim_id=claim.pk)
        claim_id = claim.pk
        claim.delete()
        content = alice_client.get(url(workspace)).content.decode()
        assert f'href="/claims/{claim_id}/"' not in content
        assert f"Claim {claim_id} (gone)" in content

    def test_other_workspaces_rows_are_not_shown(self, alice_client, workspace, alice, charlie):
        elsewhere = make_workspace(name="Elsewhere", owner=charlie)
        log(workspace=elsewhere, actor=charlie, summary="not for alice")
        mine = log(workspace=workspace, actor=alice, summary="for alice")
        response = alice_client.get(url(workspace))
        assert [row.pk for row in response.context["page"]] == [mine.pk]

    def test_paginated_25_per_page(self, alice_client, workspace, alice):
        assert ACTIVITY_PER_PAGE == 25
        rows = [log(workspace=workspace, actor=alice, summary=f"row {n}") for n in range(30)]
        page_one = alice_client.get(url(workspace)).context["page"]
        assert [row.pk for row in page_one] == [row.pk for row in reversed(rows)][:25]
        assert f'href="?before={rows[5].pk}"' in alice_client.get(url(workspace)).content.decode()
        page_two = alice_client.get(url(workspace), {"before": rows[5].pk})
        assert [row.pk for row in page_two.context["page"]] == [row.pk for row in rows[4::-1]]
        html = page_two.content.decode()
        assert f'href="?after={rows[4].pk}"' in html and "Older" not in html
        back = alice_client.get(url(workspace), {"after": rows[4].pk}).context["page"]
        assert [row.pk for row in back] == [row.pk for row in page_one]
        # An old page-numbered link still leads to the same rows.
        old_link = alice_client.get(url(workspace, page=2)).context["page"]
        assert [row.pk for row in old_link] == [row.pk for row in rows[4::-1]]

    def test_query_count_is_constant(self, alice_client, workspace, alice, bob, claim, article):
        def queries_for_page() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert alice_client.get(url(workspace)).status_code == 200
            return len(captured)

        log(workspace=workspace, actor=alice, claim_id=claim.pk, article=article)
        few = queries_for_page()
        for number in range(30):
            log(
                workspace=workspace,
                actor=bob if number % 2 else alice,
                claim_id=claim.pk,
                article=article,
                summary=f"row {number}",
            )
        assert queries_for_page() == few

    def test_empty_log(self, alice_client, workspace):
        response = alice_client.get(url(workspace))
        assert response.status_code == 200
        assert "Nothing has happened here yet" in response.content.decode()

    def test_outsider_gets_404(self, client, charlie, workspace, alice):
        log(workspace=workspace, actor=alice, summary="private to the desk")
        client.force_login(charlie)
        response = client.get(url(workspace))
        assert response.status_code == 404
        assert b"private to the desk" not in response.content

    def test_anonymous_is_sent_to_sign_in(self, client, workspace):
        response = client.get(url(workspace))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
