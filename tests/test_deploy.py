"""compose.yaml and the settings it relies on (Docker itself cannot run here: the file is read
and its numbers checked, the containers are not started)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from annotations import live

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def env_of(compose, service: str) -> dict:
    return compose["services"][service]["environment"]


def test_requests_go_through_pgbouncer_and_listen_straight_to_postgresql(compose):
    services = compose["services"]
    assert set(services) >= {"db", "pgbouncer", "redis", "migrate", "web", "worker", "proxy"}
    assert services["pgbouncer"]["environment"]["POOL_MODE"] == "transaction"
    web = env_of(compose, "web")
    assert "@pgbouncer:6432/" in web["DATABASE_URL"]
    assert web["DB_TRANSACTION_POOLER"] == "1"
    # The job queue LISTENs and locks across statements: the worker goes straight to db.
    worker = env_of(compose, "worker")
    assert "@db:5432/" in worker["DATABASE_URL"]
    assert worker["DB_TRANSACTION_POOLER"] == "0"
    for env in (web, worker):
        assert "@db:5432/" in env["LISTEN_DATABASE_URL"]
        assert env["CACHE_URL"].startswith("redis://redis:")
    # The release step migrates once, straight to PostgreSQL; nothing else migrates.
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert "@db:5432/" in env_of(compose, "migrate")["DATABASE_URL"]
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
        assert "migrate" not in " ".join(services[name].get("command", []))


def test_two_web_replicas_behind_the_proxy_and_a_worker(compose):
    services = compose["services"]
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["command"] == ["python", "manage.py", "run_worker"]
    mount = services["proxy"]["volumes"][0].split(":")
    config = (ROOT / mount[0]).read_text()
    assert mount[1] == "/etc/nginx/nginx.conf"
    assert re.search(r"server web:8000\b", config)
    # Live updates are streamed event by event, not buffered by the proxy.
    assert "proxy_buffering off" in config


def test_the_connection_budget_fits(compose):
    """Every process's pool fits PgBouncer's client limit, and PgBouncer's server pool plus
    the connections that bypass it fit PostgreSQL's max_connections."""
    services = compose["services"]
    web, worker = env_of(compose, "web"), env_of(compose, "worker")
    web_processes = services["web"]["deploy"]["replicas"] * int(web["WEB_CONCURRENCY"])
    bouncer = services["pgbouncer"]["environment"]
    clients = web_processes * int(web["DB_POOL_MAX_SIZE"]) + int(worker["DB_POOL_MAX_SIZE"])
    assert clients <= int(bouncer["MAX_CLIENT_CONN"])
    max_connections = int(services["db"]["command"][-1].split("=")[1])
    listen = web_processes + 1  # one LISTEN per web process (and the worker, if it listens)
    release_and_operator = 1 + 5
    assert int(bouncer["DEFAULT_POOL_SIZE"]) + listen + release_and_operator <= max_connections


def settings_value(code: str, **env: str) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({code})",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_behind_a_transaction_pooler_nothing_outlives_a_transaction():
    code = (
        "settings.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS'), "
        "settings.DATABASES['default']['OPTIONS'].get('prepare_threshold', 'default')"
    )
    assert settings_value(code, DB_TRANSACTION_POOLER="1") == "True None"
    assert settings_value(code, DB_TRANSACTION_POOLER="0") == "None default"


def test_the_listen_connection_uses_listen_database_url(settings):
    settings.LISTEN_DATABASE_URL = "postgresql://u:p@db:5432/sourcemark"
    assert live.listen_connection_params() == {"conninfo": settings.LISTEN_DATABASE_URL}
    settings.LISTEN_DATABASE_URL = ""
    params = live.listen_connection_params()
    assert params["dbname"] == settings.DATABASES["default"]["NAME"]
    assert "cursor_factory" not in params


def test_a_cache_url_that_is_not_redis_is_refused():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "CACHE_URL": "memcached://127.0.0.1:11211"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "CACHE_URL must be a redis:// URL" in result.stderr
