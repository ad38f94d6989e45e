"""Suggested claims in Chromium: suggest on the seed, accept one, dismiss another, reload."""

import pytest
from factories import make_seed_article

from annotations.models import Claim, Suggestion, SuggestionState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WSJ_OFFICIALS = "Wall Street Journal unter Berufung auf ungenannte US-Beamte"
MINISTRY = "russische Außenministerium"


def test_suggest_accept_dismiss_reload(browser_page_for, live_server, workspace, alice):
    article = make_seed_article(workspace=workspace, user=alice)
    page = browser_page_for(alice)
    problems = []  # console errors, e.g. Content-Security-Policy violations during swaps
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    page.locator('button[data-action="suggest-claims"]').click()
    # Computing suggestions loads the tagger on first use: seconds on a loaded CI machine.
    page.wait_for_selector("#article-blocks mark[data-suggestion-id]", timeout=60_000)
    wsj = Suggestion.objects.get(article=article, proposed_label=WSJ_OFFICIALS)
    ministry = Suggestion.objects.get(article=article, proposed_label=MINISTRY)
    # Marked in the text, dotted and without fill: not a claim's look.
    mark = page.locator(f'mark[data-suggestion-id="{wsj.pk}"]').first
    style = mark.evaluate(
        "m => [getComputedStyle(m).textDecorationStyle, getComputedStyle(m).backgroundColor]"
    )
    assert style == ["dotted", "rgba(0, 0, 0, 0)"]
    assert page.locator("mark[data-annotation-id]").count() == 0
    item = page.locator(f"#suggestion-{wsj.pk}")
    # The text and the panel are refreshed by separate swaps: wait for the panel's too.
    item.wait_for()
    assert WSJ_OFFICIALS in page.locator("#suggestion-panel").inner_text()

    # Accept: it becomes a claim with the proposed tag, and its card opens for editing.
    item.locator('[data-action="accept-suggestion"]').click()
    page.wait_for_selector(f'#claim-card [data-tag-label="{WSJ_OFFICIALS}"]')
    claim = Claim.objects.get(article=article)
    tag = claim.tags.get()
    assert (tag.outlet, tag.cited, tag.anonymous) == (
        "Wall Street Journal",
        "ungenannte US-Beamte",
        True,
    )
    assert (claim.start, claim.end) == (wsj.start, wsj.end)
    page.wait_for_selector(f'mark[data-annotation-id="{claim.pk}"]')
    page.wait_for_selector(f"#suggestion-{wsj.pk}", state="detached")
    assert page.locator("#claim-card textarea[name=note]").is_editable()

    # Dismiss another.
    page.locator(f'#suggestion-{ministry.pk} [data-action="dismiss-suggestion"]').click()
    page.wait_for_selector(f"#suggestion-{ministry.pk}", state="detached")
    page.wait_for_selector(f'mark[data-suggestion-id="{ministry.pk}"]', state="detached")

    page.reload()
    page.wait_for_selector(f'mark[data-annotation-id="{claim.pk}"]')
    assert page.locator(f'mark[data-suggestion-id="{wsj.pk}"]').count() == 0
    assert page.locator(f'mark[data-suggestion-id="{ministry.pk}"]').count() == 0
    assert page.locator(f"#suggestion-{ministry.pk}").count() == 0
    assert WSJ_OFFICIALS in page.locator("#claim-panel").inner_text()
    assert page.locator("#article-blocks mark[data-suggestion-id]").count() > 0
    assert page.locator('button[data-action="suggest-claims"]').count() == 0
    assert Claim.objects.count() == 1
    ministry.refresh_from_db()
    assert ministry.state == SuggestionState.DISMISSED
    assert problems == []
