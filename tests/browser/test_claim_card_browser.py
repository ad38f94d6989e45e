"""Nothing typed into a claim card is lost: drafts, stale edits and typing right after
highlighting, in Chromium."""

import json
import re

import pytest
from browser_helpers import SELECT_TEXT
from factories import make_seed_article

from annotations import services
from annotations.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Die Beamten sagen, dass die Raketen"
SECOND = "Moskau habe bereits damit begonnen"
QUOTES = [
    "Berichten zufolge treibt Russland",
    "Das Wall Street Journal berichtete",
    "Die Beamten sagen, dass die Raketen",
    "Die Vereinigten Staaten sind besorgt",
    "Wir gehen davon aus",
    "Fünf Tote und mindestens 130 Verletzte",
    "Die Beamten teilten dem Journal mit",
    "Moskau habe bereits damit begonnen",
    "Das Interesse Russlands",
    "Die bisher nicht genannte Reise",
]


DRAFTS = "() => Object.keys(sessionStorage).filter((key) => key.includes('claim-draft'))"


def open_claim(page, claim):
    page.locator(f'#claim-panel .claim-item[data-claim-id="{claim.pk}"] .claim-link').click()
    page.wait_for_selector(f'#claim-card .claim-card[data-claim-id="{claim.pk}"]')


@pytest.fixture
def two_claims(workspace, alice):
    article = make_seed_article(workspace=workspace, user=alice)
    first = services.create_claim(article=article, author=alice, exact=FIRST)
    second = services.create_claim(article=article, author=alice, exact=SECOND)
    return article, first, second


def test_unsaved_note_and_status_survive_another_claim_a_tag_and_a_reload(
    browser_page_for, live_server, two_claims, alice
):
    article, first, second = two_claims
    page = browser_page_for(alice)
    problems = []  # console errors, e.g. Content-Security-Policy violations
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    open_claim(page, first)
    note = page.locator("#claim-card textarea[name=note]")
    note.click()
    page.keyboard.type("Check the WSJ piece")
    page.select_option("#claim-card select[name=status]", "disputed")

    # Another claim, then back: the draft is there, with a visible hint.
    open_claim(page, second)
    assert page.locator("#claim-card textarea[name=note]").input_value() == ""
    open_claim(page, first)
    assert note.input_value() == "Check the WSJ piece"
    assert page.locator("#claim-card select[name=status]").input_value() == "disputed"
    assert "Unsaved draft restored" in page.locator("#claim-card .draft-hint").inner_text()

    # A tag saves at once and re-renders the card: the draft stays, and still saves cleanly.
    page.locator("#claim-card input[name=source_tag]").fill("Reuters")
    page.locator("#claim-card input[name=source_tag]").press("Enter")
    page.wait_for_selector('#claim-card [data-tag-label="Reuters"]')
    assert note.input_value() == "Check the WSJ piece"
    page.locator("#claim-card .claim-edit button[type=submit]").click()
    page.wait_for_selector('#claim-card .claim-card[data-claim-status="disputed"]')
    first.refresh_from_db()
    assert (first.note, first.status) == ("Check the WSJ piece", "disputed")
    assert page.locator("#claim-card .draft-hint").count() == 0
    assert page.locator("#claim-card [data-conflict]").count() == 0

    # Leaving with an unsaved draft asks first; after a reload the draft comes back.
    note.fill("Second thoughts")
    page.reload()
    assert dialogs == ["beforeunload"]
    open_claim(page, first)
    assert note.input_value() == "Second thoughts"
    page.locator("#claim-card [data-action='discard-draft']").click()
    assert note.input_value() == "Check the WSJ piece"
    assert page.evaluate(DRAFTS) == []
    page.reload()  # nothing unsaved: no question
    assert dialogs == ["beforeunload"]
    assert problems == []


