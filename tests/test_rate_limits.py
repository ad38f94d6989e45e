"""Rate limits: sign-in, invite links, imports and new claims (ratelimits/).

They run with the limits the settings give by default, as production does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from factories import PASSWORD, make_article, make_user
from job_helpers import drain_jobs

from articles.models import ImportItem
from ratelimits import limiter
from ratelimits.models import HitLog
from ratelimits.views import DEVICE_COOKIE
from workspaces import services as workspace_services
from workspaces.models import Role

ROOT = Path(__file__).resolve().parents[1]
LOGIN = "/accounts/login/"
HOME = "203.0.113.10"
ELSEWHERE = "198.51.100.77"


def sign_in(client, username, password, address=HOME):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def age_all_hits(*, by: timedelta) -> None:
    """Move every recorded hit `by` into the past (as if that much time had gone by)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ratelimits_hitlog SET hits = ARRAY(SELECT h - %s FROM unnest(hits) h), "
            "expires_at = expires_at - %s",
            [by, by],
        )


# --- settings ----------------------------------------------------------------------------


def _settings_in_a_fresh_process(**env_changes) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("RATE_LIMIT", "DJANGO_SETTINGS"))
    }
    env.update(env_changes)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.RATE_LIMITS_ENABLED, s.RATE_LIMITS['login_username'], "
        "s.RATE_LIMITS['login_address'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_limits_are_on_by_default():
    result = _settings_in_a_fresh_process()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "True (10, 900) (10, 900)"


def test_a_bench_may_raise_a_limit_and_a_bad_value_stops_the_start():
    raised = _settings_in_a_fresh_process(RATE_LIMIT_LOGIN_USERNAME="1000/1h")
    assert raised.stdout.startswith("True (1000, 3600)"), raised.stderr
    bad = _settings_in_a_fresh_process(RATE_LIMIT_LOGIN_ADDRESS="ten per minute")
    assert bad.returncode != 0
    assert "RATE_LIMIT_LOGIN_ADDRESS must be a rate like 10/15m" in bad.stderr


# --- signing in ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_ten_wrong_passwords_then_429_even_with_the_right_one(client, alice):
    for attempt in range(10):
        response = sign_in(client, "alice", f"wrong-{attempt}")
        assert response.status_code == 200, attempt
        assert b"didn&#x27;t match" in response.content or b"didn't match" in response.content
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert 840 <= int(response["Retry-After"]) <= 900
    page = response.content.decode()
    assert "Too many sign-in attempts" in page
    assert "Try again in 15 minutes." in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_limit_is_per_username_from_any_address(alice):
    for attempt in range(10):
        address = f"192.0.2.{attempt}"  # a different address each time
        assert sign_in(Client(), "alice", "wrong", address).status_code == 200
    assert sign_in(Client(), "alice", PASSWORD, ELSEWHERE).status_code == 429
    assert sign_in(Client(), "bob", "wrong", ELSEWHERE).status_code == 200


@pytest.mark.django_db
def test_the_limit_is_per_address_for_any_username(client, alice, bob):
    for attempt in range(10):
        assert sign_in(client, f"nobody{attempt}", "wrong").status_code == 200
    assert sign_in(client, "bob", PASSWORD).status_code == 429
    assert sign_in(Client(), "bob", PASSWORD, ELSEWHERE).status_code == 302


@pytest.mark.django_db
def test_successful_sign_ins_do_not_count(alice):
    for _ in range(15):
        assert sign_in(Client(), "alice", PASSWORD).status_code == 302
    for _ in range(10):
        assert sign_in(Client(), "alice", "wrong").status_code == 200
    assert sign_in(Client(), "alice", "wrong").status_code == 429


