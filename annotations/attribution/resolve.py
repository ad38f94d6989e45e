"""Document-level resolution: which outlet and cited source each attribution names.

* A speaker that is a medium ("das Wall Street Journal", "Reuters") is the outlet; what it
  relies on ("unter Berufung auf ungenannte US-Beamte") is the cited source.
* A back-reference to a medium ("das Journal", "the newspaper") is the medium named last
  whose name fits ("Wall Street Journal"); an addressee medium ("sagte ... dem Journal",
  "told Reuters") is the outlet of what the speaker said.
* A pronoun speaker ("er", "she") is the nearest earlier speaker that is not a medium; a
  definite description ("the spokesman", "die Beamten") takes the outlet of the earlier
  speaker it repeats, and that speaker's name when it had one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..outlets import is_news_outlet, strip_article
from ..source_tags import has_personal_name, is_anonymous_source
from .lexicon import DATA_DIR, Lexicon

# "nach ihren Informationen", "seiner Meinung nach": the speaker named before gives the outlet;
# the words stay as written (a reader sees "ihren Informationen" in the text).
_POSSESSIVE = frozenset(
    {"sein", "seine", "seiner", "seinen", "seinem", "ihr", "ihre", "ihrer", "ihren", "ihrem",
     "his", "her", "their"}
)  # fmt: skip
_DEFINITE = frozenset({"der", "die", "das", "den", "dem", "des", "the", "this", "these"})
# Pronouns that fix the speaker's gender; "sie"/"ihr" may also be plural, which never
# blocks a group, only a named man.
_MALE_PRONOUNS = frozenset({"er", "ihm", "ihn", "sein", "seine", "seiner", "seinen", "seinem"})
_FEMALE_PRONOUNS = frozenset({"sie", "ihr", "ihre", "ihrer", "ihren", "ihrem"})
# Role nouns in the feminine form: "Sprecherin", "Ministerin" ("Berlin", "Termin" are not).
_FEMININE_ROLE = re.compile(r"^[a-zäöüß]{3,}(?:er|or|ent|eur|ist|at|ant|iker|te)in$")
_STEM = re.compile(r"(?:innen|in|en|er|n|s|e)$")
_TRIM = " ,.;:!?\"'„“”‚‘’«»()[]"


# Back-references that name a printed medium: never a news agency.
_PRINT_BACKREFS = frozenset(
    {"newspaper", "paper", "daily", "magazine", "zeitung", "blatt", "tageszeitung",
     "wochenzeitung", "magazin", "nachrichtenmagazin"}
)  # fmt: skip


@lru_cache(maxsize=1)
def _wires() -> frozenset[str]:
    """Names in the gazetteer's wire-service section (annotations/data/outlets.txt)."""
    names: set[str] = set()
    inside = False
    for line in (DATA_DIR / "outlets.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# ---"):
            inside = "wire" in line.casefold()
        elif inside and line.strip() and not line.startswith("#"):
            names.update(strip_article(n.strip()).casefold() for n in line.split("|"))
    return frozenset(names)


def _is_wire(name: str) -> bool:
    return strip_article(name).casefold() in _wires()


@dataclass
class Source:
    outlet: str
    cited: str
    anonymous: bool
    resolved: bool = False


@dataclass
class _Known:
    text: str
    head: str
    outlet: str
    named: bool


def _head(text: str) -> str:
    words = [word for word in re.split(r"[\s\-]+", text.casefold()) if word.strip(_TRIM)]
    if not words:
        return ""
    return _STEM.sub("", words[-1].strip(_TRIM)) or words[-1]


