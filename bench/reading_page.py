"""Requests per second of the seed's reading page against a trivial Django template view.

    .venv/bin/python bench/reading_page.py [--seconds 10] [--concurrency 4]

Same server (gunicorn, 2 workers, DEBUG off), same client (keep-alive HTTP threads), same run.
The last line gives both numbers and their ratio (goal: ratio >= 0.4).
"""

import argparse

from _common import (
    bench_database,
    compare,
    free_port,
    load,
    session_cookie_for,
    setup_django,
    start_gunicorn,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    setup_django(bench_database())
    from django.core.management import call_command

    from articles.models import Article

    call_command("load_demo", verbosity=0)
    article = Article.objects.get(workspace__slug="demo")
    cookie = session_cookie_for("alice")
    port = free_port()
    server = start_gunicorn(port=port)
    try:
        paths = {"trivial": "/bench/trivial/", "reading": article.get_absolute_url()}
        for path in paths.values():  # warm up both (template caches, connections)
            load(port=port, path=path, cookie=cookie, seconds=1, concurrency=args.concurrency)
        results = compare(
            port=port,
            paths=paths,
            cookie=cookie,
            seconds=args.seconds,
            concurrency=args.concurrency,
        )
    finally:
        server.terminate()
        server.wait(10)
    for name, result in results.items():
        print(
            f"{name:8s} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:.1f} ms  "
            f"p95 {result['p95_ms']:.1f} ms  ({result['requests']} requests, "
            f"{result['errors']} errors)"
        )
    ratio = results["reading"]["rps"] / results["trivial"]["rps"]
    print(
        f"reading_page_rps={results['reading']['rps']:.1f} "
        f"trivial_rps={results['trivial']['rps']:.1f} ratio={ratio:.2f}"
    )


if __name__ == "__main__":
    main()
