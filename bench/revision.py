"""Re-anchoring claims on a new revision: how well claims follow edits, and how fast.

Usage: .venv/bin/python bench/revision.py [--rounds N] [--edits-per-article K] [--seed S]

Texts: the gold article bodies of ../shared/extraction/dev (English and German news pages;
the re-anchoring code was never tuned on them), edited the way newsrooms edit: a corrected
number, a changed or added word, punctuation and quote marks, a sentence or paragraph
deleted, a paragraph inserted (an update), two paragraphs swapped. Claims are whole sentences
and parts of sentences, made before the edits; every sentence keeps an id through the edits,
so the truth is known:

* follow — a claim on a surviving sentence lands inside that sentence (and, for a whole-
  sentence claim, on exactly its new wording: "exact");
* orphan — a claim on a deleted sentence becomes an orphan (anything else is a jump);
* kept — every claim comes back (placed or orphaned).

Speed: one 5,000-word article built from the same texts, 500 claims, 20 edits; the full
re-anchoring (``annotations.reanchoring.reanchor``) against
``difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes()`` on the
same two texts, alternating, best of N rounds (CPU time). The last line is
``revision: reanchor X ms · difflib Y ms · ratio Z`` (goal ≤ 2).
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotations.anchoring import selector_at  # noqa: E402
from annotations.reanchoring import OldAnchor, reanchor  # noqa: E402

GOLD = ROOT.parent / "shared" / "extraction" / "dev"
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”“']?\s+(?=[\"„“]?[A-ZÄÖÜ0-9])")
_NUMBER = re.compile(r"\d+")
UPDATES = {
    "en": [
        "Update: officials confirmed the figures on Tuesday evening.",
        "This article has been updated with a statement from the ministry.",
    ],
    "de": [
        "Aktualisierung: Die Behörden bestätigten die Zahlen am Dienstagabend.",
        "Dieser Artikel wurde um eine Stellungnahme des Ministeriums ergänzt.",
    ],
}
ADJECTIVES = {"en": ["former", "senior", "local", "new"], "de": ["ehemalige", "neue", "örtliche"]}


@dataclass
class Sentence:
    sid: int
    text: str


@dataclass
class Draft:
    """An article as paragraphs of sentences; sentence ids survive edits."""

    language: str
    paragraphs: list[list[Sentence]]
    deleted: set[int] = field(default_factory=set)

    def render(self) -> tuple[str, dict[int, tuple[int, int]]]:
        parts: list[str] = []
        spans: dict[int, tuple[int, int]] = {}
        position = 0
        for p_index, paragraph in enumerate(self.paragraphs):
            if p_index:
                parts.append("\n\n")
                position += 2
            for s_index, sentence in enumerate(paragraph):
                if s_index:
                    parts.append(" ")
                    position += 1
                spans[sentence.sid] = (position, position + len(sentence.text))
                parts.append(sentence.text)
                position += len(sentence.text)
        return "".join(parts), spans

    def sentences(self) -> list[Sentence]:
        return [s for paragraph in self.paragraphs for s in paragraph]

    def copy(self) -> Draft:
        return Draft(
            self.language,
            [[Sentence(s.sid, s.text) for s in p] for p in self.paragraphs],
            set(self.deleted),
        )


def load_texts() -> list[tuple[str, str]]:
    texts = []
    for source in ("aeb", "fundus"):
        path = GOLD / source / "gold.jsonl"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            language = row.get("lang") or "en"
            if row.get("body"):
                texts.append((language, row["body"]))
    if not texts:
        sys.exit(f"No texts under {GOLD}: this benchmark needs ../shared/extraction/dev")
    return texts


def draft_from(language: str, body: str, counter) -> Draft:
    paragraphs = []
    for paragraph in body.split("\n"):
        paragraph = " ".join(paragraph.split())
        if paragraph:
            paragraphs.append(
                [Sentence(next(counter), s) for s in _SENTENCE_END.split(paragraph) if s.strip()]
            )
    return Draft(language, [p for p in paragraphs if p])


# ------------------------------------------------------------------------------ edits


def _pick(rng, draft: Draft, condition=lambda s: True) -> Sentence | None:
    candidates = [s for s in draft.sentences() if condition(s)]
    return rng.choice(candidates) if candidates else None


def edit_number(rng, draft):
    sentence = _pick(rng, draft, lambda s: _NUMBER.search(s.text))
    if sentence is None:
        return edit_word(rng, draft)
    match = rng.choice(list(_NUMBER.finditer(sentence.text)))
    value = str(int(match.group()) + rng.randint(1, 9))
    sentence.text = sentence.text[: match.start()] + value + sentence.text[match.end() :]


def edit_word(rng, draft):
    sentence = _pick(rng, draft, lambda s: len(s.text.split()) >= 8)
    if sentence is None:
        return
    words = sentence.text.split(" ")
    index = rng.randrange(1, len(words) - 1)
    if rng.random() < 0.5:
        words.insert(index, rng.choice(ADJECTIVES.get(draft.language, ADJECTIVES["en"])))
    else:
        words[index] = rng.choice(words)  # another word of the same sentence
    sentence.text = " ".join(words)


def edit_punctuation(rng, draft):
    sentence = _pick(rng, draft, lambda s: len(s.text.split()) >= 6)
    if sentence is None:
        return
    if '"' in sentence.text:
        opening, closing = ("„", "“") if draft.language == "de" else ("“", "”")
        parts = sentence.text.split('"')
        sentence.text = "".join(
            part + (opening if i % 2 == 0 else closing) if i < len(parts) - 1 else part
            for i, part in enumerate(parts)
        )
        return
    words = sentence.text.split(" ")
    index = rng.randrange(1, len(words) - 1)
    words[index] = words[index].rstrip(",") + ","
    sentence.text = " ".join(words)


def delete_sentence(rng, draft):
    paragraphs = [p for p in draft.paragraphs if len(p) > 1]
    if not paragraphs:
        return
    paragraph = rng.choice(paragraphs)
    sentence = paragraph.pop(rng.randrange(len(paragraph)))
    draft.deleted.add(sentence.sid)


def delete_paragraph(rng, draft):
    if len(draft.paragraphs) < 3:
        return
    paragraph = draft.paragraphs.pop(rng.randrange(1, len(draft.paragraphs)))
    draft.deleted.update(s.sid for s in paragraph)


def insert_paragraph(rng, draft, counter):
    text = rng.choice(UPDATES.get(draft.language, UPDATES["en"]))
    draft.paragraphs.insert(
        rng.randrange(len(draft.paragraphs) + 1), [Sentence(next(counter), text)]
    )


def swap_paragraphs(rng, draft):
    if len(draft.paragraphs) < 3:
        return
    index = rng.randrange(len(draft.paragraphs) - 1)
    draft.paragraphs[index], draft.paragraphs[index + 1] = (
        draft.paragraphs[index + 1],
        draft.paragraphs[index],
    )


EDITS = [
    edit_number,
    edit_word,
    edit_punctuation,
    delete_sentence,
    delete_paragraph,
    insert_paragraph,
    swap_paragraphs,
]


def apply_edits(rng, draft: Draft, count: int, counter) -> Draft:
    edited = draft.copy()
    for _ in range(count):
        edit = rng.choice(EDITS)
        if edit is insert_paragraph:
            edit(rng, edited, counter)
        else:
            edit(rng, edited)
    return edited


# ------------------------------------------------------------------------------ claims


@dataclass(frozen=True)
class TrueClaim:
    anchor: OldAnchor
    sid: int
    whole: bool


def make_claims(rng, draft: Draft, count: int) -> list[TrueClaim]:
    text, spans = draft.render()
    sentences = [s for s in draft.sentences() if len(s.text.split()) >= 4]
    claims = []
    for claim_id in range(count):
        sentence = rng.choice(sentences)
        start, end = spans[sentence.sid]
        whole = rng.random() < 0.6
        if not whole:
            words = [(m.start(), m.end()) for m in re.finditer(r"\S+", sentence.text)]
            first = rng.randrange(0, len(words) - 3)
            last = rng.randrange(first + 3, len(words))
            start, end = start + words[first][0], spans[sentence.sid][0] + words[last][1]
        selector = selector_at(text=text, start=start, end=end)
        claims.append(
            TrueClaim(
                OldAnchor(claim_id, selector.exact, selector.prefix, selector.suffix, start, end),
                sentence.sid,
                whole,
            )
        )
    return claims


def score(claims, placements, new_spans, deleted, new_draft) -> dict[str, int]:
    counts = dict.fromkeys(
        ["surviving", "followed", "whole", "exact", "deleted", "orphaned", "jumped", "kept"], 0
    )
    texts = {s.sid: s.text for s in new_draft.sentences()}
    counts["kept"] = len(placements)
    for claim, placement in zip(claims, placements, strict=True):
        if claim.sid in deleted:
            counts["deleted"] += 1
            counts["orphaned" if placement.orphaned else "jumped"] += 1
            continue
        counts["surviving"] += 1
        if placement.orphaned:
            continue
        start, end = new_spans[claim.sid]
        inside = min(end, placement.selector.end) - max(start, placement.selector.start)
        if inside >= 0.9 * (placement.selector.end - placement.selector.start):
            counts["followed"] += 1
        if claim.whole:
            counts["whole"] += 1
            counts["exact"] += placement.selector.exact == texts[claim.sid]
    return counts


def quality(texts, rng, edits_per_article: int, claims_per_article: int) -> dict[str, int]:
    import itertools

    counter = itertools.count()
    totals: dict[str, int] = {}
    for language, body in texts:
        draft = draft_from(language, body, counter)
        if sum(len(s.text.split()) >= 4 for s in draft.sentences()) < 4:
            continue
        claims = make_claims(rng, draft, claims_per_article)
        edited = apply_edits(rng, draft, edits_per_article, counter)
        old_text, _ = draft.render()
        new_text, new_spans = edited.render()
        placements = reanchor(
            old_text=old_text, new_text=new_text, anchors=[c.anchor for c in claims]
        )
        for key, value in score(claims, placements, new_spans, edited.deleted, edited).items():
            totals[key] = totals.get(key, 0) + value
    return totals


def speed(texts, rng, rounds: int) -> tuple[float, float]:
    import itertools

    counter = itertools.count()
    paragraphs: list[list[Sentence]] = []
    words = 0
    for language, body in texts:
        if language != "en":
            continue
        for paragraph in draft_from(language, body, counter).paragraphs:
            paragraphs.append(paragraph)
            words += sum(len(s.text.split()) for s in paragraph)
            if words >= 5000:
                break
        if words >= 5000:
            break
    draft = Draft("en", paragraphs)
    claims = [c.anchor for c in make_claims(rng, draft, 500)]
    edited = apply_edits(rng, draft, 20, counter)
    old_text, _ = draft.render()
    new_text, _ = edited.render()
    old_words, new_words = old_text.split(), new_text.split()
    best_ours = best_difflib = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        reanchor(old_text=old_text, new_text=new_text, anchors=claims)
        best_ours = min(best_ours, time.process_time() - started)
        started = time.process_time()
        difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes()
        best_difflib = min(best_difflib, time.process_time() - started)
    print(f"speed article: {len(old_words)} words, {len(claims)} claims, 20 edits")
    return best_ours * 1000, best_difflib * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--edits-per-article", type=int, default=6)
    parser.add_argument("--claims-per-article", type=int, default=20)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    texts = load_texts()
    rng = random.Random(args.seed)
    totals = quality(texts, rng, args.edits_per_article, args.claims_per_article)

    def rate(part: str, whole: str) -> str:
        share = 100 * totals[part] / max(totals[whole], 1)
        return f"{share:.1f} % ({totals[part]}/{totals[whole]})"

    print(
        f"texts: {len(texts)} (en + de), {args.edits_per_article} edits and "
        f"{args.claims_per_article} claims each"
    )
    print(f"follow: {rate('followed', 'surviving')} of claims on surviving sentences")
    print(f"exact new wording: {rate('exact', 'whole')} of whole-sentence claims")
    print(
        f"orphaned: {rate('orphaned', 'deleted')} of claims on deleted sentences; "
        f"jumped {totals['jumped']}"
    )
    claims_total = totals["surviving"] + totals["deleted"]
    print(
        f"kept: {100 * totals['kept'] / max(claims_total, 1):.1f} % "
        f"({totals['kept']}/{claims_total})"
    )
    ours, baseline = speed(texts, random.Random(args.seed), args.rounds)
    print(
        f"revision: reanchor {ours:.1f} ms · difflib {baseline:.1f} ms · "
        f"ratio {ours / baseline:.2f}"
    )


if __name__ == "__main__":
    main()
