"""Renaming and merging source tags in Chromium: confirm in place (htmx), then undo."""

import pytest
from factories import make_seed_article
from playwright.sync_api import expect

from annotations import services
from annotations.models import SourceTag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rename_confirm_then_undo(browser_page_for, live_server, workspace, alice, bob):
    article = make_seed_article(workspace=workspace, user=alice)
    mine = services.create_claim(article=article, author=alice, exact="Die Beamten sagen")
    theirs = services.create_claim(article=article, author=bob, exact="Moskau habe bereits")
    tag = services.add_tag(claim=mine, label="WSJ", user=alice)
    services.add_tag(claim=theirs, label="WSJ", user=bob)
    page = browser_page_for(alice)
    page.goto(f"{live_server.url}/tags/")
    assert "can be undone" in page.locator(".tag-rule").inner_text()

    row = page.locator(f"#tag-{tag.pk}")
    row.locator("summary").click()
    row.locator("input[name=label]").fill("WSJ citing US officials")
    row.get_by_role("button", name="Rename").click()
    confirm = page.locator("#tag-confirm .tag-confirm")
    confirm.wait_for()
    assert page.url == f"{live_server.url}/tags/"  # asked in place, nothing changed yet
    assert "2 claims on 1 article, 1 of them by other people" in confirm.inner_text()
    assert SourceTag.objects.get(pk=tag.pk).label == "WSJ"

    confirm.get_by_role("button", name="Rename").click()
    banner = page.locator(".undo-banner")
    banner.wait_for()
    assert "Renamed “WSJ” to “WSJ citing US officials”." in banner.inner_text()
    assert SourceTag.objects.get(pk=tag.pk).label == "WSJ citing US officials"

    banner.get_by_role("button", name="Undo").click()
    page.locator(".message", has_text="Undone").wait_for()
    assert SourceTag.objects.get(pk=tag.pk).label == "WSJ"
    assert page.locator(".undo-banner").count() == 0


def test_filter_then_merge_by_autocomplete(browser_page_for, live_server, workspace, alice, bob):
    article = make_seed_article(workspace=workspace, user=alice)
    mine = services.create_claim(article=article, author=alice, exact="Die Beamten sagen")
    theirs = services.create_claim(article=article, author=bob, exact="Moskau habe bereits")
    journal = services.add_tag(claim=mine, label="Wall Street Journal", user=alice)
    target = services.add_tag(claim=theirs, label="WSJ citing US officials", user=bob)
    services.add_tag(claim=theirs, label="Reuters", user=bob)
    page = browser_page_for(alice)
    page.goto(f"{live_server.url}/tags/")

    page.locator("#tag-filter-q").fill("wall")
    page.wait_for_url("**/tags/?q=wall")  # only the results were swapped, the URL follows
    assert page.locator(".tag-table tbody tr").count() == 1

    row = page.locator(f"#tag-{journal.pk}")
    row.locator("summary").click()
    field = row.locator("input[name=into_label]")
    field.fill("WSJ")  # the suggestions fill the field's datalist as one types
    options = row.locator(f"#merge-targets-{journal.pk} option")
    expect(options).to_have_count(1)  # focusing showed every tag; typing narrows them
    assert options.evaluate_all("os => os.map(o => o.value)") == ["WSJ citing US officials"]
    field.fill("WSJ citing US officials")
    row.get_by_role("button", name="Merge").click()
    confirm = page.locator("#tag-confirm .tag-confirm")
    confirm.wait_for()
    assert "Merge “Wall Street Journal” into “WSJ citing US officials”?" in confirm.inner_text()
    confirm.get_by_role("button", name="Merge").click()
    page.locator(".undo-banner").wait_for()
    assert not SourceTag.objects.filter(pk=journal.pk).exists()
    assert list(mine.tags.all()) == [target]
