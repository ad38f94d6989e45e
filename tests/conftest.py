import os
import shutil
from pathlib import Path

import pytest
from factories import add_member, make_user, make_workspace

from workspaces.models import Role

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def close_connection_pools(django_db_setup, django_db_blocker):
    """Close the per-process psycopg pools (and the live threads' connections) before the
    test database is dropped, which PostgreSQL refuses while connections are open."""
    yield
    from django.db import connections

    from annotations import live

    with django_db_blocker.unblock():
        live.close_db_threads()
        for connection in connections.all():
            connection.close()
            if hasattr(connection, "close_pool"):
                connection.close_pool()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing takes ~0.3 s per user; tests are about permissions, not hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    from reading.page import cache as reading_cache

    cache.clear()
    reading_cache.clear()
    yield
    cache.clear()
    reading_cache.clear()


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def charlie(db):
    return make_user("charlie")


@pytest.fixture
def workspace(alice, bob):
    """alice owns it, bob edits in it; charlie (when used) is not a member."""
    desk = make_workspace(name="Fact-check desk", owner=alice)
    add_member(workspace=desk, user=bob, role=Role.EDITOR)
    return desk


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


# Module scope: Playwright's sync API keeps an event loop running in the main thread, which
# would stop later (non-browser) tests from calling async views through the test client.
@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page_for(chromium, live_server):
    """Open a signed-in browser page for a user: browser_page_for(user) -> Page."""
    from django.test import Client

    contexts = []

    def open_page(user, *, width=1280, height=900, color_scheme="light"):
        client = Client()  # one per user: logging in another user would end this session
        client.force_login(user)
        session_cookie = client.cookies["sessionid"].value
        context = chromium.new_context(
            viewport={"width": width, "height": height}, color_scheme=color_scheme
        )
        context.add_cookies(
            [{"name": "sessionid", "value": session_cookie, "url": live_server.url}]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
