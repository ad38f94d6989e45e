"""Reading and highlighting with the keyboard only (no mouse at all), in Chromium."""

import os

import pytest
from factories import make_seed_article

from annotations.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE_START = "Die Beamten sagen, dass die Raketen"
ACTIVE = "() => document.activeElement"
SELECTED = "() => window.getSelection().toString()"


def active_is(page, selector: str) -> bool:
    return page.evaluate("(s) => document.activeElement?.matches(s) || false", selector)


def wait_active(page, selector: str) -> None:
    """Focus moves after a fragment swap or an animation frame: wait for it (a loaded CI
    machine can take longer than one event-loop turn)."""
    page.wait_for_function(
        "(s) => document.activeElement?.matches(s) || false", arg=selector, timeout=10_000
    )


def announced(page, text: str) -> None:
    page.wait_for_function(
        "(t) => document.getElementById('reading-announcer').textContent.includes(t)", arg=text
    )


def test_make_tag_close_and_reopen_a_claim_without_a_mouse(
    browser_page_for, live_server, workspace, alice
):
    article = make_seed_article(workspace=workspace, user=alice)
    page = browser_page_for(alice)
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    # Tab order: the skip link, the header, the page's first controls, then the article text.
    presses = 0
    while presses < 20 and not active_is(page, "#article-blocks"):
        page.keyboard.press("Tab")
        presses += 1
    wait_active(page, "#article-blocks")

    # The reading cursor moves by sentence (j/k) and is announced.
    page.keyboard.press("j")
    announced(page, "Sentence:")
    first = page.evaluate(SELECTED)
    assert first.strip()
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.evaluate(SELECTED) == first
    for _ in range(40):
        if page.evaluate(SELECTED).startswith(SENTENCE_START):
            break
        page.keyboard.press("j")
    assert page.evaluate(SELECTED).startswith(SENTENCE_START)

    # By word (w), then Shift+→ stretches the selection a word at a time, Shift+← shrinks it.
    page.keyboard.press("w")
    assert page.evaluate(SELECTED) == "Die"
    announced(page, "Word: Die")
    for _ in range(5):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowLeft")
    assert page.evaluate(SELECTED) == "Die Beamten sagen, dass die"
    announced(page, "Selected: Die Beamten sagen, dass die")
    if os.environ.get("SHOTS_DIR"):
        page.screenshot(path=os.path.join(os.environ["SHOTS_DIR"], "desktop-1280-cursor.png"))

    # h makes the claim (the mouse's path) and focus lands in its tag field.
    page.keyboard.press("h")
    page.wait_for_selector("#claim-card .claim-card")
    claim = Claim.objects.get()
    assert claim.exact == "Die Beamten sagen, dass die"
    page.wait_for_function("() => document.activeElement?.name === 'source_tag'")
    announced(page, "made")

    # Shortcuts never fire while typing: "j" and "h" go into the field.
    page.keyboard.type("WSJ citing US officials")
    page.keyboard.press("Enter")
    page.wait_for_selector('#claim-card [data-tag-label="WSJ citing US officials"]')
    assert [tag.label for tag in Claim.objects.get().tags.all()] == ["WSJ citing US officials"]
    page.wait_for_function("() => document.activeElement?.name === 'source_tag'")
    assert Claim.objects.count() == 1

    # Escape leaves the field, a second Escape closes the card and returns to the mark.
    page.keyboard.press("Escape")
    wait_active(page, "#claim-card-title")
    page.keyboard.press("Escape")
    page.wait_for_selector("#claim-card .claim-card-idle")
    wait_active(page, f'mark[data-annotation-id="{claim.pk}"]')
    announced(page, "Card closed")

    # Enter on the mark reopens the card with focus inside it.
    page.keyboard.press("Enter")
    page.wait_for_selector(f'#claim-card .claim-card[data-claim-id="{claim.pk}"]')
    page.wait_for_function("() => document.activeElement?.id === 'claim-card-title'")
    assert page.evaluate(
        "() => document.getElementById('claim-card').contains(document.activeElement)"
    )
    announced(page, "opened")
    assert "WSJ citing US officials" in page.locator("#claim-card .tag-list").inner_text()

    # Tab from the card's heading reaches its fields in a few presses.
    for _ in range(8):
        page.keyboard.press("Tab")
        if active_is(page, "input[name=source_tag]"):
            break
    wait_active(page, "input[name=source_tag]")
    page.keyboard.type("jk")
    assert page.locator("#claim-card input[name=source_tag]").input_value() == "jk"
    assert page.evaluate(SELECTED) == ""
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    wait_active(page, f'mark[data-annotation-id="{claim.pk}"]')

    # ? opens the shortcuts dialog (modal, focus inside); Escape closes it and focus returns.
    page.keyboard.press("?")
    page.wait_for_selector("#shortcuts-dialog[open]")
    if os.environ.get("SHOTS_DIR"):
        page.screenshot(path=os.path.join(os.environ["SHOTS_DIR"], "desktop-1280-shortcuts.png"))
    wait_active(page, "#shortcuts-dialog [data-action='close-shortcuts']")
    page.keyboard.press("Escape")
    page.wait_for_selector("#shortcuts-dialog:not([open])", state="attached")
    wait_active(page, f'mark[data-annotation-id="{claim.pk}"]')

    # n and p move between claims in the text.
    page.keyboard.press("k")
    page.keyboard.press("n")
    announced(page, "Claim 1: Die Beamten sagen, dass die")
    wait_active(page, f'mark[data-annotation-id="{claim.pk}"]')

    # A refresh of the text (anyone's change) keeps focus on the same claim's mark.
    page.evaluate(
        "() => { document.activeElement.dataset.before = '1';"
        " htmx.trigger(document.body, 'claims-changed'); }"
    )
    page.wait_for_selector("mark[data-before]", state="detached")
    page.wait_for_function(
        "(id) => document.activeElement?.dataset.annotationId === id", arg=str(claim.pk)
    )

    # Enter on the claim in the list opens it with focus inside the card as well.
    page.focus(f'#claim-panel .claim-item[data-claim-id="{claim.pk}"] .claim-link')
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement?.id === 'claim-card-title'")
    assert problems == []


def test_reading_cursor_for_a_reader_who_cannot_write(
    browser_page_for, live_server, workspace, alice, bob
):
    article = make_seed_article(workspace=workspace, user=alice)
    workspace.memberships.filter(user=bob).update(role="viewer")
    page = browser_page_for(bob)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.keyboard.press("j")
    announced(page, "Sentence:")
    page.keyboard.press("h")
    announced(page, "not make them")
    assert Claim.objects.count() == 0