def test_stale_edit_keeps_the_typed_note_to_merge(browser_page_for, live_server, two_claims, alice):
    article, first, _ = two_claims
    page = browser_page_for(alice)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    open_claim(page, first)
    page.locator("#claim-card textarea[name=note]").fill("My reading of it")

    # Meanwhile the note is changed in another tab.
    services.update_claim(claim=first, version=first.version, note="Their reading")
    page.locator("#claim-card .claim-edit button[type=submit]").click()
    page.wait_for_selector("#claim-card .claim-card[data-conflict]")
    assert "changed elsewhere" in page.locator("#claim-card .edit-conflict").inner_text()
    mine = page.locator("#claim-card textarea[name=note]")
    assert mine.input_value() == "My reading of it"
    assert page.locator("#claim-card .current-note").input_value() == "Their reading"
    first.refresh_from_db()
    assert first.note == "Their reading"

    mine.fill("Their reading; my reading of it")
    page.locator("#claim-card .claim-edit button[type=submit]").click()
    page.wait_for_selector("#claim-card .claim-card:not([data-conflict])")
    first.refresh_from_db()
    assert first.note == "Their reading; my reading of it"
    assert page.evaluate(DRAFTS) == []


def test_typed_tag_is_carried_across_a_new_render_of_the_card(
    browser_page_for, live_server, two_claims, alice
):
    article, first, _ = two_claims
    page = browser_page_for(alice)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    open_claim(page, first)
    tag_input = page.locator("#claim-card input[name=source_tag]")
    tag_input.click()
    page.keyboard.type("AP citing")
    # The same card rendered again (opened again here; a live update does the same).
    page.evaluate(
        "(id) => htmx.ajax('GET', `/claims/${id}/`, {source: '#claim-card', "
        "target: '#claim-card', swap: 'innerHTML'})",
        first.pk,
    )
    page.wait_for_function(
        "() => document.querySelector('#claim-card input[name=source_tag]')?.dataset.seen !== '1'"
        " && (document.querySelector('#claim-card input[name=source_tag]').dataset.seen = '1')"
    )
    page.keyboard.type(" officials")
    page.keyboard.press("Enter")
    page.wait_for_selector('#claim-card [data-tag-label="AP citing officials"]')


def test_tag_typed_right_after_highlighting_is_saved_ten_times_out_of_ten(
    browser_page_for, live_server, workspace, alice
):
    article = make_seed_article(workspace=workspace, user=alice)
    page = browser_page_for(alice)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    for number, quote in enumerate(QUOTES):
        # A person selects the next sentence after the page has caught up with the last tag.
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        page.evaluate(SELECT_TEXT, quote)
        page.evaluate("() => document.activeElement?.blur()")  # as a click into the text does
        page.keyboard.press("h")
        page.keyboard.type(f"Outlet {number} citing officials")  # no waiting for the card
        page.keyboard.press("Enter")
        page.wait_for_selector(f'#claim-card [data-tag-label="Outlet {number} citing officials"]')
    labels = {
        claim.exact: [tag.label for tag in claim.tags.all()]
        for claim in Claim.objects.prefetch_related("tags")
    }
    assert labels == {
        quote: [f"Outlet {number} citing officials"] for number, quote in enumerate(QUOTES)
    }


def test_a_live_refresh_does_not_cancel_opening_a_card(
    browser_page_for, live_server, two_claims, alice
):
    """htmx.ajax without a source queues every call on <body>, where the newest waiting
    request replaces the one before: a live refresh arriving while a card was loading
    silently dropped the card the reader had asked for."""
    article, first, second = two_claims
    page = browser_page_for(alice)
    held = {}
    page.route(re.compile(r"/events/"), lambda route: held.setdefault("events", route))
    page.route(re.compile(rf"/claims/{first.pk}/$"), lambda route: held.setdefault("card", route))
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.wait_for_function("() => window.htmx")

    page.locator(f'.claim-item[data-claim-id="{first.pk}"] .claim-link').click()
    for _ in range(50):  # the held request reaches the route handler
        if "card" in held:
            break
        page.wait_for_timeout(20)
    assert "card" in held
    page.locator(f'.claim-item[data-claim-id="{second.pk}"] .claim-link').click()
    # Someone else changed a claim: the live stream says so while the first card is loading.
    event = json.dumps(
        {
            "id": 99,
            "verb": "reply.created",
            "actor": "bob",
            "mine": False,
            "claim": first.pk,
            "summary": "",
        }
    )
    held["events"].fulfill(
        status=200,
        headers={"Content-Type": "text/event-stream"},
        body=f"retry: 600000\nid: 99\nevent: claims-changed\ndata: {event}\n\n",
    )
    page.wait_for_timeout(500)  # the live refresh (after 120 ms) is under way
    held["card"].continue_()
    page.wait_for_selector(f'#claim-card .claim-card[data-claim-id="{second.pk}"]')
