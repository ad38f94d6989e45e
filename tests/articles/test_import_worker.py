"""The job worker for real: ``manage.py run_worker`` processes against the test database,
next to two web server processes (as ``dev.py run`` and production run them)."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.test import Client
from job_helpers import ROOT, WorkerProcess, process_env, wait_for
from test_url_import_support import PageServer

from articles import imports
from articles.models import Article, ImportItem, ImportStatus


@pytest.fixture
def pages():
    with PageServer() as server:
        yield server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def two_web_processes(transactional_db):
    ports = [_free_port(), _free_port()]
    env = process_env(ALLOWED_HOSTS="127.0.0.1,localhost", WHITENOISE_USE_FINDERS="1")
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
            wait_for(lambda port=port: _listening(port), timeout=30, message="no uvicorn")
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


class Browser:
    """A signed-in HTTP client for a server in another process (cookies, CSRF)."""

    def __init__(self, user) -> None:
        session = Client()
        session.force_login(user)
        self.jar = http.cookiejar.CookieJar()
        self.session_id = session.cookies["sessionid"].value
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, base: str, path: str, data: dict | None = None, **headers: str):
        cookies = [f"sessionid={self.session_id}"] + [f"{c.name}={c.value}" for c in self.jar]
        headers = {"Cookie": "; ".join(cookies), **headers}
        body = None
        if data is not None:
            csrf = next(c.value for c in self.jar if c.name == "csrftoken")
            headers |= {"X-CSRFToken": csrf, "Referer": base + path}
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_an_import_queued_on_one_server_is_seen_live_on_the_other(
    two_web_processes, workspace, alice, pages
):
    server_a, server_b = two_web_processes
    browser = Browser(alice)
    assert browser.request(server_a, "/articles/import/batch/")[0] == 200  # CSRF cookie
    with WorkerProcess():
        status, headers, _ = browser.request(
            server_a, "/articles/import/batch/", {"urls": pages.url("/en")}
        )
        assert status == 302
        batch_path = headers["Location"]
        assert re.fullmatch(r"/articles/import/batch/\d+/", batch_path)

        # Process B polls the state the way the page does, while the worker imports.
        def imported_on_b():
            status, _, html = browser.request(server_b, batch_path, HX_Request="true")
            assert status == 200
            return 'data-state="imported"' in html and html

        html = wait_for(imported_on_b, timeout=60, message="the import never showed on B")
    article = Article.objects.get()
    assert article.title == "Council approves new river bridge"
    assert f'href="{article.get_absolute_url()}"' in html
    status, _, page = browser.request(server_b, article.get_absolute_url())
    assert status == 200 and "Council approves new river bridge" in page


def _queue(workspace, alice, url: str) -> ImportItem:
    batch = imports.queue_batch(workspace=workspace, user=alice, urls=[url])
    return batch.items.get()


def _status(item: ImportItem) -> ImportItem | None:
    item.refresh_from_db()
    return item if item.finished else None


def test_a_passing_failure_is_retried_after_a_wait(transactional_db, workspace, alice, pages):
    item = _queue(workspace, alice, pages.url("/flaky/retry"))
    started = time.monotonic()
    with WorkerProcess():
        wait_for(lambda: _status(item), timeout=60, message="never finished")
    assert (item.status, item.attempts) == (ImportStatus.DONE, 2)
    assert pages.hits.count("/flaky/retry") == 2
    assert time.monotonic() - started >= 1  # JOB_RETRY_SECONDS=1 before the second attempt
    assert Article.objects.count() == 1


def test_a_job_of_a_killed_worker_is_run_by_the_next(transactional_db, workspace, alice, pages):
    item = _queue(workspace, alice, pages.url("/stall-once/job"))
    first = WorkerProcess()
    try:
        wait_for(lambda: "/stall-once/job" in pages.hits, timeout=30, message="not started")
        item.refresh_from_db()
        assert item.status == ImportStatus.RUNNING
    finally:
        first.kill()  # mid-job: the page is still being fetched
    with WorkerProcess():  # JOB_STALLED_SECONDS=4: it takes the job over
        wait_for(lambda: _status(item), timeout=60, message="the job was never run again")
    assert (item.status, item.attempts) == (ImportStatus.DONE, 2)
    assert Article.objects.count() == 1
