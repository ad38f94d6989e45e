"""Fail when a function in product code is too branchy for a reader to hold in their head.

Cyclomatic complexity as `radon cc` measures it; the limit is 15 (issue 10). Tests, benchmarks
and migrations are not product code. Run by `python3 dev.py test` (and so by CI):

    .venv/bin/python scripts/check_complexity.py [--limit 15]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_PACKAGES = [
    "jobs",
    "ratelimits",
    "workspaces",
    "activity",
    "articles",
    "annotations",
    "insights",
    "reading",
    "api",
    "config",
]


def product_files() -> list[Path]:
    return sorted(
        path
        for package in PRODUCT_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def too_complex(*, limit: int) -> list[str]:
    problems = []
    for path in product_files():
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if block.complexity > limit:
                where = path.relative_to(ROOT)
                problems.append(f"{where}:{block.lineno} {block.fullname} — {block.complexity}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=15)
    limit = parser.parse_args().limit
    problems = too_complex(limit=limit)
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} function(s) above cyclomatic complexity {limit}: split them into "
            "named steps."
        )
        return 1
    print(f"complexity: every function in product code is at most {limit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
