"""Claim search in Chromium: type, see live results, narrow by a facet, open the claim in its
article (the reading page opens the card), and the same without JavaScript's help."""

import re

import pytest
from factories import make_seed_article

from annotations import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROCKETS = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"


@pytest.fixture
def claims(workspace, alice, bob):
    article = make_seed_article(workspace=workspace, user=alice)
    rockets = services.create_claim(article=article, author=alice, exact=ROCKETS)
    services.add_tag(claim=rockets, label="WSJ citing US officials", user=alice)
    other = services.create_claim(article=article, author=bob, exact="Moskau habe bereits")
    services.add_tag(claim=other, label="Reuters", user=bob)
    services.add_reply(claim=other, author=alice, body="Raketen? Check the Reuters wire")
    hidden = services.create_claim(
        article=article, author=alice, exact="Iran", visibility="private"
    )
    services.add_reply(claim=hidden, author=alice, body="Raketen privately noted")
    return {"article": article, "rockets": rockets, "other": other, "hidden": hidden}


def test_type_see_results_facet_and_open_the_claim(browser_page_for, live_server, bob, claims):
    page = browser_page_for(bob)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.wait_for_url(re.compile(r"/search/$"))

    page.locator("#search-q").fill("Rakete")  # German stemming: "Raketen"
    hits = page.locator("#search-results .search-hit")
    page.wait_for_url(re.compile(r"q=Rakete"))  # live results, the address follows
    hits.first.wait_for()
    page.wait_for_function("document.querySelectorAll('#search-results .search-hit').length == 2")
    text = page.locator("#search-results").inner_text()
    assert "Moskau habe bereits" in text and "Raketen Russlands" in text
    assert "privately noted" not in text  # alice's private claim is not bob's to see

    page.wait_for_load_state("networkidle")  # the live search has answered
    facet = page.locator(".facet a", has_text="WSJ citing US officials")
    assert facet.locator(".facet-count").inner_text() == "1"
    facet.click()
    page.wait_for_url(re.compile(r"tag=\d+"))
    page.wait_for_function("document.querySelectorAll('#search-results .search-hit').length == 1")
    assert "WSJ citing US officials" in page.locator(".search-active").inner_text()
    assert page.locator("#search-q").input_value() == "Rakete"

    page.locator(".search-hit-quote").first.click()
    rockets = claims["rockets"]
    page.wait_for_url(re.compile(rf"/articles/{rockets.article_id}/#claim-{rockets.pk}$"))
    card = page.locator("#claim-card .claim-card")
    card.wait_for()
    assert "Raketen Russlands" in card.inner_text()


def test_the_form_works_without_script_and_on_a_phone(browser_page_for, live_server, bob, claims):
    page = browser_page_for(bob, width=390, height=844, color_scheme="dark")
    page.context.set_extra_http_headers({})
    page.goto(f"{live_server.url}/search/?q=Reuters")
    assert page.locator(".search-hit").count() == 1
    # Facets go below the results on a phone; nothing is wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.locator("#search-status").select_option("unverified")
    page.wait_for_url(re.compile(r"status=unverified"))
    assert page.locator(".search-hit").count() == 1
