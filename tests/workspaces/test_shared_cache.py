"""Sessions, the signed-in user and memberships from the shared cache (Redis): a trivial page
costs no query, and a sign-out, a removal or a role change applies at once, also in another
process (config/sessions.py, workspaces/caching.py, workspaces/signals.py)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from workspaces import services
from workspaces.models import Membership, Role
from workspaces.selectors import current_membership

ROOT = Path(__file__).resolve().parents[2]
TRIVIAL = "/bench/trivial/"


@pytest.fixture(scope="module")
def redis_url():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)


@pytest.fixture
def shared_cache(settings, redis_url):
    settings.CACHE_URL = redis_url
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "sourcemark",
        },  # as settings make it
    }
    settings.ROOT_URLCONF = "config.bench_urls"
    from django.core.cache import caches

    caches["shared"].clear()
    yield caches["shared"]
    caches["shared"].clear()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_trivial_page_reads_nothing_from_postgresql(
    shared_cache, workspace, alice, django_assert_num_queries
):
    client = signed_in(alice)
    assert client.get(TRIVIAL).status_code == 200  # fills the cache
    with django_assert_num_queries(0):
        assert client.get(TRIVIAL).status_code == 200


def test_without_a_shared_cache_every_request_reads_the_database(
    settings, workspace, alice, django_assert_num_queries
):
    settings.ROOT_URLCONF = "config.bench_urls"
    client = signed_in(alice)
    client.get(TRIVIAL)
    with django_assert_num_queries(3):  # session, user, memberships: nothing kept between
        assert client.get(TRIVIAL).status_code == 200


def _current(client: Client, user):
    # A fresh request each time: current_membership keeps its answer on the request.
    request = client.get(TRIVIAL).wsgi_request
    return current_membership(request=request)


# These tests run inside a transaction: the cache is made stale when it commits.
def test_a_role_change_applies_to_the_next_request(
    shared_cache, workspace, alice, bob, django_capture_on_commit_callbacks
):
    client = signed_in(bob)
    assert _current(client, bob).role == Role.EDITOR
    membership = Membership.objects.get(workspace=workspace, user=bob)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_role(membership=membership, role=Role.VIEWER, acting_user=alice)
    assert _current(client, bob).role == Role.VIEWER


def test_a_new_password_ends_other_sessions_at_once(
    shared_cache, workspace, alice, django_capture_on_commit_callbacks
):
    client = signed_in(alice)
    assert client.get(TRIVIAL).status_code == 200
    alice.set_password("a whole new passphrase")
    with django_capture_on_commit_callbacks(execute=True):
        alice.save()
    assert client.get(TRIVIAL).status_code == 302  # to the sign-in page


def test_a_renamed_workspace_shows_at_once(
    shared_cache, workspace, alice, django_capture_on_commit_callbacks
):
    client = signed_in(alice)
    assert _current(client, alice).workspace.name == "Fact-check desk"
    workspace.name = "Verification desk"
    with django_capture_on_commit_callbacks(execute=True):
        workspace.save()
    assert _current(client, alice).workspace.name == "Verification desk"


OTHER_PROCESS = """
import json, os, sys
import django
django.setup()
from django.test import Client
client = Client()
for line in sys.stdin:
    cookie, path = json.loads(line)
    client.cookies["sessionid"] = cookie
    response = client.get(path)
    body = response.content.decode() if not response.streaming else ""
    print(json.dumps([response.status_code, "not in a workspace yet" in body]), flush=True)
"""


class OtherProcess:
    """Another server process: its own interpreter, cache client and database connection."""

    def __init__(self, *, redis_url: str):
        db = connection.settings_dict
        url = f"postgresql://{db['USER']}:{db['PASSWORD']}@/{db['NAME']}?host={db['HOST']}" + (
            f"&port={db['PORT']}" if db["PORT"] else ""
        )
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "CACHE_URL": redis_url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ROOT_URLCONF": "config.bench_urls",
            "ALLOWED_HOSTS": "testserver",
            "DEBUG": "1",
            "DB_POOL_MAX_SIZE": "0",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", OTHER_PROCESS],
            cwd=ROOT,
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def get(self, path: str, *, cookie: str) -> tuple[int, bool]:
        self.process.stdin.write(json.dumps([cookie, path]) + "\n")
        self.process.stdin.flush()
        return tuple(json.loads(self.process.stdout.readline()))  # (status, "not in a workspace")

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(30)


@pytest.fixture
def other_process(shared_cache, redis_url):
    process = OtherProcess(redis_url=redis_url)
    yield process
    process.close()


@pytest.mark.django_db(transaction=True)
def test_signing_out_ends_the_session_in_every_process(other_process, workspace, alice):
    client = signed_in(alice)
    cookie = client.cookies["sessionid"].value
    assert other_process.get(TRIVIAL, cookie=cookie)[0] == 200  # cached there now
    client.post(reverse("logout"))
    assert other_process.get(TRIVIAL, cookie=cookie)[0] == 302


@pytest.mark.django_db(transaction=True)
def test_a_removed_member_loses_the_workspace_in_every_process(
    other_process, workspace, alice, bob
):
    cookie = signed_in(bob).cookies["sessionid"].value
    library = reverse("articles:library")
    assert other_process.get(library, cookie=cookie) == (200, False)  # cached there now
    membership = Membership.objects.get(workspace=workspace, user=bob)
    services.remove_member(membership=membership, acting_user=alice)
    assert other_process.get(library, cookie=cookie) == (200, True)


def test_cache_objects_of_every_thread_and_request_share_one_client_and_pool(redis_url):
    """Django makes a cache object per thread (under ASGI per request context): they must
    not each open their own connections to Redis, nor build a client per operation."""
    from config.cache import RedisCache

    first, second = RedisCache(redis_url, {}), RedisCache(redis_url, {})
    first.set("shared-pool-check", 1)
    assert second.get("shared-pool-check") == 1
    client = first._cache.get_client()
    assert client is second._cache.get_client(write=True) is first._cache.get_client()