@pytest.mark.django_db
def test_the_block_ends_by_itself_and_refused_attempts_do_not_extend_it(client, alice):
    for _ in range(10):
        sign_in(client, "alice", "wrong")
    age_all_hits(by=timedelta(minutes=10))
    for _ in range(30):  # an attacker keeps trying during the block: none of it counts
        assert sign_in(client, "alice", "wrong").status_code == 429
    age_all_hits(by=timedelta(minutes=5, seconds=1))
    assert sign_in(client, "alice", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_window_slides_at_most_ten_in_any_fifteen_minutes(client, alice):
    for _ in range(5):
        sign_in(client, "alice", "wrong")
    age_all_hits(by=timedelta(minutes=14))
    for _ in range(5):
        assert sign_in(client, "alice", "wrong").status_code == 200
    assert sign_in(client, "alice", "wrong").status_code == 429  # a fixed window would allow
    age_all_hits(by=timedelta(minutes=1, seconds=1))  # the first five leave the window
    assert sign_in(client, "alice", "wrong").status_code == 200


@pytest.mark.django_db
def test_an_attacker_cannot_lock_the_owner_out_of_her_own_browser(alice):
    own_browser = Client()
    assert sign_in(own_browser, "alice", PASSWORD).status_code == 302
    assert own_browser.post("/accounts/logout/").status_code == 302
    assert own_browser.cookies[DEVICE_COOKIE].value  # signing out keeps it
    attacker = Client()
    for _ in range(10):
        sign_in(attacker, "alice", "guess", ELSEWHERE)
    assert sign_in(attacker, "alice", PASSWORD, ELSEWHERE).status_code == 429
    # The device cookie only vouches for the username it was given for.
    assert sign_in(Client(), "alice", PASSWORD).status_code == 429
    assert sign_in(own_browser, "alice", PASSWORD).status_code == 302
    # A stolen-looking or forged cookie is no help to the attacker.
    attacker.cookies[DEVICE_COOKIE] = "forged"
    assert sign_in(attacker, "alice", PASSWORD, ELSEWHERE).status_code == 429


@pytest.mark.django_db
def test_the_admin_sign_in_has_the_same_limits(client, alice):
    alice.is_staff = True
    alice.save()
    for _ in range(10):
        response = client.post("/admin/login/", {"username": "alice", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    age_all_hits(by=timedelta(minutes=15, seconds=1))
    response = client.post("/admin/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert DEVICE_COOKIE in client.cookies


@pytest.mark.django_db
def test_the_client_address_is_the_proxys_only_when_trusted(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert limiter.client_address(request) == "10.0.0.1"
    settings.TRUST_X_FORWARDED_FOR = True
    assert limiter.client_address(request) == "5.6.7.8"
    v6 = rf.get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    assert limiter.client_address(v6) == "2001:db8:1:2::/64"


# --- invites, imports, claims ------------------------------------------------------------


@pytest.mark.django_db
def test_invite_links_are_limited_per_user_and_per_address(client, workspace, alice, charlie):
    client.force_login(charlie)
    for attempt in range(20):
        response = client.get(f"/invite/guess-{attempt}/", REMOTE_ADDR=HOME)
        assert response.status_code == 404
    invite = workspace_services.create_invite(
        workspace=workspace, role=Role.EDITOR, days=7, created_by=alice
    )
    refused = client.post(invite.get_absolute_url(), REMOTE_ADDR=ELSEWHERE)
    assert refused.status_code == 429
    assert "Too many invite links" in refused.content.decode()
    assert not workspace.memberships.filter(user=charlie).exists()
    # Someone else at the same address is held back too; elsewhere, they are not.
    dora = Client()
    dora.force_login(make_user("dora"))
    assert dora.get(invite.get_absolute_url(), REMOTE_ADDR=HOME).status_code == 429
    assert dora.post(invite.get_absolute_url(), REMOTE_ADDR=ELSEWHERE).status_code == 302


@pytest.mark.django_db
def test_imports_are_limited_per_user(client, workspace, alice, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "import_user": (2, 900)}
    client.force_login(alice)
    text = {"text": "A headline\n\nA paragraph that says something."}
    assert client.post("/articles/import/", text).status_code == 302
    assert client.post("/articles/import/web/", {"url": ""}).status_code == 400  # counts
    refused = client.post("/articles/import/", text)
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert "Too many imports" in refused.content.decode()
    assert workspace.articles.count() == 1
    row = client.post("/articles/import/batch/item/", {"index": 0, "url": "https://a.example/"})
    assert row.status_code == 200  # the batch's row shows why, and the batch goes on
    assert "Too many imports" in row.content.decode()


@pytest.mark.django_db
def test_each_file_of_a_batch_counts(client, workspace, alice, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "import_user": (3, 900)}
    client.force_login(alice)

    def batch():
        files = [
            SimpleUploadedFile(f"{n}.txt", b"A headline\n\nSome text.", "text/plain")
            for n in range(2)
        ]
        return client.post("/articles/import/batch/", {"files": files})

    assert batch().status_code == 302
    assert batch().status_code == 302  # queued; its second file would be the fourth import
    items = ImportItem.objects.order_by("batch_id", "position")
    assert [item.status for item in items] == ["queued", "queued", "queued", "failed"]
    assert "Too many imports" in items.last().error
    drain_jobs()
    assert workspace.articles.count() == 3


@pytest.mark.django_db
def test_the_default_import_limit_allows_a_full_batch(client, workspace, alice):
    client.force_login(alice)
    for index in range(50):
        row = client.post("/articles/import/batch/item/", {"index": index, "url": ""})
        assert "Too many imports" not in row.content.decode()


@pytest.mark.django_db
def test_new_claims_are_limited_per_user(client, workspace, alice, bob, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "claim_user": (2, 900)}
    article = make_article(workspace=workspace, user=alice)
    client.force_login(alice)
    url = f"/articles/{article.pk}/claims/"
    for quote in ("A headline", "The first paragraph"):
        assert client.post(url, {"exact": quote}).status_code == 201
    refused = client.post(url, {"exact": "A second paragraph"})
    assert refused.status_code == 429
    assert "Too many new claims" in refused.json()["error"]
    assert int(refused["Retry-After"]) > 0
    client.force_login(bob)
    assert client.post(url, {"exact": "A second paragraph"}).status_code == 201


@pytest.mark.django_db
def test_with_limits_off_nothing_is_counted(client, alice, settings):
    settings.RATE_LIMITS_ENABLED = False
    for _ in range(12):
        assert sign_in(client, "alice", "wrong").status_code == 200
    assert not HitLog.objects.exists()


# --- storage ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_pass_the_limit(settings):
    """Separate database sessions (as separate processes have) racing for the last slots."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_username": (10, 900)}
    barrier = threading.Barrier(8)

    def attempt(_):
        try:
            barrier.wait(timeout=10)
            return limiter.check(hits=[("login_username", "victim")]).allowed
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(attempt, range(40)))
    assert results.count(True) == 10
    log = HitLog.objects.get(scope="login_username")
    assert len(log.hits) == 10


@pytest.mark.django_db
def test_expired_logs_are_pruned(client, alice, bob):
    sign_in(client, "alice", "wrong")
    assert HitLog.objects.count() == 2  # the username's and the address's
    age_all_hits(by=timedelta(minutes=16))
    sign_in(client, "bob", "wrong", ELSEWHERE)  # new keys: prunes what has expired
    assert set(HitLog.objects.values_list("scope", flat=True)) == {
        "login_username",
        "login_address",
    }
    assert HitLog.objects.filter(expires_at__lt=timezone.now()).count() == 0
    age_all_hits(by=timedelta(minutes=16))
    call_command("prune_rate_limits", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert not HitLog.objects.exists()


@pytest.mark.django_db
def test_a_callers_transaction_keeps_its_durability():
    # The limiter commits its own transactions without waiting for the disk; a caller's
    # transaction (here the test's) must keep synchronous_commit as it was.
    assert limiter.check(hits=[("claim_user", "someone")]).allowed
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
