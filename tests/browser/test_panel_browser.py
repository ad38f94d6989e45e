"""Filtering the claim panel and colouring marks per annotator, in Chromium."""

import pytest
from factories import make_seed_article

from annotations import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_by_annotator_tag_and_status(browser_page_for, live_server, workspace, alice, bob):
    article = make_seed_article(workspace=workspace, user=alice)
    mine = services.create_claim(article=article, author=alice, exact="Die Beamten sagen")
    services.add_tag(claim=mine, label="WSJ citing US officials", user=alice)
    theirs = services.create_claim(article=article, author=bob, exact="Moskau habe bereits")
    services.update_claim(claim=theirs, version=theirs.version, status="disputed")
    page = browser_page_for(alice)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    items = page.locator("#claim-panel .claim-item")
    assert items.count() == 2
    page.select_option("#filter-annotator", "bob")
    assert page.locator("#claim-panel .claim-item:visible").count() == 1
    assert "Moskau" in page.locator("#claim-panel .claim-item:visible").inner_text()
    assert "claim-mark--filtered" in page.locator(
        f'mark[data-annotation-id="{mine.pk}"]'
    ).first.get_attribute("class")
    assert "Showing 1 of 2" in page.locator(".filter-count").inner_text()

    page.select_option("#filter-annotator", "")
    page.select_option("#filter-tag", "WSJ citing US officials")
    assert page.locator("#claim-panel .claim-item:visible").count() == 1
    page.select_option("#filter-tag", "")
    page.select_option("#filter-status", "disputed")
    assert "Moskau" in page.locator("#claim-panel .claim-item:visible").inner_text()
    page.select_option("#filter-status", "")

    # Colour by annotator: a legend names each colour; marks of different people differ.
    assert not page.locator(".annotator-legend").is_visible()
    page.locator("[data-colour-by-annotator]").check()
    assert page.locator(".annotator-legend").is_visible()
    assert "alice" in page.locator(".annotator-legend").inner_text()
    colours = page.evaluate(
        """([a, b]) => [a, b].map(id => getComputedStyle(
            document.querySelector(`mark[data-annotation-id='${id}']`)).backgroundColor)""",
        [mine.pk, theirs.pk],
    )
    assert colours[0] != colours[1]
