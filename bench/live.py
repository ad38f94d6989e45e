"""Live updates across server processes: latency and how many SSE subscribers one process holds.

    .venv/bin/python bench/live.py [--claims 200] [--subscribers 100,500,1000,2000]

Two uvicorn processes share nothing but PostgreSQL. alice creates claims through process A;
bob's Server-Sent Events stream is connected to process B.
1. Latency from sending the create request to the event arriving at B's subscriber, p50/p95
   over `--claims` claims (goal: p95 <= 300 ms).
2. Fan-out: N concurrent subscribers on process B; one claim created on A; time until every
   subscriber has the event (p50/p95/max over subscribers) and how many got it.
Last line: the numbers for both.
"""

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

from _common import ROOT, bench_database, free_port, session_cookie_for, setup_django

# Set in main(): fresh passages of the seed (one person cannot highlight a passage twice).
PASSAGES: list[str] = []
CSRF = "l" * 32


def start_uvicorn(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
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
            "--backlog",
            "4096",
        ],
        cwd=ROOT,
        env={**os.environ, "WHITENOISE_USE_FINDERS": "1"},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("uvicorn did not start")


def create_claim(connection, article_id: int, cookie: str, quote: str) -> float:
    body = urllib.parse.urlencode({"exact": quote})
    started = time.perf_counter()
    connection.request(
        "POST",
        f"/articles/{article_id}/claims/",
        body,
        {
            "Cookie": f"sessionid={cookie}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": "http://127.0.0.1/",
        },
    )
    response = connection.getresponse()
    response.read()
    assert response.status == 201, response.status
    return started


# How often a subscriber was told to come back (503 + Retry-After) while connecting.
TOLD_TO_COME_BACK = [0]


async def subscriber(port, path, cookie, arrivals: dict, ready: asyncio.Event, stop: asyncio.Event):
    delay = 1.0
    while True:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={cookie}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        status = await reader.readline()
        if b" 200 " in status:
            break
        writer.close()
        if b" 503 " not in status:
            raise RuntimeError(status)
        # As a browser does (static/js/live.js): come back later, backing off.
        TOLD_TO_COME_BACK[0] += 1
        await asyncio.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 30.0)
    ready.set()
    try:
        while not stop.is_set():
            line = await reader.readline()
            if not line:
                break
            if line.startswith(b"data: {"):
                event = json.loads(line[6:])
                arrivals.setdefault(event["claim"], time.perf_counter())
    finally:
        writer.close()


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * fraction))]


async def latency_run(args, ports, article, alice_cookie, bob_cookie):
    arrivals: dict[int, float] = {}
    ready, stop = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(
        subscriber(ports[1], f"/articles/{article.pk}/events/", bob_cookie, arrivals, ready, stop)
    )
    await asyncio.wait_for(ready.wait(), 10)
    await asyncio.sleep(0.5)
    connection = http.client.HTTPConnection("127.0.0.1", ports[0], timeout=30)
    sent: dict[int, float] = {}
    for number in range(args.claims):
        started = await asyncio.to_thread(
            create_claim, connection, article.pk, alice_cookie, PASSAGES[number]
        )
        sent[number] = started
        await asyncio.sleep(0.02)
    await asyncio.sleep(1.0)
    stop.set()
    task.cancel()
    from annotations.models import Claim

    ids = await asyncio.to_thread(
        lambda: list(Claim.objects.order_by("id").values_list("id", flat=True))
    )
    latencies = [
        (arrivals[claim_id] - sent[number]) * 1000
        for number, claim_id in enumerate(ids[-args.claims :])
        if claim_id in arrivals
    ]
    return latencies


async def fanout_run(port_a, port_b, article, alice_cookie, bob_cookie, count):
    arrivals_by_sub = [dict() for _ in range(count)]
    stop = asyncio.Event()
    readies = [asyncio.Event() for _ in range(count)]
    tasks = []
    for index in range(count):
        tasks.append(
            asyncio.create_task(
                subscriber(
                    port_b,
                    f"/articles/{article.pk}/events/",
                    bob_cookie,
                    arrivals_by_sub[index],
                    readies[index],
                    stop,
                )
            )
        )
        if index % 50 == 49:
            await asyncio.sleep(0.05)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in readies)), 60)
    connected = sum(ready.is_set() for ready in readies)
    await asyncio.sleep(1.0)
    connection = http.client.HTTPConnection("127.0.0.1", port_a, timeout=30)
    started = await asyncio.to_thread(
        create_claim, connection, article.pk, alice_cookie, PASSAGES.pop()
    )
    await asyncio.sleep(min(10, 2 + count / 200))
    got = [min(arrivals.values()) - started for arrivals in arrivals_by_sub if arrivals]
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return connected, [value * 1000 for value in got]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--subscribers", default="100,500,1000")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    setup_django(bench_database("sourcemark_bench_live"))
    from django.core.management import call_command

    from articles.models import Article

    call_command("load_demo", verbosity=0)
    article = Article.objects.get(workspace__slug="demo")
    from annotations.selectors import article_canonical_text

    text = article_canonical_text(article=article)
    for number in range(args.claims + 50):
        start = 50 + (number * 37) % (len(text) - 200)
        PASSAGES.append(text[start : start + 40 + number % 40].strip())
    alice_cookie, bob_cookie = session_cookie_for("alice"), session_cookie_for("bob")
    ports = [free_port(), free_port()]
    servers = [start_uvicorn(port) for port in ports]
    try:
        latencies = asyncio.run(latency_run(args, ports, article, alice_cookie, bob_cookie))
        print(
            f"latency  {len(latencies)}/{args.claims} events arrived; "
            f"p50 {statistics.median(latencies):.1f} ms  p95 {percentile(latencies, 0.95):.1f} ms"
            f"  max {max(latencies):.1f} ms"
        )
        held = 0
        fanout_summary = ""
        for count in [int(value) for value in args.subscribers.split(",")]:
            TOLD_TO_COME_BACK[0] = 0
            connected, got = asyncio.run(
                fanout_run(ports[0], ports[1], article, alice_cookie, bob_cookie, count)
            )
            line = (
                f"fan-out  {count} subscribers: {connected} connected "
                f"({TOLD_TO_COME_BACK[0]} times told to come back), {len(got)} got the "
                "event"
            )
            if got:
                line += (
                    f"; p50 {statistics.median(got):.0f} ms  p95 "
                    f"{percentile(got, 0.95):.0f} ms  max {max(got):.0f} ms"
                )
            print(line)
            if connected == count and len(got) == count:
                held = count
                fanout_summary = f"fanout_{count}_p95_ms={percentile(got, 0.95):.0f}"
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(10)
    print(
        f"live_p50_ms={statistics.median(latencies):.1f} "
        f"live_p95_ms={percentile(latencies, 0.95):.1f} subscribers_held={held} {fanout_summary}"
    )


if __name__ == "__main__":
    threading.excepthook = lambda exc: None
    main()
