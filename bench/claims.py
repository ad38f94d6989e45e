"""Claims at scale: the seed's reading page with 500 claims by 20 users, and claim creation.

    .venv/bin/python bench/claims.py [--seconds 8] [--writers 32] [--claims-per-writer 20]

1. Requests per second of the reading page (500 claims, 20 annotators, tags) against the trivial
   template view, same gunicorn server and client, same run (goal: ratio >= 0.4).
2. Server time of creating a claim (Server-Timing header: time inside Django, including the
   anchoring and the INSERT) with `--writers` concurrent writers, p50/p95 (goal: p95 <= 25 ms);
   the client-side latency is printed too (it includes queueing on this 2-core machine).
"""

import argparse
import http.client
import re
import statistics
import threading
import time
import urllib.parse

from _common import (
    bench_database,
    compare,
    free_port,
    load,
    session_cookie_for,
    setup_django,
    start_gunicorn,
)


def seed_claims(*, claims: int, users: int):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from annotations.anchoring import canonical_text, selector_at
    from annotations.models import Claim, ClaimTag, SourceTag
    from articles.models import Article
    from workspaces.models import Membership

    call_command("load_demo", verbosity=0)
    article = Article.objects.get(workspace__slug="demo")
    people = []
    for number in range(users):
        user, _ = get_user_model().objects.get_or_create(username=f"annotator{number:02d}")
        Membership.objects.get_or_create(
            workspace=article.workspace, user=user, defaults={"role": "editor"}
        )
        people.append(user)
    text = canonical_text(block_texts=list(article.blocks.values_list("text", flat=True)))
    tags = [
        SourceTag.objects.get_or_create(workspace=article.workspace, label=label)[0]
        for label in ("WSJ citing US officials", "Reuters", "Russian Foreign Ministry")
    ]
    rows = []
    step = max(1, (len(text) - 120) // claims)
    for index in range(claims):
        start = index * step
        end = min(len(text), start + 40 + index % 80)
        selector = selector_at(text=text, start=start, end=end)
        rows.append(
            Claim(
                article=article,
                workspace=article.workspace,
                author=people[index % users],
                exact=selector.exact,
                prefix=selector.prefix,
                suffix=selector.suffix,
                start=selector.start,
                end=selector.end,
            )
        )
    Claim.objects.bulk_create(rows)
    ClaimTag.objects.bulk_create(
        ClaimTag(claim=claim, tag=tags[index % 3]) for index, claim in enumerate(rows)
    )
    return article, people, text


def create_claims(*, port, article, cookies, csrf, text, writers, per_writer):
    server_ms: list[float] = []
    client_ms: list[float] = []
    failures = [0]
    lock = threading.Lock()

    # Every request highlights a different passage (the same person cannot highlight the
    # same passage twice): 40-80 characters at a fresh offset, with its context.
    def body_for(number: int) -> str:
        start = 50 + (number * 37) % (len(text) - 200)
        end = start + 40 + number % 40
        return urllib.parse.urlencode(
            {
                "exact": text[start:end],
                "start": start,
                "end": end,
                "prefix": text[max(0, start - 32) : start],
                "suffix": text[end : end + 32],
            }
        )

    barrier = threading.Barrier(writers)

    def writer(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        cookie = f"sessionid={cookies[number % len(cookies)]}; csrftoken={csrf}"
        headers = {
            "Cookie": cookie,
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/",
        }
        mine_server, mine_client = [], []
        barrier.wait()
        for index in range(per_writer):
            body = body_for(number * per_writer + index)
            began = time.perf_counter()
            connection.request("POST", f"/articles/{article.pk}/claims/", body, headers)
            response = connection.getresponse()
            response.read()
            mine_client.append((time.perf_counter() - began) * 1000)
            if response.status != 201:
                with lock:
                    failures[0] += 1
                continue
            match = re.search(r"dur=([\d.]+)", response.getheader("Server-Timing", ""))
            mine_server.append(float(match.group(1)))
        with lock:
            server_ms.extend(mine_server)
            client_ms.extend(mine_client)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(server_ms), sorted(client_ms), failures[0]


def pct(values, fraction):
    return values[min(len(values) - 1, int(len(values) * fraction))] if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--writers", type=int, default=32)
    parser.add_argument("--claims-per-writer", type=int, default=20)
    args = parser.parse_args()

    setup_django(bench_database())
    article, people, text = seed_claims(claims=500, users=20)
    cookie = session_cookie_for("alice")
    writer_cookies = [session_cookie_for(user.username) for user in people]
    csrf = "b" * 32  # any 32-char token works when cookie and header agree
    port = free_port()
    server = start_gunicorn(port=port, workers=2)
    try:
        paths = {"trivial": "/bench/trivial/", "reading": article.get_absolute_url()}
        for path in paths.values():
            load(port=port, path=path, cookie=cookie, seconds=1, concurrency=args.concurrency)
        pages = compare(
            port=port,
            paths=paths,
            cookie=cookie,
            seconds=args.seconds,
            concurrency=args.concurrency,
        )
        server_ms, client_ms, failures = create_claims(
            port=port,
            article=article,
            cookies=writer_cookies,
            csrf=csrf,
            text=text,
            writers=args.writers,
            per_writer=args.claims_per_writer,
        )
    finally:
        server.terminate()
        server.wait(10)
    for name, result in pages.items():
        print(
            f"{name:8s} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:.1f} ms  "
            f"p95 {result['p95_ms']:.1f} ms  ({result['errors']} errors)"
        )
    print(
        f"create   {len(server_ms)} claims by {args.writers} concurrent writers, "
        f"{failures} failed; server p50 {statistics.median(server_ms):.1f} ms "
        f"p95 {pct(server_ms, 0.95):.1f} ms; client p50 {statistics.median(client_ms):.1f} ms "
        f"p95 {pct(client_ms, 0.95):.1f} ms"
    )
    ratio = pages["reading"]["rps"] / pages["trivial"]["rps"]
    print(
        f"reading_500_claims_rps={pages['reading']['rps']:.1f} "
        f"trivial_rps={pages['trivial']['rps']:.1f} ratio={ratio:.2f} "
        f"create_server_p50_ms={statistics.median(server_ms):.1f} "
        f"create_server_p95_ms={pct(server_ms, 0.95):.1f}"
    )


if __name__ == "__main__":
    main()
