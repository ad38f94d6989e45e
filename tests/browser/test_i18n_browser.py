"""The German interface in Chromium: chosen from the browser's language, switched in the
header (with and without JavaScript) and remembered; the phone menu."""

import pytest
from django.test import Client
from django.urls import reverse
from factories import make_seed_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_as(chromium, live_server):
    contexts = []

    def open_page(user, *, locale="en-GB", width=1280, javascript=True):
        context = chromium.new_context(
            viewport={"width": width, "height": 900},
            locale=locale,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def watch_errors(page) -> list[str]:
    problems = []  # console errors, e.g. Content-Security-Policy violations
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_german_browser_gets_german_and_the_switch_remembers_english(
    open_as, live_server, workspace, alice
):
    article = make_seed_article(workspace=workspace, user=alice)
    page = open_as(alice, locale="de-DE")
    problems = watch_errors(page)
    page.goto(f"{live_server.url}{reverse('articles:library')}")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text().startswith("Bibliothek")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    assert nav.get_by_role("link", name="Quellen").is_visible()
    # The article keeps its own language inside the German (or English) interface.
    assert page.locator(f'a[href="{article.get_absolute_url()}"]').get_attribute("lang") == "de"

    # The switch submits itself when JavaScript runs (its button is only for no-JS).
    assert page.get_by_role("button", name="Sprache wechseln").is_hidden()
    with page.expect_navigation():
        page.get_by_label("Sprache der Oberfläche").select_option("en")
    assert page.url == f"{live_server.url}{reverse('articles:library')}"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Library")

    # Remembered: another page, still English although the browser asks for German.
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert page.locator("html").get_attribute("lang") == "en"
    blocks = page.locator("[data-block-kind]")
    assert blocks.count() > 3
    assert problems == []


def test_the_switch_works_without_javascript(open_as, live_server):
    page = open_as(None, javascript=False)
    page.goto(f"{live_server.url}{reverse('login')}")
    assert page.locator("h1").inner_text() == "Sign in"
    page.get_by_label("Interface language").select_option("de")
    with page.expect_navigation():
        page.get_by_role("button", name="Change language").click()
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text() == "Anmelden"
    assert page.get_by_label("Benutzername").is_visible()


def test_phone_menu_folds_the_header(open_as, live_server, workspace, alice):
    page = open_as(alice, locale="de-DE", width=390)
    problems = watch_errors(page)
    page.goto(f"{live_server.url}{reverse('articles:library')}")
    header_height = page.locator(".site-header").bounding_box()["height"]
    assert header_height < 80  # was ~330 px with every link and the account row shown
    toggle = page.get_by_role("button", name="Menü")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.get_by_role("link", name="Quellen").is_hidden()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="Quellen").click()
    page.wait_for_url(f"**{reverse('annotations:tags')}")
    assert page.locator("h1").inner_text().startswith("Quellenangaben")
    # Escape closes an open menu and gives focus back to its button.
    page.get_by_role("button", name="Menü").click()
    page.keyboard.press("Escape")
    assert page.get_by_role("button", name="Menü").get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('nav-toggle')")
    assert problems == []
