"""Highlighting, tagging and discussing a claim in Chromium, as a reader does."""

import pytest
from browser_helpers import SELECT_TEXT, marked_text
from factories import make_seed_article

from annotations.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"
OVERLAP = "Fähigkeit erhöhen würden, ukrainische Infrastruktur anzugreifen"


def test_highlight_tag_status_reload(browser_page_for, live_server, workspace, alice):
    article = make_seed_article(workspace=workspace, user=alice)
    page = browser_page_for(alice)
    problems = []  # console errors, e.g. Content-Security-Policy violations during swaps
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    page.evaluate(SELECT_TEXT, SENTENCE)
    button = page.locator('button[data-action="highlight"]')
    button.wait_for(state="visible")
    button.click()
    page.wait_for_selector("#claim-card .claim-card")
    claim = Claim.objects.get()
    assert claim.exact == SENTENCE
    page.wait_for_selector(f'mark[data-annotation-id="{claim.pk}"]')
    assert marked_text(page, claim.pk) == SENTENCE
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1

    tag_input = page.locator('input[name="source_tag"]')
    tag_input.fill("WSJ citing US officials")
    tag_input.press("Enter")
    page.wait_for_selector('#claim-card [data-tag-label="WSJ citing US officials"]')
    page.select_option("#claim-card select[name=status]", "disputed")
    page.locator("#claim-card .claim-edit button[type=submit]").click()
    page.wait_for_selector('#claim-card [data-claim-status="disputed"]')

    page.reload()
    mark = page.locator(f'mark[data-annotation-id="{claim.pk}"]').first
    assert marked_text(page, claim.pk) == SENTENCE
    assert "claim-mark--disputed" in mark.get_attribute("class")
    panel = page.locator("#claim-panel")
    assert "WSJ citing US officials" in panel.inner_text()
    assert "Disputed" in panel.inner_text()

    # Clicking the mark opens its card with tag and status.
    mark.click()
    page.wait_for_selector('#claim-card [data-tag-label="WSJ citing US officials"]')

    # A second claim overlapping the first: both render, nested, on the same text.
    page.evaluate(SELECT_TEXT, OVERLAP)
    page.keyboard.press("h")
    page.wait_for_function(
        "() => document.querySelectorAll('#claim-panel .claim-item').length == 2"
    )
    second = Claim.objects.exclude(pk=claim.pk).get()
    page.wait_for_selector(f'mark[data-annotation-id="{second.pk}"]')
    assert marked_text(page, second.pk) == OVERLAP
    assert marked_text(page, claim.pk) == SENTENCE
    nested = page.locator(
        f'mark[data-annotation-id="{claim.pk}"] mark[data-annotation-id="{second.pk}"]'
    )
    assert nested.count() == 1
    assert problems == []
