"""Time HTML segmentation of the dev pages against trafilatura's own extraction, same run.

Usage: .venv/bin/python bench/extraction.py [--rounds N] [--data ../shared/extraction/dev]

For every dev page (gzipped HTML under ``<data>/<source>/``) the bytes are read and
decompressed once, up front. Then, page by page and alternating, so both sides see the same
machine load:

* baseline — ``trafilatura.extract(html_text)``: trafilatura's own parse + extraction to text;
* ours — ``decode_html`` + ``extract_page``: metadata, body, captions, related and boilerplate.

Each page's best CPU time (``time.process_time``) over the rounds is summed, so other load on
the machine disturbs the comparison as little as possible. The score
(body F1, caption leak/routing) of our output uses ../shared/extraction/score.py's metrics.
The last line is ``ratio ours/trafilatura X.XX`` (goal ≤ 1.2).
"""

from __future__ import annotations

import argparse
import gc
import gzip
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.html_extraction import decode_html, extract_page  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "extraction" / "dev"


def load_pages(data: Path) -> list[tuple[str, Path, bytes, str]]:
    pages = []
    for source in sorted(p for p in data.iterdir() if (p / "gold.jsonl").exists()):
        for line in (source / "gold.jsonl").read_text(encoding="utf8").splitlines():
            if not line.strip():
                continue
            path = source / json.loads(line)["html"]
            body = gzip.decompress(path.read_bytes())
            pages.append((source.name, path.resolve(), body, decode_html(body=body)))
    return pages


def _ours(body: bytes) -> list[dict]:
    page = extract_page(html=decode_html(body=body))
    return [{"kind": s.kind, "text": s.text} for s in page.segments]


def measure(pages, rounds: int) -> tuple[list[float], list[float], dict[str, list[dict]]]:
    """Per page, the best of ``rounds`` timings for trafilatura and for us, run alternately.

    Alternating page by page (and taking each page's best run) keeps a noisy machine from
    favouring either side: both see the same load at nearly the same moment.
    """
    import trafilatura

    clock = time.process_time  # CPU time of this process: other load on the machine adds none
    base = [float("inf")] * len(pages)
    ours = [float("inf")] * len(pages)
    predictions: dict[str, list[dict]] = {}
    for _ in range(rounds):
        gc.collect()
        for n, (_source, path, body, text) in enumerate(pages):
            started = clock()
            trafilatura.extract(text)
            base[n] = min(base[n], clock() - started)
            started = clock()
            predictions[str(path)] = _ours(body)
            ours[n] = min(ours[n], clock() - started)
    return base, ours, predictions


def score(pages, predictions, data: Path) -> list[str]:
    scorer_path = data.parent / "score.py"
    if not scorer_path.exists():
        return ["(score.py not found: no score)"]
    spec = importlib.util.spec_from_file_location("extraction_score", scorer_path)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    lines = []
    for source in sorted({p[0] for p in pages}):
        gold = [
            json.loads(x)
            for x in (data / source / "gold.jsonl").read_text(encoding="utf8").splitlines()
            if x.strip()
        ]
        _f1, out = scorer.score_source(gold, predictions, (data / source).resolve())
        lines.append(f"[{source}]")
        lines.extend("  " + line for line in out)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    args = parser.parse_args()
    data = Path(args.data).resolve()
    pages = load_pages(data)
    total_mb = sum(len(p[2]) for p in pages) / 1_048_576
    print(f"pages {len(pages)}  ({total_mb:.1f} MB of HTML)")

    # Warm-up: imports, regex compilation, trafilatura's lazy set-up.
    measure(pages[:3], 1)
    base_times, ours_times, predictions = measure(pages, args.rounds)
    base, ours = sum(base_times), sum(ours_times)
    for line in score(pages, predictions, data):
        print(line)
    n = len(pages)
    print(f"trafilatura.extract {base:.2f} s  ({1000 * base / n:.1f} ms/page)")
    print(f"ours (decode + extract_page) {ours:.2f} s  ({1000 * ours / n:.1f} ms/page)")
    print(f"ratio ours/trafilatura {ours / base:.2f}")


if __name__ == "__main__":
    main()
