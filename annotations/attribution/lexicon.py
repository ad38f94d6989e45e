"""Cue lexicons (``annotations/data/cues.<language>.txt``), read once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class Lexicon:
    language: str
    verbs: frozenset[str]
    particle_verbs: dict[str, tuple[str, ...]]  # "gab" -> ("bekannt", "an", "zu")
    frames: tuple[tuple[str, ...], ...]  # multi-word, longest first
    postframes: frozenset[str]
    relays: tuple[tuple[str, ...], ...]
    so_cues: frozenset[str]
    subjunctive: frozenset[str]
    pronouns: frozenset[str]
    backrefs: frozenset[str]
    nach_heads: tuple[str, ...]  # "Nach Polizeiangaben", "nach Ansicht von": report nouns
    excluded: dict[str, frozenset[str]]  # "forderte" -> {"todesopfer", ...}
    # "meldete" -> {"sich"}: no cue when one of the words follows the verb (past a pronoun)
    excluded_next: dict[str, frozenset[str]]
    # "ergab", "gestand": cues only right before a clause ("ergab, dass …"), never with an object
    needs_clause: frozenset[str]


def _sections(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def _words(lines: list[str]) -> frozenset[str]:
    return frozenset(word.casefold() for line in lines for word in line.split())


def _phrases(lines: list[str]) -> tuple[tuple[str, ...], ...]:
    phrases = {tuple(word.casefold() for word in line.split()) for line in lines}
    return tuple(sorted(phrases, key=lambda phrase: (-len(phrase), phrase)))


def _particles(lines: list[str]) -> dict[str, tuple[str, ...]]:
    particles: dict[str, tuple[str, ...]] = {}
    for line in lines:
        particle, _, forms = line.partition(":")
        for form in forms.split():
            key = form.casefold()
            particles[key] = (*particles.get(key, ()), particle.strip().casefold())
    return particles


def _exclusions(lines: list[str]) -> dict[str, frozenset[str]]:
    excluded: dict[str, frozenset[str]] = {}
    for line in lines:
        verb, _, words = line.partition(":")
        excluded[verb.strip().casefold()] = frozenset(word.casefold() for word in words.split())
    return excluded


@lru_cache(maxsize=len(LANGUAGES))
def lexicon(language: str) -> Lexicon:
    sections = _sections(DATA_DIR / f"cues.{language}.txt")
    return Lexicon(
        language=language,
        verbs=_words(sections.get("verbs", [])),
        particle_verbs=_particles(sections.get("particle", [])),
        frames=_phrases(sections.get("frame", [])),
        postframes=_words(sections.get("postframe", [])),
        relays=_phrases(sections.get("relay", [])),
        so_cues=_words(sections.get("so", [])),
        subjunctive=_words(sections.get("subjunctive", [])),
        pronouns=_words(sections.get("pronoun", [])),
        backrefs=_words(sections.get("backref", [])),
        nach_heads=tuple(sorted(_words(sections.get("nach", [])))),
        excluded=_exclusions(sections.get("exclude", [])),
        excluded_next=_exclusions(sections.get("exclude-next", [])),
        needs_clause=_words(sections.get("needs-clause", [])),
    )
