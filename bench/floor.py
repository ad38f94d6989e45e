"""The per-request floor: a signed-in trivial page against a bare Django template view.

    .venv/bin/python bench/floor.py [--seconds 10] [--connections 16] [--server asgi|wsgi]
                                    [--no-cache]

Two servers of the same kind (gunicorn, 2 workers; `asgi` = uvicorn workers as in the
Dockerfile, `wsgi` = gunicorn's own sync workers) run side by side in the same run:
  * bare:      `config.bench_settings_bare`: no middleware, no context processors, only
               the trivial template view (what Django costs to render a template);
  * signed-in: the app's settings; alice's session cookie asks for the same trivial view,
               so everything the app does before a view's own work is what is measured.
The load comes from `wrk` when it is installed (a native client: the benches' Python
threads saturate near 600 req/s and would compress the ratio), else from the Python client;
the output says which. Rounds alternate between the two servers. Goal: ratio >= 0.25.
Sessions, the user and memberships come from a scratch Redis (CACHE_URL, as in compose.yaml)
when `redis-server` is installed, unless --no-cache (then from PostgreSQL, as before).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time

from _common import ROOT, bench_database, free_port, load, session_cookie_for, setup_django

TRIVIAL_PATH = "/bench/trivial/"
SERVER_COMMANDS = {
    "asgi": ["config.asgi:application", "--worker-class", "uvicorn_worker.UvicornWorker"],
    "wsgi": ["config.wsgi:application"],
}


def start_server(*, kind: str, port: int, settings_module: str, workers: int = 2):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            *SERVER_COMMANDS[kind],
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{kind} server did not start")


WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_REQUESTS = re.compile(r"(\d+) requests in")
WRK_BAD = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_ERRORS = re.compile(r"Socket errors:.*?read (\d+), write (\d+), timeout (\d+)")


def wrk_load(*, port: int, cookie: str, seconds: float, connections: int) -> dict:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-H",
            f"Cookie: sessionid={cookie}",
            f"http://127.0.0.1:{port}{TRIVIAL_PATH}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = sum(int(n) for n in (WRK_ERRORS.search(output) or re.match("", "")).groups())
    bad = WRK_BAD.search(output)
    return {
        "rps": float(WRK_RPS.search(output).group(1)),
        "requests": int(WRK_REQUESTS.search(output).group(1)),
        "errors": errors + (int(bad.group(1)) if bad else 0),
    }


def measure(*, port: int, cookie: str, seconds: float, connections: int, client: str) -> dict:
    if client == "wrk":
        return wrk_load(port=port, cookie=cookie, seconds=seconds, connections=connections)
    result = load(
        port=port,
        path=TRIVIAL_PATH,
        cookie=cookie,
        seconds=seconds,
        concurrency=min(connections, 8),
    )
    return {"rps": result["rps"], "requests": result["requests"], "errors": result["errors"]}


def start_redis() -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
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
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("redis-server did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server", choices=sorted(SERVER_COMMANDS), default="asgi")
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args()
    client = "wrk" if shutil.which("wrk") else "python threads"
    cache = None
    if not args.no_cache and shutil.which("redis-server"):
        cache, os.environ["CACHE_URL"] = start_redis()
    else:
        os.environ.pop("CACHE_URL", None)

    setup_django(bench_database())
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    cookie = session_cookie_for("alice")
    ports = {"signed-in": free_port(), "bare": free_port()}
    settings_modules = {"signed-in": "config.settings", "bare": "config.bench_settings_bare"}
    servers = [
        start_server(kind=args.server, port=ports[name], settings_module=module)
        for name, module in settings_modules.items()
    ]
    totals = {name: {"requests": 0, "errors": 0, "elapsed": 0.0} for name in ports}
    try:
        for port in ports.values():  # warm up (template caches, pool connections)
            measure(
                port=port, cookie=cookie, seconds=2, connections=args.connections, client=client
            )
        for _ in range(args.rounds):
            for name, port in ports.items():
                result = measure(
                    port=port,
                    cookie=cookie,
                    seconds=args.seconds / args.rounds,
                    connections=args.connections,
                    client=client,
                )
                totals[name]["requests"] += result["requests"]
                totals[name]["errors"] += result["errors"]
                totals[name]["elapsed"] += (
                    result["requests"] / result["rps"]
                    if result["rps"]
                    else args.seconds / args.rounds
                )
    finally:
        for process in [*servers, *([cache] if cache else [])]:
            process.terminate()
            process.wait(10)
    rps = {name: total["requests"] / total["elapsed"] for name, total in totals.items()}
    for name, total in totals.items():
        print(
            f"{name:9s} {rps[name]:8.1f} req/s  ({total['requests']} requests, "
            f"{total['errors']} errors or non-2xx)  server: gunicorn {args.server}, 2 workers"
        )
    print(f"shared cache: {'redis' if cache else 'none (sessions, users from PostgreSQL)'}")
    if any(total["errors"] for total in totals.values()):
        sys.exit("some requests failed: the numbers above are not comparable")
    print(
        f"floor: signed-in {rps['signed-in']:.0f} req/s · bare {rps['bare']:.0f} req/s · "
        f"ratio {rps['signed-in'] / rps['bare']:.2f} ({client})"
    )


if __name__ == "__main__":
    main()
