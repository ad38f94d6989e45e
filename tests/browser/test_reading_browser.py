"""What a reader does in Chromium on the seed article."""

import pytest
from factories import make_seed_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_blocks_are_set_apart_and_kind_changes_persist(
    browser_page_for, live_server, workspace, alice
):
    article = make_seed_article(workspace=workspace, user=alice)
    page = browser_page_for(alice)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    caption = page.locator('[data-block-kind="caption"]').first
    paragraph = page.locator('[data-block-kind="paragraph"]').first
    caption_style = caption.locator(".block-text").evaluate(
        "el => { const s = getComputedStyle(el); return [s.fontSize, s.fontStyle]; }"
    )
    paragraph_style = paragraph.locator(".block-text").evaluate(
        "el => { const s = getComputedStyle(el); return [s.fontSize, s.fontStyle]; }"
    )
    assert caption_style != paragraph_style
    caption_box = caption.evaluate("el => getComputedStyle(el).borderLeftStyle")
    paragraph_box = paragraph.evaluate("el => getComputedStyle(el).borderLeftStyle")
    assert caption_box == "solid" and paragraph_box == "none"
    assert caption.locator(".block-label").inner_text().lower() == "caption"

    boilerplate = page.locator('[data-block-kind="boilerplate"]').first
    assert boilerplate.evaluate("el => el.open") is False
    assert not boilerplate.locator(".block-text").is_visible()
    boilerplate.locator("summary").click()
    assert boilerplate.locator(".block-text").is_visible()

    # Fix a wrong kind: the related teaser at position 5 is really body text here.
    teaser = page.locator('[data-position="5"][data-block-kind]')
    assert teaser.get_attribute("data-block-kind") == "related"
    block_id = teaser.get_attribute("data-block-id")
    page.locator("label[for=edit-kinds]").click()
    with page.expect_response(lambda r: "/kind/" in r.url) as response_info:
        page.select_option(f"#kind-{block_id}", "paragraph")
    assert response_info.value.status == 200
    page.wait_for_selector(f'#block-{block_id}[data-block-kind="paragraph"]')
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1

    page.reload()
    assert page.locator(f"#block-{block_id}").get_attribute("data-block-kind") == "paragraph"
    assert article.blocks.get(pk=block_id).kind_is_manual


def test_no_console_errors_or_csp_violations(browser_page_for, live_server, workspace, alice):
    article = make_seed_article(workspace=workspace, user=alice)
    page = browser_page_for(alice)
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    for path in ["/", article.get_absolute_url(), "/articles/import/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert problems == []
