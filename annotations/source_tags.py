"""Parsing source tags such as "WSJ citing US officials" into outlet, cited source and
whether the cited source is anonymous.

A label is split at the first *connector* phrase (case-insensitive, English and German):

* English: "citing", "cites", "quoting", "quotes", "via", "according to", ", per";
* German: "zitiert"/"zitierte"/"zitierten", "unter Berufung auf", "mit Berufung auf",
  "unter Verweis auf", "mit Verweis auf", "nach Angaben" (optionally "von"/"vom"),
  "beruft/berief sich auf", "laut".

Everything before the connector is the outlet, everything after it the cited source.
Commas and colons around the connector are dropped, and so is a reporting verb right
before it ("Reuters reported, citing ..." -> outlet "Reuters"; "Der Spiegel berichtet
unter Berufung auf ..." -> outlet "Der Spiegel"). A label without a connector is a
source by itself: outlet = label, cited = "", anonymous = False. A label that *starts*
with a connector ("According to US officials", "Laut Regierungskreisen") has outlet "".
A connector with nothing after it is not treated as one.

``anonymous`` is a heuristic on the cited part only, kept deliberately simple:

1. It must contain an unnamed-source word: a word from ``_UNNAMED_SOURCE_WORDS``
   ("officials", "sources", "people", "a person", "diplomats", "ungenannte", "anonyme",
   "Insider", "Personen", ...) or a German compound ending in one of
   ``_UNNAMED_SOURCE_SUFFIXES`` ("Regierungskreise", "US-Beamte", "EU-Diplomaten",
   "Geheimdienstquellen", ...). Hyphenated words are checked part by part.
2. And it must not contain a personal name, i.e. a run of two or more consecutive
   capitalised words ("John Kirby", "Steffen Hebestreit") that
   - is not directly preceded by an article or preposition ("close to Olaf Scholz",
     "im Weißen Haus" are places/reference points, not the source itself),
   - contains no institution word ("White House", "Deutsche Bank", "Auswärtigen Amts"),
   - contains no unnamed-source word ("Kreise Berliner Behörden").

Known phrasings this does not handle (parsed as "source by itself", or misjudged):

* source before outlet: "US officials told Reuters", "Peskov sagte der dpa",
  "Reuters zufolge", "Y, as cited by X", "Y via X" in the sense "Y reported first";
* relative clauses: "Reuters, which cited officials", "CNN, das sich auf ... beruft";
* "zitiert nach X" (quoted from X) is read as outlet "" / cited "nach X";
* "official" used as an adjective ("an official statement") counts as unnamed;
* a named person after a preposition counts as a reference point, so
  "officials including Secretary of State Antony Blinken" is judged anonymous;
* unnamed but institutional attribution ("a Pentagon spokesperson") is not anonymous,
  because "spokesperson"/"Sprecher" is not in the lexicon on purpose;
* "people" also matches generic uses ("the Ukrainian people").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "MAX_TAG_LENGTH",
    "ParsedSourceTag",
    "SourceTagError",
    "normalise_label",
    "parse_source_tag",
]

MAX_TAG_LENGTH = 200


class SourceTagError(ValueError):
    """An invalid source tag label; ``str(error)`` is a user-facing English sentence."""


@dataclass(frozen=True)
class ParsedSourceTag:
    """A source tag split into who reported (outlet) and whom they cite."""

    outlet: str
    cited: str
    anonymous: bool


# Longer phrases first: at the same position, regex alternation takes the first match.
_CONNECTORS = (
    r"unter\s+Berufung\s+auf",
    r"mit\s+Berufung\s+auf",
    r"unter\s+Verweis\s+auf",
    r"mit\s+Verweis\s+auf",
    r"nach\s+Angaben(?:\s+vo[nm])?",  # "nach Angaben des X" keeps "des X"
    r"(?:beruft|berief|berufen|beriefen)\s+sich\s+auf",
    r"zitiert(?:e|en)?",
    r"laut",
    r"according\s+to",
    r"citing",
    r"cites",
    r"quoting",
    r"quotes",
    r"via",
    r"per",  # only after a comma ("Axios, per two sources"), see _COMMA_ONLY_CONNECTORS
)
_CONNECTOR = re.compile(rf"(?<!\w)(?:{'|'.join(_CONNECTORS)})(?!\w)", re.IGNORECASE)
# "per" is too common a word to trust without the journalistic comma in front.
_COMMA_ONLY_CONNECTORS = frozenset({"per"})
_REPORTING_VERB = re.compile(
    r"\s+(?:reported|reports|reporting|said|says|wrote|writes|"
    r"berichtet|berichtete|berichten|meldet|meldete|meldeten|schreibt|schrieb|sagte)\Z",
    re.IGNORECASE,
)
_OUTLET_TRAILING = " ,:;\u2013\u2014-"
_CITED_LEADING = " ,:"

_UNNAMED_SOURCE_WORDS = frozenset(
    {
        # English
        "official",
        "officials",
        "officer",
        "officers",
        "source",
        "sources",
        "person",
        "persons",
        "people",
        "insider",
        "insiders",
        "diplomat",
        "diplomats",
        "aide",
        "aides",
        "anonymous",
        "unnamed",
        "unidentified",
        "whistleblower",
        "whistleblowers",
        # German ("person" is shared with English)
        "ungenannte",
        "ungenannten",
        "ungenannter",
        "anonyme",
        "anonymen",
        "anonymer",
        "personen",
        "informant",
        "informanten",
        "eingeweihte",
        "eingeweihten",
        "vertraute",
        "vertrauten",
        "umfeld",
    }
)
# German compounds: "Regierungskreise", "Sicherheitskreisen", "US-Beamte", "Insidern".
_UNNAMED_SOURCE_SUFFIXES = (
    "kreise",
    "kreisen",
    "quelle",
    "quellen",
    "beamte",
    "beamten",
    "beamter",
    "beamtin",
    "beamtinnen",
    "diplomat",
    "diplomaten",
    "insider",
    "insidern",
)
# A capitalised run after one of these is a place or reference point, not a source.
_FUNCTION_WORDS = frozenset(
    {
        "the", "a", "an", "of", "at", "in", "on", "to", "from", "for", "with", "within",
        "inside", "near", "by", "close", "around", "about", "and", "or",
        "der", "die", "das", "dem", "den", "des", "ein", "eine", "einer", "eines", "einem",
        "im", "am", "aus", "von", "vom", "beim", "bei", "zum", "zur", "nahe",
        "um", "innerhalb", "und", "oder", "mit",
    }
)  # fmt: skip
# Capitalised words that make a run an institution or place rather than a person.
_INSTITUTION_WORDS = frozenset(
    {
        "house", "haus", "hauses", "department", "ministry", "office", "council",
        "commission", "kommission", "bank", "agency", "service", "staff", "army", "forces",
        "force", "government", "regierung", "administration", "committee", "parliament",
        "parlament", "union", "nations", "court", "police", "polizei", "party", "partei",
        "street", "hill", "states", "kingdom", "republic", "republik", "kremlin", "kreml",
        "pentagon", "institute", "institut", "university", "universität", "group",
        "company", "corporation", "times", "post", "news",
    }
)  # fmt: skip
_INSTITUTION_SUFFIXES = (
    "ministerium",
    "ministeriums",
    "amt",
    "amts",
    "amtes",
    "behörde",
    "behörden",
    "regierung",
    "gericht",
    "gerichts",
    "kommission",
    "partei",
)
_TOKEN_PUNCTUATION = ".,;:!?()[]{}\"'“”„‚‘’«»"  # noqa: S105 - not a password
_RUN_BREAKING_PUNCTUATION = ",;:()[]{}"
_WORD_PART = re.compile(r"[^\W\d_]+")


def normalise_label(*, label: str) -> str:
    """Strip and collapse whitespace; reject empty, too long and ';'-containing labels."""
    normalised = " ".join(label.split())
    if not normalised:
        raise SourceTagError("A source tag cannot be empty.")
    if len(normalised) > MAX_TAG_LENGTH:
        raise SourceTagError(f"A source tag can be at most {MAX_TAG_LENGTH} characters long.")
    # The CSV export joins a claim's labels with "; ", so a ';' would split one label.
    if ";" in normalised:
        raise SourceTagError("A source tag cannot contain a semicolon (;).")
    return normalised


def parse_source_tag(*, label: str) -> ParsedSourceTag:
    """Split a (normalised) label into outlet and cited source; see the module docstring."""
    normalised = normalise_label(label=label)
    for match in _CONNECTOR.finditer(normalised):
        before = normalised[: match.start()]
        after = normalised[match.end() :]
        # The connector must be a phrase of its own, with something after it.
        if before and before[-1] not in " ,":
            continue
        if not after.startswith((" ", ",", ":")) or not after.strip(_CITED_LEADING):
            continue
        if match.group().lower() in _COMMA_ONLY_CONNECTORS and not before.rstrip().endswith(","):
            continue
        outlet = _clean_outlet(before)
        cited = after.strip(_CITED_LEADING)
        return ParsedSourceTag(outlet=outlet, cited=cited, anonymous=_is_anonymous(cited))
    return ParsedSourceTag(outlet=normalised, cited="", anonymous=False)


def _clean_outlet(text: str) -> str:
    outlet = text.rstrip(_OUTLET_TRAILING)
    # "Reuters reported, citing ..." names the outlet "Reuters", not "Reuters reported".
    without_verb = _REPORTING_VERB.sub("", outlet).rstrip(_OUTLET_TRAILING)
    return without_verb or outlet


def _word_parts(word: str) -> list[str]:
    """Lower-cased letter runs of a word: "US-Beamte" -> ["us", "beamte"]."""
    return [part.lower() for part in _WORD_PART.findall(word)]


def _is_unnamed_source_word(word: str) -> bool:
    return any(
        part in _UNNAMED_SOURCE_WORDS or part.endswith(_UNNAMED_SOURCE_SUFFIXES)
        for part in _word_parts(word)
    )


def _is_institution_word(word: str) -> bool:
    return any(
        part in _INSTITUTION_WORDS or part.endswith(_INSTITUTION_SUFFIXES)
        for part in _word_parts(word)
    )


def _is_capitalised(word: str) -> bool:
    """ "Kirby", "O'Brien", "Kramp-Karrenbauer" yes; "US", "U.S", "EU-Beamte", "said" no."""
    return (
        len(word) > 1
        and word[0].isupper()
        and not word[1].isupper()
        and any(character.islower() for character in word)
    )


def _capitalised_runs(text: str) -> list[tuple[str | None, list[str]]]:
    """Runs of consecutive capitalised words, each with the lower-cased word before it."""
    runs: list[tuple[str | None, list[str]]] = []
    previous: str | None = None
    run: list[str] = []
    run_previous: str | None = None
    for raw in text.split():
        word = raw.strip(_TOKEN_PUNCTUATION)
        # Punctuation such as a comma ends a name: "Kirby, Blinken" are two runs.
        if run and (raw[0] in _RUN_BREAKING_PUNCTUATION or not _is_capitalised(word)):
            runs.append((run_previous, run))
            run = []
        if _is_capitalised(word):
            if not run:
                run_previous = previous
            run.append(word)
            if raw[-1] in _RUN_BREAKING_PUNCTUATION:
                runs.append((run_previous, run))
                run = []
        previous = word.lower() if word else previous
    if run:
        runs.append((run_previous, run))
    return runs


def _has_personal_name(text: str) -> bool:
    for previous, run in _capitalised_runs(text):
        if len(run) < 2 or previous in _FUNCTION_WORDS:
            continue
        if any(_is_institution_word(word) or _is_unnamed_source_word(word) for word in run):
            continue
        return True
    return False


def _is_anonymous(cited: str) -> bool:
    if not any(_is_unnamed_source_word(word) for word in cited.split()):
        return False
    return not _has_personal_name(cited)
