"""Claims beside the text: the margin on wide screens, the bottom sheet on phones, live notices
pinned to the window, in Chromium."""

import os
from pathlib import Path

import pytest
from browser_helpers import SELECT_TEXT
from factories import make_seed_article
from test_live_browser import open_as, two_servers  # noqa: F401 - a fixture

from annotations import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUOTES = [
    "Berichten zufolge treibt Russland",
    "Das Wall Street Journal berichtete",
    "Die Beamten sagen, dass die Raketen",
    "Russlands Fähigkeit erhöhen würden",  # on the same line: its note has to move down
    "Die Vereinigten Staaten sind besorgt",
    "Wir gehen davon aus",
    "Fünf Tote und mindestens 130 Verletzte",
    "Die Beamten teilten dem Journal mit",
    "Moskau habe bereits damit begonnen",
]
# Screenshots are kept when SHOTS_DIR is set (the reading page looked at, desktop and phone).
SHOTS_DIR = os.environ.get("SHOTS_DIR", "")

BOXES = """
() => [...document.querySelectorAll(
    '#margin-notes .margin-note:not([hidden]):not(.is-open):not(.is-unplaced), #claim-card')]
  .map((el) => { const r = el.getBoundingClientRect();
                 return {id: el.dataset.claimId || 'card', top: r.top, bottom: r.bottom,
                         left: r.left, right: r.right}; })
"""


@pytest.fixture
def article_with_claims(workspace, alice, bob):
    article = make_seed_article(workspace=workspace, user=alice)
    claims = [services.create_claim(article=article, author=alice, exact=q) for q in QUOTES]
    services.add_tag(claim=claims[1], label="WSJ citing US officials", user=alice)
    return article, claims


def watch(page):
    problems = []  # console errors, e.g. Content-Security-Policy violations
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def shot(page, name):
    if SHOTS_DIR:
        Path(SHOTS_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS_DIR) / f"{name}.png"))


def settle_margin(page):
    """Wait until margin.js has placed the notes and nothing has moved them since: it counts
    its layouts in #margin-notes[data-placed]; two animation frames without a new one."""
    page.wait_for_function(
        "() => Number(document.getElementById('margin-notes').dataset.placed) > 0"
    )
    page.wait_for_function(
        """() => new Promise((resolve) => {
            const before = document.getElementById('margin-notes').dataset.placed;
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(
                document.getElementById('margin-notes').dataset.placed === before)));
        })"""
    )
    # Notes glide to a new place (a CSS transition on top): measure after it has ended.
    page.wait_for_function("() => document.getAnimations().length === 0")


