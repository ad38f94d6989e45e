"""Issue 11: the export page does not build a choice for every article (nor a UNION of users):
ids are checked against the workspace by query, and articles are found by search."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import make_article, make_bulk_article, make_user, make_workspace

from annotations import services
from annotations.forms import ExportForm
from workspaces.models import Membership

EXPORT_PAGE = reverse("annotations:export")
DOWNLOAD = reverse("annotations:export_download")
SEARCH = reverse("annotations:export_articles")


def page_queries(client, url, params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.django_db
class TestExportFormAtScale:
    def test_page_lists_only_chosen_articles_and_queries_stay_constant(
        self, alice_client, workspace
    ):
        first = make_bulk_article(workspace=workspace, blocks=1, title="Budget talks stall")
        small, html = page_queries(alice_client, EXPORT_PAGE, {"article": first.pk})
        assert f'value="{first.pk}" checked' in html
        for number in range(40):
            make_bulk_article(workspace=workspace, blocks=1, title=f"Story number {number}")
        large, html = page_queries(alice_client, EXPORT_PAGE, {"article": first.pk})
        assert large == small
        assert "Story number" not in html  # no choice per article

    def test_article_search_offers_matches_and_keeps_the_ticked(
        self, alice_client, workspace, alice, charlie
    ):
        budget = make_article(
            workspace=workspace,
            user=alice,
            title="Budget talks stall",
            text="Budget talks stall\n\nThe budget vote is delayed again.",
        )
        ticked = make_article(workspace=workspace, user=alice, title="Harbour strike")
        elsewhere = make_article(
            workspace=make_workspace(owner=charlie),
            user=charlie,
            title="Budget elsewhere",
            text="Budget elsewhere\n\nBudget.",
        )
        response = alice_client.get(
            SEARCH, {"article_q": "budget", "article": ticked.pk}, HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        assert f'value="{ticked.pk}" checked' in html
        assert f'value="{budget.pk}">' in html
        assert f'value="{elsewhere.pk}"' not in html
        assert "<html" not in html  # the fragment only

    def test_find_button_without_script_keeps_the_form(self, alice_client, workspace, alice):
        budget = make_article(
            workspace=workspace,
            user=alice,
            title="Budget talks stall",
            text="Budget talks stall\n\nThe budget vote is delayed again.",
        )
        html = alice_client.get(
            EXPORT_PAGE,
            {
                "filtered": "1",
                "article_q": "budget",
                "status": "disputed",
                "raw": "on",
                "format": "jsonld",
            },
        ).content.decode()
        assert f'value="{budget.pk}">' in html
        for ticked in ('value="disputed"', 'name="raw"', 'value="jsonld"'):
            assert re.search(ticked + r"[^>]*checked", html), ticked
        assert not re.search(r'name="only_tagged"[^>]*checked', html)  # it was left off

    def test_ids_are_checked_against_the_workspace(self, alice_client, workspace, alice, charlie):
        mine = make_article(workspace=workspace, user=alice)
        theirs = make_article(workspace=make_workspace(owner=charlie), user=charlie)
        assert alice_client.get(DOWNLOAD, {"article": theirs.pk}).status_code == 400
        assert alice_client.get(DOWNLOAD, {"article": "9" * 30}).status_code == 400
        assert alice_client.get(DOWNLOAD, {"annotator": charlie.pk}).status_code == 400
        assert alice_client.get(DOWNLOAD, {"article": mine.pk}).status_code == 200

    def test_annotators_are_members_and_former_members_who_wrote(self, workspace, alice, bob):
        article = make_article(workspace=workspace, user=alice)
        services.create_claim(
            article=article, author=bob, exact="The first paragraph says what happened"
        )
        Membership.objects.filter(workspace=workspace, user=bob).delete()
        stranger = make_user()
        form = ExportForm(workspace=workspace, user=alice)
        people = [label for _, label in form.fields["annotator"].choices]
        assert people == ["alice", "bob"] and stranger.username not in people
        bound = ExportForm({"annotator": [bob.pk]}, workspace=workspace, user=alice)
        assert bound.is_valid() and bound.cleaned_data["annotator"] == [bob.pk]
