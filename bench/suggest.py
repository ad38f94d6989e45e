"""Time attribution suggestions per 1,000 words against somajo tokenisation of the same text.

Usage: .venv/bin/python bench/suggest.py [--rounds N] [FILE ...]

Texts: the given UTF-8 files, else the project's own German and English test articles and the
demo article (tests/annotations/attribution_texts/, articles/demo/). For every text, rounds
alternate between

* baseline — somajo sentence splitting and tokenisation of the text (``tokenize_text``);
* ours — ``annotations.attribution.suggest`` on the same text (which includes that
  tokenisation, plus cues, speakers and document-level resolution).

Both tokenizers are built before timing; each side's best CPU time (``time.process_time``)
per text over the rounds is summed, so load from other processes disturbs the comparison
little. Before that, the command's start-up: `manage.py suggest_sources` on a one-sentence
file, best wall time of three runs (goal ≤ 1.5 s; it runs once per document in evaluations).
The last line prints both times per 1,000 words and the ratio (goal ≤ 5×).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotations.attribution import suggest  # noqa: E402
from annotations.attribution.text import _tokenizer  # noqa: E402
from articles.language import detect_language  # noqa: E402

DEFAULT_TEXTS = [
    *sorted((ROOT / "tests" / "annotations" / "attribution_texts").glob("*.txt")),
    ROOT / "articles" / "demo" / "fox-russia-iran-missiles.de.txt",
]


def _best(function, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        function()
        best = min(best, time.process_time() - started)
    return best


def startup_seconds(runs: int = 3) -> float:
    """Best wall time of the command on a one-sentence German file, as an evaluation runs it."""
    best = float("inf")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as handle:
        handle.write("Die Lage sei ernst, sagte ein Regierungssprecher.\n")
        handle.flush()
        command = [sys.executable, "manage.py", "suggest_sources", handle.name, "--json"]
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
            best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    files = args.files or DEFAULT_TEXTS
    words = 0
    baseline = ours = 0.0
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        language = detect_language(text=text)
        tokenizer = _tokenizer(language)
        paragraphs = [line for line in text.split("\n") if line.strip()]
        suggest(text=text, language=language)  # warm caches (lexicons, gazetteer)
        base = _best(lambda: list(tokenizer.tokenize_text(paragraphs)), args.rounds)  # noqa: B023
        mine = _best(lambda: suggest(text=text, language=language), args.rounds)  # noqa: B023
        count = len(text.split())
        print(
            f"{path.name}: {count} words, somajo {base * 1000:.1f} ms, suggest {mine * 1000:.1f} ms"
        )
        words += count
        baseline += base
        ours += mine
    per_k = 1000 / max(1, words)
    startup = startup_seconds()
    print(f"start-up: {startup:.2f} s (manage.py suggest_sources, one sentence; goal <= 1.5 s)")
    print(
        f"suggest {ours * per_k * 1000:.1f} ms / 1,000 words, somajo tokenisation "
        f"{baseline * per_k * 1000:.1f} ms / 1,000 words, ratio {ours / baseline:.2f}x (goal <= 5x)"
    )


if __name__ == "__main__":
    main()
