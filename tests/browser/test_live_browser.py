"""Two people on the seed article, served by two different server processes.

alice's browser talks to one uvicorn process and bob's to another; the only thing they share
is PostgreSQL (LISTEN/NOTIFY), which is the point of the test.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from browser_helpers import SELECT_TEXT, marked_text
from django.db import connection
from django.test import Client
from factories import make_seed_article

from annotations import services
from annotations.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
SENTENCE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"
SECRET = "Moskau habe bereits damit begonnen, Raketenwerfer"


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or ""
    if host.startswith("/"):
        return f"postgresql://{auth}@/{db['NAME']}?host={quote(host)}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgresql://{auth}@{host}{port}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def two_servers(transactional_db, chromium):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "WHITENOISE_USE_FINDERS": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for port in ports
    ]
    try:
        for port in ports:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("uvicorn did not start") from None
                    time.sleep(0.2)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)


def open_as(chromium, user, base_url):
    client = Client()  # one per user: logging another user in would end this session
    client.force_login(user)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("dialog", lambda dialog: dialog.accept())  # "Delete this claim?" → yes
    # Keep every live event the page receives, to check what reached the browser.
    page.add_init_script(
        "window.__liveEvents = [];"
        "document.addEventListener('sourcemark:live', e => window.__liveEvents.push("
        "JSON.stringify(e.detail)));"
    )
    return context, page


def test_claims_appear_and_disappear_live(chromium, two_servers, workspace, alice, bob):
    article = make_seed_article(workspace=workspace, user=alice)
    server_a, server_b = two_servers
    alice_context, alice_page = open_as(chromium, alice, server_a)
    bob_context, bob_page = open_as(chromium, bob, server_b)
    try:
        url = article.get_absolute_url()
        alice_page.goto(server_a + url)
        bob_page.goto(server_b + url)
        bob_page.wait_for_selector('#live-status[data-state="live"]')
        alice_page.wait_for_selector('#live-status[data-state="live"]')
        bob_page.evaluate("window.scrollTo(0, 300)")

        alice_page.evaluate(SELECT_TEXT, SENTENCE)
        alice_page.locator('button[data-action="highlight"]').click()
        alice_page.wait_for_selector("#claim-card .claim-card")
        claim = Claim.objects.get()

        # bob sees the new mark within 2 s, without a reload, at the same scroll position.
        bob_page.wait_for_selector(f'mark[data-annotation-id="{claim.pk}"]', timeout=2000)
        assert marked_text(bob_page, claim.pk) == SENTENCE
        assert bob_page.evaluate("performance.getEntriesByType('navigation').length") == 1
        assert bob_page.evaluate("window.scrollY") == 300
        bob_page.wait_for_selector("#live-notice:not([hidden])", timeout=2000)
        assert "new claim by alice" in bob_page.locator("#live-notice").inner_text()

        # A private claim of alice's never reaches bob, neither the page nor the stream.
        secret = services.create_claim(
            article=article, author=alice, exact=SECRET, visibility="private"
        )
        alice_page.wait_for_selector(f'mark[data-annotation-id="{secret.pk}"]', timeout=2000)

        # alice deletes her shared claim: it disappears for bob within 2 s.
        alice_page.locator("#claim-card .claim-delete button").click()
        bob_page.wait_for_selector(
            f'mark[data-annotation-id="{claim.pk}"]', state="detached", timeout=2000
        )
        bob_events = "\n".join(bob_page.evaluate("window.__liveEvents"))
        bob_html = bob_page.content()
        assert f'"claim":{secret.pk}' not in bob_events
        assert SECRET[:30] not in bob_events
        assert f'data-annotation-id="{secret.pk}"' not in bob_html
        assert f'"claim":{claim.pk}' in bob_events
    finally:
        alice_context.close()
        bob_context.close()
