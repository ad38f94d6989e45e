"""Blind double annotation in two browsers (issue 16): alice (owner) assigns alice and bob;
bob cannot see alice's claims on any path until both are done; then everyone sees all."""

import pytest
from browser_helpers import SELECT_TEXT
from factories import make_seed_article

from annotations.models import BlindRound, Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALICE_QUOTE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"
BOB_QUOTE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit"
ALICE_LABEL = "Journal citing Quelle Alpha"


def highlight(page, quote: str) -> None:
    page.evaluate(SELECT_TEXT, quote)
    button = page.locator('button[data-action="highlight"]')
    button.wait_for(state="visible")
    button.click()
    page.wait_for_selector("#claim-card .claim-card")


def test_blind_round_in_two_browsers(browser_page_for, live_server, workspace, alice, bob):
    article = make_seed_article(workspace=workspace, user=alice)
    url = f"{live_server.url}{article.get_absolute_url()}"
    problems = []
    a = browser_page_for(alice)
    b = browser_page_for(bob)
    for page in (a, b):
        page.on("pageerror", lambda error: problems.append(str(error)))

    # alice assigns the article to alice and bob, blind.
    a.goto(url)
    a.get_by_role("link", name="Assign for blind double annotation").click()
    a.get_by_label("alice").check()
    a.get_by_label("bob").check()
    a.get_by_role("button", name="Start blind annotation").click()
    assert BlindRound.objects.get().annotators.count() == 2

    # bob reads the article while alice highlights and tags hers.
    b.goto(url)
    assert "Only you see your claims" in b.locator("[data-blind-round]").inner_text()
    a.goto(url)
    highlight(a, ALICE_QUOTE)
    tag_input = a.locator('input[name="source_tag"]')
    tag_input.fill(ALICE_LABEL)
    tag_input.press("Enter")
    a.wait_for_selector(f'#claim-card [data-tag-label="{ALICE_LABEL}"]')
    mine = Claim.objects.get(author=alice)

    # Nothing of it reaches bob's open page (live stream), nor a reload, nor his own claim.
    b.wait_for_timeout(1500)
    assert b.locator(f'mark[data-annotation-id="{mine.pk}"]').count() == 0
    b.reload()
    highlight(b, BOB_QUOTE)
    theirs = Claim.objects.get(author=bob)
    b.wait_for_selector(f'mark[data-annotation-id="{theirs.pk}"]')
    assert b.locator(f'mark[data-annotation-id="{mine.pk}"]').count() == 0
    assert b.locator("#claim-panel .claim-item").count() == 1
    # His first claim is his number 1, though alice's came first.
    assert b.locator(f'mark[data-annotation-id="{theirs.pk}"][data-claim-number="1"]').count()

    # Every other path bob could try.
    assert b.goto(f"{live_server.url}/claims/{mine.pk}/").status == 404
    csv = b.request.get(f"{url}export.csv?only_tagged=0").text()
    assert ALICE_QUOTE not in csv and ALICE_LABEL not in csv and BOB_QUOTE in csv
    jsonld = b.request.get(f"{url}export.jsonld?only_tagged=0").text()
    assert ALICE_LABEL not in jsonld
    b.goto(f"{live_server.url}/tags/")
    assert ALICE_LABEL not in b.content()
    b.goto(f"{live_server.url}/workspaces/{workspace.pk}/activity/")
    assert "Raketen Russlands Fähigkeit erhöhen" not in b.content()
    assert b.goto(f"{url}agreement/").status == 404
    suggestions = b.request.get(
        f"{live_server.url}/tags/suggestions/?article={article.pk}&source_tag=Journal"
    ).text()
    assert ALICE_LABEL not in suggestions

    # alice sees only hers too; she is done, bob is not yet: nothing changes.
    a.goto(url)
    assert a.locator(f'mark[data-annotation-id="{theirs.pk}"]').count() == 0
    a.get_by_role("button", name="I'm done").click()
    a.wait_for_selector("text=Marked as done")
    assert a.locator(f'mark[data-annotation-id="{theirs.pk}"]').count() == 0
    b.goto(url)
    assert b.locator(f'mark[data-annotation-id="{mine.pk}"]').count() == 0

    # bob is done: the round is revealed to everyone.
    b.get_by_role("button", name="I'm done").click()
    b.wait_for_selector("text=Everyone is done")
    b.wait_for_selector(f'mark[data-annotation-id="{mine.pk}"]')
    assert ALICE_LABEL in b.locator("#claim-panel").inner_text()
    a.goto(url)
    a.wait_for_selector(f'mark[data-annotation-id="{theirs.pk}"]')
    numbers = {
        a.locator(f'mark[data-annotation-id="{pk}"][data-claim-number]').get_attribute(
            "data-claim-number"
        )
        for pk in (mine.pk, theirs.pk)
    }
    assert numbers == {"1", "2"}

    # The owner's agreement report and curation.
    a.get_by_role("link", name="Agreement report").click()
    assert a.locator('[data-figure="coders"]').inner_text() == "2"
    assert a.locator('[data-figure="items"]').inner_text() == "1"
    a.goto(f"{url}curation/")
    a.locator(f'.curation-version[data-claim-id="{mine.pk}"] button').click()
    a.wait_for_selector("text=Version adopted")
    assert list(Claim.objects.filter(curated=True).values_list("pk", flat=True)) == [mine.pk]
    assert problems == []