def mark_top(page, claim):
    return page.locator(f'mark[data-annotation-id="{claim.pk}"]').first.bounding_box()["y"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wide_screen_cards_sit_beside_their_marks_without_overlapping(
    browser_page_for, live_server, article_with_claims, alice, scheme
):
    article, claims = article_with_claims
    page = browser_page_for(alice, width=1280, height=900, color_scheme=scheme)
    problems = watch(page)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.wait_for_function(
        f"() => document.querySelectorAll('#margin-notes .margin-note').length === {len(claims)}"
    )
    settle_margin(page)
    shot(page, f"desktop-1280-{scheme}-top")
    article_box = page.locator("article.reading").bounding_box()
    side_box = page.locator(".reading-side").bounding_box()
    # Every note is in the margin: right of the text, left of the claim list, and no two overlap.
    boxes = page.evaluate(BOXES)
    notes = [box for box in boxes if box["id"] != "card"]
    assert len(notes) == len(claims)
    for box in boxes:
        assert box["left"] >= article_box["x"] + article_box["width"]
        assert box["right"] <= side_box["x"]
    ordered = sorted(boxes, key=lambda box: box["top"])
    for upper, lower in zip(ordered, ordered[1:], strict=False):
        assert upper["bottom"] <= lower["top"] + 0.5, (upper, lower)
    # A note with room stands at its mark's height; notes keep reading order.
    first_note = next(box for box in notes if box["id"] == str(claims[0].pk))
    assert abs(first_note["top"] - mark_top(page, claims[0])) < 2
    tops = [next(b["top"] for b in notes if b["id"] == str(c.pk)) for c in claims]
    assert tops == sorted(tops)
    assert abs(mark_top(page, claims[3]) - mark_top(page, claims[2])) < 2  # one line
    assert tops[3] > mark_top(page, claims[3]) + 20  # pushed down below its neighbour

    # Notes are rebuilt only when the list, the text or the filters change: opening a card (an
    # htmx swap elsewhere on the page) keeps them, so a probe set on each note stays.
    page.evaluate(
        "() => document.querySelectorAll('.margin-note').forEach((n) => n.dataset.probe = 1)"
    )

    # Opening a claim from its note pins the card at the mark's height, others move aside.
    target = claims[6]
    page.locator(f'.margin-note[data-claim-id="{target.pk}"]').click()
    page.wait_for_selector(f'#claim-card .claim-card[data-claim-id="{target.pk}"]')
    page.wait_for_function(
        "(y) => Math.abs(document.getElementById('claim-card')"
        ".getBoundingClientRect().top - y) < 2",
        arg=mark_top(page, target),
    )
    assert page.locator("#claim-card .claim-card-number").inner_text().strip() == "7"
    assert page.locator("#margin-notes .margin-note:not([data-probe])").count() == 0
    assert "claim-mark--open" in page.locator(
        f'mark[data-annotation-id="{target.pk}"]'
    ).first.get_attribute("class")
    page.wait_for_timeout(400)  # the notes glide to their new places
    ordered = sorted(page.evaluate(BOXES), key=lambda box: box["top"])
    for upper, lower in zip(ordered, ordered[1:], strict=False):
        assert upper["bottom"] <= lower["top"] + 0.5, (upper, lower)
    # The claim list and its filters are still on screen beside it.
    assert page.locator("#filter-status").is_visible()
    assert page.locator(f'#claim-panel .claim-item[data-claim-id="{target.pk}"]').count() == 1
    # Positions are set through the CSSOM, which the CSP (no inline styles) allows: the served
    # page has no style attribute, the rendered one does, and no violation was reported.
    served = page.request.get(f"{live_server.url}{article.get_absolute_url()}")
    assert "style-src 'self'" in served.headers["content-security-policy"]
    assert " style=" not in served.text()
    assert page.evaluate("() => document.getElementById('claim-card').style.top") != ""
    shot(page, f"desktop-1280-{scheme}-card-open")

    # Filtering the list filters the margin too.
    page.select_option("#filter-tag", "WSJ citing US officials")
    page.wait_for_function(
        "() => document.querySelectorAll('#margin-notes .margin-note:not([hidden])').length === 1"
    )
    # Close returns to the hint; the notes stay.
    page.locator("#claim-card [data-action='close-card']").click()
    page.wait_for_selector("#claim-card .claim-card-idle")
    assert problems == []


@pytest.mark.parametrize(
    ("width", "height", "scheme"),
    [(390, 844, "light"), (390, 844, "dark"), (1024, 768, "light")],
)
def test_narrower_screens_open_the_card_as_a_bottom_sheet_above_which_the_mark_stays(
    browser_page_for, live_server, article_with_claims, alice, width, height, scheme
):
    article, claims = article_with_claims
    page = browser_page_for(alice, width=width, height=height, color_scheme=scheme)
    problems = watch(page)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert not page.locator("#margin-notes").is_visible()
    shot(page, f"narrow-{width}-{scheme}-top")
    target = claims[5]
    mark = page.locator(f'mark[data-annotation-id="{target.pk}"]').first
    mark.scroll_into_view_if_needed()
    mark.click()
    page.wait_for_selector(f'#claim-card .claim-card[data-claim-id="{target.pk}"]')
    sheet = page.locator("#claim-card")
    page.wait_for_function(
        "() => getComputedStyle(document.getElementById('claim-card')).position === 'fixed'"
    )
    box = sheet.bounding_box()
    if width <= 700:  # a phone: the sheet spans the width
        assert box["x"] == 0 and abs(box["width"] - width) < 1
    else:  # a tablet: a sheet at the right, the text beside it stays readable
        assert box["x"] > width / 2 and box["x"] + box["width"] <= width
    assert abs(box["y"] + box["height"] - height) < 1  # docked at the bottom
    assert box["height"] <= height * 0.71
    page.wait_for_timeout(300)  # the scroll that keeps the mark above the sheet
    mark_box = mark.bounding_box()
    if width <= 700:
        assert mark_box["y"] >= 0 and mark_box["y"] + mark_box["height"] <= box["y"]
    else:  # below the sticky header
        header = page.locator(".site-header").bounding_box()
        assert mark_box["y"] >= header["y"] + header["height"]
        assert mark_box["y"] + mark_box["height"] <= height
    close = page.locator("#claim-card [data-action='close-card']")
    assert close.is_visible()
    close_box = close.bounding_box()
    assert close_box["height"] >= 24 and close_box["width"] >= 24
    shot(page, f"narrow-{width}-{scheme}-card-open")

    # Selecting text folds the sheet to its header, so it never covers the selection.
    page.evaluate(SELECT_TEXT, "Moskau habe bereits damit begonnen")
    page.wait_for_function(
        "() => document.getElementById('claim-card').getBoundingClientRect().height < 90"
    )
    page.evaluate("() => window.getSelection().removeAllRanges()")
    close.click()
    page.wait_for_function(
        "() => getComputedStyle(document.getElementById('claim-card')).position !== 'fixed'"
    )
    assert problems == []


def test_live_notices_stay_in_view_while_a_card_is_open(
    chromium,
    two_servers,  # noqa: F811 - the imported fixture
    article_with_claims,
    alice,
    bob,  # noqa: F811 - the imported fixture
):
    article, claims = article_with_claims
    target = claims[7]
    context, page = open_as(chromium, alice, two_servers[0])
    try:
        problems = watch(page)
        page.goto(f"{two_servers[0]}{article.get_absolute_url()}")
        page.wait_for_selector('#live-status[data-state="live"]')
        page.locator(f'.margin-note[data-claim-id="{target.pk}"]').click()
        page.wait_for_selector(f'#claim-card .claim-card[data-claim-id="{target.pk}"]')
        note = page.locator("#claim-card textarea[name=note]")
        note.scroll_into_view_if_needed()
        note.click()
        note.type("Checking")
        # bob replies to the claim alice is typing in: she is told, wherever she has scrolled.
        services.add_reply(claim=target, author=bob, body="Source?")
        page.wait_for_selector("#live-notice:not([hidden])")
        assert "bob changed the claim you are editing" in page.locator("#live-notice").inner_text()
        assert note.input_value() == "Checking"
        height = page.viewport_size["height"]
        box = page.locator("#live-notice").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height
        status = page.locator("#live-status").bounding_box()
        assert status["y"] >= 0 and status["y"] + status["height"] <= height
        assert problems == []
    finally:
        context.close()
