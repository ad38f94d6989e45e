"""The news-outlet gazetteer (``annotations/data/outlets.txt``): is a name a news medium?

Used by the source-tag parser ("laut dpa" names an outlet, "laut Regierungskreisen" a cited
source) and by the attribution suggester (a speaker that is a medium becomes the outlet).
Pure Python and cheap to load: the suggest command's start-up time depends on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

__all__ = ["is_news_outlet", "outlet_names", "strip_article"]

OUTLETS_FILE = Path(__file__).resolve().parent / "data" / "outlets.txt"

_ARTICLES = frozenset(
    {"the", "der", "die", "das", "dem", "den", "des", "a", "an", "ein", "eine", "einer", "eines",
     "einem", "einen"}
)  # fmt: skip
# A name ending in one of these words is a medium even when the gazetteer does not list it:
# "Trivia Weekly", "Passauer Neue Presse", "Nachrichtenagentur Anadolu" (checked word by word).
_MEDIUM_WORDS = frozenset(
    {
        "times", "post", "news", "journal", "herald", "tribune", "gazette", "daily", "weekly",
        "magazine", "chronicle", "courier", "observer", "telegraph", "express", "radio", "tv",
        "television", "broadcasting", "newswire", "wire", "press", "monitor", "review", "standard",
        "zeitung", "tageszeitung", "rundschau", "kurier", "anzeiger", "nachrichten", "presse",
        "tagblatt", "tageblatt", "abendblatt", "morgenpost", "allgemeine", "magazin", "rundfunk",
        "fernsehen", "nachrichtenagentur", "presseagentur", "agentur", "wochenzeitung",
        "zeitschrift", "sender", "newspaper", "agency", "blatt", "illustrierte", "volksstimme",
        "volkszeitung", "landeszeitung", "stadt-anzeiger",
    }
)  # fmt: skip
# "Nachrichtenagentur X", "news agency X", "der Sender X": the head says it is a medium.
_MEDIUM_HEADS = frozenset(
    {"nachrichtenagentur", "agentur", "zeitung", "sender", "fernsehsender", "radiosender",
     "magazin", "wochenzeitung", "tageszeitung", "boulevardzeitung", "onlinemagazin",
     "newspaper", "broadcaster", "network", "outlet", "tabloid", "daily", "magazine", "agency",
     "wire", "blog", "portal", "nachrichtenportal", "onlineportal", "website"}
)  # fmt: skip
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:de|at|ch|com|org|net|co\.uk|uk|eu|fr|it|es|media)$")
_WORD = re.compile(r"[\w'.&-]+")


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("’", "'").split()).strip(" .,;:!?\"'()[]„“”‚‘»«")


def strip_article(name: str) -> str:
    """ "der Spiegel" -> "Spiegel", "The Guardian" -> "Guardian"; one leading article only."""
    words = name.split(maxsplit=1)
    if len(words) == 2 and words[0].casefold() in _ARTICLES:
        return words[1]
    return name


def _forms_from_file(path: Path) -> list[str]:
    forms: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0] if raw.lstrip().startswith("#") else raw
        forms.extend(form.strip() for form in line.split("|") if form.strip())
    return forms


@lru_cache(maxsize=1)
def _gazetteer() -> frozenset[str]:
    keys: set[str] = set()
    for form in _forms_from_file(OUTLETS_FILE):
        keys.add(_key(form))
        keys.add(_key(strip_article(form)))
    return frozenset(keys)


def outlet_names() -> list[str]:
    """Every listed form, full names first within each line (for look-ups in running text)."""
    return _forms_from_file(OUTLETS_FILE)


def _is_listed(name: str, extra: frozenset[str]) -> bool:
    key = _key(name)
    candidates = {key, _key(strip_article(name))}
    # German genitive: "des Spiegels", "des Tagesspiegels", "der FAZ" (no -s there).
    candidates |= {c[:-1] for c in candidates if c.endswith("s") and len(c) > 3}
    candidates |= {c[:-2] for c in candidates if c.endswith("es") and len(c) > 4}
    return any(c in _gazetteer() or c in extra for c in candidates)


def is_news_outlet(name: str, *, known_outlets: Iterable[str] = ()) -> bool:
    """Whether ``name`` names a news medium: listed (or one of ``known_outlets``, e.g. the
    outlets of a workspace's articles), a web domain, or a name headed by a medium word."""
    name = name.strip()
    if not name:
        return False
    extra = frozenset(_key(o) for o in known_outlets if o and o.strip())
    if _is_listed(name, extra):
        return True
    words = [w.casefold() for w in _WORD.findall(strip_article(name))]
    if not words:
        return False
    if len(words) == 1 and _DOMAIN.match(words[0]):
        return True
    if len(words) >= 2 and (words[-1] in _MEDIUM_WORDS or words[0] in _MEDIUM_HEADS):
        # "Nachrichtenagentur Reuters", "the news agency AFP", "Passauer Neue Presse"
        return True
    # "Zeitung X" already covered; "news agency Reuters" -> heads are two words long
    return len(words) >= 3 and " ".join(words[:2]) in {"news agency", "wire service"}
