"""A new version of an article in Chromium: claims follow their edited sentences, a claim whose
sentence was deleted waits in Orphans with its tag, the Versions view shows both changes, and
the orphan can be re-attached to new text."""

import pytest
from browser_helpers import SELECT_TEXT, marked_text
from factories import make_article

from annotations.models import AnchorStatus, Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "Bridge repairs delayed again\n\n"
    "The city said on Monday that repairs to the old bridge would cost 4 million euros.\n\n"
    "Engineers found cracks in two of the pillars during an inspection in May.\n\n"
    "Traffic will be diverted through the harbour district until the autumn."
)
EDITED = "The city said on Monday that repairs to the old bridge would cost 4 million euros"
DELETED = "Engineers found cracks in two of the pillars during an inspection in May."
NEW_TEXT = (
    "Bridge repairs delayed again\n\n"
    "The city said on Tuesday that repairs to the old bridge would cost 4.5 million euros.\n\n"
    "Traffic will be diverted through the harbour district until the autumn."
)


def highlight_and_tag(page, quote: str, tag: str) -> Claim:
    count = Claim.objects.count()
    page.evaluate(SELECT_TEXT, quote)
    page.locator('button[data-action="highlight"]').click()
    page.wait_for_function(
        f"() => document.querySelectorAll('#claim-panel .claim-item').length == {count + 1}"
    )
    claim = Claim.objects.order_by("-id").first()
    page.wait_for_selector(f'#claim-card .claim-card[data-claim-id="{claim.pk}"]')
    tag_input = page.locator('#claim-card input[name="source_tag"]')
    tag_input.fill(tag)
    tag_input.press("Enter")
    page.wait_for_selector(f'#claim-card [data-tag-label="{tag}"]')
    return claim


def test_claims_follow_a_new_version(browser_page_for, live_server, workspace, alice):
    article = make_article(workspace=workspace, user=alice, text=TEXT)
    page = browser_page_for(alice)
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    edited = highlight_and_tag(page, EDITED, "City press office")
    # A settled page for the next selection (live refreshes re-render the text under it).
    page.reload()
    page.wait_for_selector(f'mark[data-annotation-id="{edited.pk}"]')
    deleted = highlight_and_tag(page, DELETED, "Engineers' report")

    page.get_by_role("link", name="Upload new version").click()
    page.locator("textarea[name=text]").fill(NEW_TEXT)
    page.get_by_role("button", name="Save new version").click()
    page.wait_for_url(f"{live_server.url}{article.get_absolute_url()}")
    assert "1 claims re-anchored, 1 orphaned" in page.locator(".messages").inner_text()

    new_wording = (
        "The city said on Tuesday that repairs to the old bridge would cost 4.5 million euros"
    )
    page.wait_for_selector(f'mark[data-annotation-id="{edited.pk}"]')
    assert marked_text(page, edited.pk) == new_wording
    assert page.locator(f'mark[data-annotation-id="{deleted.pk}"]').count() == 0
    orphans = page.locator(".orphan-list")
    assert DELETED in orphans.inner_text() and "Engineers' report" in orphans.inner_text()

    # The edited claim's card says its text changed and shows the first highlight.
    page.locator(f'#claim-panel .claim-item[data-claim-id="{edited.pk}"] .claim-link').click()
    card = page.locator(f'#claim-card .claim-card[data-claim-id="{edited.pk}"]')
    card.wait_for()
    assert "The text under this claim changed" in card.inner_text()
    assert EDITED in card.inner_text()

    page.get_by_role("link", name="Versions").click()
    diff = page.locator(".revision-diff")
    diff.wait_for()
    changed = diff.locator('[data-change="changed"]')
    assert changed.locator("del").all_inner_texts() == ["Monday", "4"]
    assert changed.locator("ins").all_inner_texts() == ["Tuesday", "4.5"]
    assert "Text changed under this claim" in changed.inner_text()
    removed = diff.locator('[data-change="removed"]')
    assert DELETED in removed.inner_text() and "Orphaned" in removed.inner_text()

    # Re-attach the orphan to the last sentence.
    page.go_back()
    page.locator(f'.orphan-list .claim-item[data-claim-id="{deleted.pk}"] .claim-link').click()
    page.wait_for_selector(f'#claim-card .claim-card[data-claim-id="{deleted.pk}"]')
    target = "Traffic will be diverted through the harbour district"
    page.evaluate(SELECT_TEXT, target)
    page.get_by_role("button", name="Re-attach to selected text").click()
    page.wait_for_selector(f'mark[data-annotation-id="{deleted.pk}"]')
    assert marked_text(page, deleted.pk) == target
    claim = Claim.objects.get(pk=deleted.pk)
    assert claim.anchor_status == AnchorStatus.ANCHORED
    assert [t.label for t in claim.tags.all()] == ["Engineers' report"]
    assert problems == []
