"""Choosing articles to export by search (issue 11: no list of every article), in Chromium."""

import pytest
from factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_tick_and_keep_articles_across_searches(
    browser_page_for, live_server, workspace, alice
):
    budget = make_article(
        workspace=workspace,
        user=alice,
        title="Budget talks stall",
        text="Budget talks stall\n\nThe budget vote is delayed again.",
    )
    harbour = make_article(
        workspace=workspace,
        user=alice,
        title="Harbour strike ends",
        text="Harbour strike ends\n\nDock workers return on Monday.",
    )
    page = browser_page_for(alice)
    page.goto(f"{live_server.url}/export/")
    page.get_by_label("Find articles to add").fill("budget")
    page.locator(f'#export-articles input[value="{budget.pk}"]').check()
    page.get_by_label("Find articles to add").fill("harbour")
    harbour_box = page.locator(f'#export-articles input[value="{harbour.pk}"]')
    harbour_box.wait_for()
    # The article ticked before the second search is still there, still ticked.
    assert page.locator(f'#export-articles input[value="{budget.pk}"]').is_checked()
    assert not harbour_box.is_checked()
    harbour_box.check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    url = download.value.url
    assert f"article={budget.pk}" in url and f"article={harbour.pk}" in url
