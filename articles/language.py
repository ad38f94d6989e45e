"""Guess an article's language and pick the matching PostgreSQL search config.

Detection is deliberately simple: German and English are the only languages
Sourcemark imports today, and telling them apart needs no model.  Each
language scores one point per occurrence of one of its frequent function
words, and German scores extra for the letters ä, ö, ü and ß.  Words that are
frequent in both languages ("in", "an", "so", "was", "will", "war", "also",
"man") are left out of both lists.  No signal at all, or a tie, means English.
"""

from __future__ import annotations

import re
from typing import Final

DEFAULT_LANGUAGE: Final = "en"

POSTGRES_TEXT_SEARCH_CONFIG: Final[dict[str, str]] = {"de": "german", "en": "english"}
# PostgreSQL's language-neutral configuration: no stemming, no stopwords.
FALLBACK_SEARCH_CONFIG: Final = "simple"

# Word lists read better as paragraphs than one word per line.
# fmt: off
_GERMAN_STOPWORDS: Final = frozenset(
    (
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer",
        "eines", "und", "oder", "aber", "nicht", "ist", "sind", "wird", "werden", "wurde",
        "wurden", "hat", "haben", "hatte", "hatten", "sein", "seine", "ihre", "sich",
        "mit", "von", "zu", "zum", "zur", "vom", "im", "auf", "für", "bei", "nach", "aus", "über",
        "unter", "vor", "auch", "noch", "nur", "schon", "wie", "wenn", "dass", "daß", "als", "um",
        "ob", "ich", "du", "er", "wir", "ihr", "sie", "es", "kein", "keine", "diese", "dieser",
        "dieses", "doch", "sehr", "mehr", "können", "kann", "soll", "sollen", "muss", "müssen",
        "hier", "jetzt", "heute", "gegen", "seit", "bis", "durch",
    )
)
_ENGLISH_STOPWORDS: Final = frozenset(
    (
        "the", "a", "of", "and", "to", "is", "are", "were", "be", "been", "being", "has", "have",
        "had", "it", "its", "this", "that", "these", "those", "with", "for", "on", "at", "by",
        "from", "or", "but", "not", "they", "them", "their", "there", "which", "who", "whom",
        "what", "when", "where", "would", "could", "should", "can", "may", "might", "must",
        "than", "then", "our", "your", "you", "he", "she", "his", "her", "we", "i", "about",
        "into", "over", "after", "before", "said", "says", "just", "more",
    )
)
# fmt: on
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_GERMAN_LETTER_RE = re.compile(r"[äöüßÄÖÜẞ]")
# Umlauts are strong evidence but appear in borrowed names ("Müller said"), so
# each counts a little more than one stopword, not overwhelmingly more.
_GERMAN_LETTER_WEIGHT: Final = 1.5


def detect_language(*, text: str) -> str:
    """Return "de" or "en" for ``text`` (``"en"`` when there is no signal)."""
    words = [word.lower() for word in _WORD_RE.findall(text)]
    german: float = sum(word in _GERMAN_STOPWORDS for word in words)
    english: float = sum(word in _ENGLISH_STOPWORDS for word in words)
    german += _GERMAN_LETTER_WEIGHT * len(_GERMAN_LETTER_RE.findall(text))
    return "de" if german > english else DEFAULT_LANGUAGE


def search_config(*, language: str) -> str:
    """Return the PostgreSQL text search configuration for ``language``.

    Accepts "de", "DE", "de-DE" or "de_AT" alike; anything unknown gets the
    language-neutral "simple" configuration.
    """
    primary = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    return POSTGRES_TEXT_SEARCH_CONFIG.get(primary, FALLBACK_SEARCH_CONFIG)
