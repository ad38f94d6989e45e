"""Issue 11: the library at a newsroom's size: a search ranks only its newest matches (and
says so on its last page), and typing in the search box does not recount the filter menus."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import make_article

from articles import selectors


@pytest.fixture
def budget_articles(workspace, alice):
    return [
        make_article(
            workspace=workspace,
            user=alice,
            title=f"Budget story {n}",
            outlet=f"Outlet {n % 3}",
            language="en",
        )
        for n in range(8)
    ]


@pytest.mark.django_db
def test_a_search_ranks_the_newest_matches_and_says_so(alice_client, budget_articles, monkeypatch):
    monkeypatch.setattr(selectors, "RANKED_MATCHES", 5)
    html = alice_client.get(reverse("articles:library"), {"q": "budget"}).content.decode()
    shown = [a.title for a in budget_articles if f">{a.title}<" in html]
    assert shown == [a.title for a in budget_articles[-5:]]
    assert "These are the best of the newest 5 matches" in html


@pytest.mark.django_db
def test_a_search_within_the_window_says_nothing_of_it(alice_client, budget_articles):
    html = alice_client.get(reverse("articles:library"), {"q": "budget"}).content.decode()
    assert all(f">{a.title}<" in html for a in budget_articles)
    assert "best of the newest" not in html


@pytest.mark.django_db
def test_typing_swaps_the_results_without_the_filter_menus(alice_client, budget_articles):
    url = reverse("articles:library")
    with CaptureQueriesContext(connection) as full:
        page = alice_client.get(url, {"q": "budget"}).content.decode()
    with CaptureQueriesContext(connection) as typed:
        results = alice_client.get(
            url, {"q": "budget"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="library-results"
        ).content.decode()
    assert '<option value="Outlet 1"' in page and "<select" not in results
    assert results.lstrip().startswith('<section id="library-results"')
    assert len(typed) == len(full) - 1  # no facet query


@pytest.mark.django_db
def test_facets_list_each_outlet_and_language_once(workspace, alice, budget_articles):
    make_article(workspace=workspace, user=alice, title="Ein Artikel", outlet="", language="de")
    facets = selectors.facet_values(workspace=workspace)
    assert facets == {"outlets": ["Outlet 0", "Outlet 1", "Outlet 2"], "languages": ["de", "en"]}


@pytest.mark.django_db
def test_the_tag_parser_knows_the_outlets_of_articles_and_tags(workspace, alice, budget_articles):
    from annotations import selectors as tag_selectors
    from annotations.models import SourceTag

    make_article(workspace=workspace, user=alice, title="Ohne Medium", outlet="")
    SourceTag.objects.create(
        workspace=workspace, label="Kieler Post citing x", outlet="Kieler Post"
    )
    assert selectors.article_outlets(workspace_id=workspace.pk) == [f"Outlet {n}" for n in range(3)]
    assert tag_selectors.workspace_outlets(workspace_id=workspace.pk) == [
        "Kieler Post",
        "Outlet 0",
        "Outlet 1",
        "Outlet 2",
    ]