@lru_cache(maxsize=1)
def _gendered_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for line in (DATA_DIR / "gender.de.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 2 and parts[0] in {"f", "m"}:
            words.update(dict.fromkeys(parts[1:], parts[0]))
    return words


def _gender(text: str) -> str:
    """ "f", "m" or "" (unknown) for a speaker mention: titles, first names, -in role nouns."""
    lexicon = _gendered_words()
    for word in text.split():
        key = word.strip(_TRIM).casefold()
        if key in lexicon:
            return lexicon[key]
        if _FEMININE_ROLE.match(key):
            return "f"
    return ""


def _pronoun_gender(mention: str) -> str:
    first = mention.casefold().split()[0] if mention.split() else ""
    if first in _MALE_PRONOUNS:
        return "m"
    return "f" if first in _FEMALE_PRONOUNS else ""


def _has_name(text: str) -> bool:
    """A named speaker: "Martin Keller", "Sprecher Seibert"; a lone surname is named only when
    written without an article ("Keller sagte", not "die Gewerkschaft")."""
    words = text.split()
    if has_personal_name(text):
        return True
    return (
        len(words) == 1
        and words[0][:1].isupper()
        and not words[0].isupper()
        and not (is_anonymous_source(text))
    )


class Resolver:
    """Walks a document's attributions in order, remembering media and speakers."""

    def __init__(self, *, lexicon: Lexicon, known_outlets: tuple[str, ...] = ()) -> None:
        self.lexicon = lexicon
        self.known_outlets = known_outlets
        self.media: list[str] = []
        self.speakers: list[_Known] = []

    def note_medium(self, name: str) -> None:
        self.media.append(strip_article(name.strip(_TRIM)))

    def is_medium(self, text: str) -> bool:
        clean = text.strip(_TRIM)
        return is_news_outlet(clean, known_outlets=self.known_outlets) or self._is_backref(clean)

    def _is_backref(self, text: str) -> bool:
        words = strip_article(text).split()
        return len(words) == 1 and words[0] in self.lexicon.backrefs | {
            w.capitalize() for w in self.lexicon.backrefs
        }

    def medium(self, text: str) -> str:
        """The medium a mention names; a back-reference becomes the medium named before it."""
        clean = strip_article(text.strip(_TRIM))
        if self._is_backref(clean):
            word = clean.casefold()
            for earlier in reversed(self.media):
                if word in earlier.casefold().split() and earlier.casefold() != word:
                    return earlier
            candidates = [m for m in reversed(self.media) if m.casefold() != word]
            if word in _PRINT_BACKREFS:
                # "the newspaper" is not the wire service quoted in between
                candidates = [m for m in candidates if not _is_wire(m)] or candidates
            for earlier in candidates:
                if word not in {"journal", "times", "post"}:
                    return earlier
            return clean
        self.note_medium(clean)
        return clean

    def _medium_inside(self, text: str) -> str:
        """The longest run of words inside a phrase that names a medium."""
        words = text.strip(_TRIM).split()
        for size in range(min(len(words), 6), 0, -1):
            for first in range(len(words) - size + 1):
                candidate = " ".join(words[first : first + size]).strip(_TRIM)
                if candidate[:1].isupper() and is_news_outlet(
                    candidate, known_outlets=self.known_outlets
                ):
                    return candidate
        return ""

    def _refers_back(self, mention: str) -> bool:
        words = mention.casefold().split()
        pronoun = mention.casefold() in self.lexicon.pronouns
        # "nach seinen Angaben", "ihrer Meinung": a report noun after a possessive; "seine
        # Kollegin" is someone else
        report = (
            len(words) == 2
            and words[0] in _POSSESSIVE
            and bool(self.lexicon.nach_heads)
            and words[1].endswith(self.lexicon.nach_heads)
        )
        return bool(words) and (pronoun or report)

    def _pronoun_antecedent(self, mention: str) -> _Known | None:
        named = [known for known in self.speakers if known.named]
        wanted = _pronoun_gender(mention)
        # "er" never resolves to "Ministerin Schulze": skip speakers of the other gender
        fitting = [k for k in named if not wanted or _gender(k.text) in {"", wanted}]
        candidates = fitting or named or self.speakers
        return candidates[-1] if candidates else None

    def _antecedent(self, mention: str) -> _Known | None:
        if self._refers_back(mention):
            return self._pronoun_antecedent(mention)
        words = mention.split()
        if not words or words[0].casefold() not in _DEFINITE or _has_name(mention):
            return None
        head = _head(mention)
        for known in reversed(self.speakers):
            if known.head == head or (head and known.head.endswith(head)):
                return known
        return None

    def resolve(self, *, speaker: str, addressee: str, relayed: str) -> Source:
        medium = self._as_medium(speaker)
        if medium and not relayed:
            return Source(outlet=medium, cited="", anonymous=False)
        if medium:
            cited = _clean_cited(relayed)
            self._remember(cited, medium)
            return Source(outlet=medium, cited=cited, anonymous=is_anonymous_source(cited))
        return self._person(speaker or relayed, addressee)

    def _as_medium(self, speaker: str) -> str:
        """The outlet a speaker names, if it is a medium or holds one ("einem Bericht der
        Zeitung The Daily Courier")."""
        if not speaker:
            return ""
        if self.is_medium(speaker):
            return self.medium(speaker)
        inner = self._medium_inside(speaker)
        return self.medium(inner) if inner else ""

    def _person(self, mention: str, addressee: str) -> Source:
        raw = mention.strip(_TRIM)
        cited = _clean_cited(raw)
        outlet = self.medium(addressee) if addressee and self.is_medium(addressee) else ""
        antecedent = self._antecedent(raw) if cited else None
        resolved = False
        if antecedent is not None:
            outlet = outlet or antecedent.outlet
            if raw.casefold() in self.lexicon.pronouns or antecedent.named:
                cited, resolved = antecedent.text, True
        self._remember(cited, outlet, named=_has_name(raw) and not resolved)
        return Source(
            outlet=outlet, cited=cited, anonymous=is_anonymous_source(cited), resolved=resolved
        )

    def _remember(self, cited: str, outlet: str, *, named: bool = False) -> None:
        if not cited or cited.casefold() in self.lexicon.pronouns:
            return
        head = _head(cited)
        for known in self.speakers:
            if known.head == head and not known.outlet and outlet:
                known.outlet = outlet
        earlier = next((k for k in reversed(self.speakers) if k.head == head), None)
        if earlier is not None and not outlet:
            outlet = earlier.outlet
        self.speakers.append(
            _Known(
                cited,
                head,
                outlet,
                (named or has_personal_name(cited)) and not is_anonymous_source(cited),
            )
        )


def _clean_cited(text: str) -> str:
    words = text.strip(_TRIM).split()
    if (
        len(words) > 2
        and words[0].casefold() in {"einer", "eine", "eines", "one"}
        and words[1].casefold() in {"der", "des", "of"}
    ):
        words = words[2:]  # "einer der US-Beamten" -> "US-Beamten"
    if len(words) > 1 and words[0].casefold() in {
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "the",
        "a",
        "an",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
    }:
        words = words[1:]
    return " ".join(words)
