"""Word classes for the attribution rules: closed-class words and a few shape tests.

German and English nouns are told apart differently: German capitalises every noun, English
only names; so German noun phrases are read as determiners, adjectives and capitalised words,
English ones as everything up to a boundary word.
"""

from __future__ import annotations

from .text import Token

QUOTE_CHARS = frozenset('"„“”‚‘’«»‹›')
CLAUSE_PUNCT = frozenset({",", ";", ":", "(", ")", "–", "—", "-"})
END_PUNCT = frozenset({".", "!", "?", "…"})

DETERMINERS = frozenset(
    {
        # German
        "der", "die", "das", "dem", "den", "des", "ein", "eine", "einer", "eines", "einem",
        "einen", "kein", "keine", "mehrere", "einige", "viele", "zahlreiche", "beide", "alle",
        "sein", "seine", "seiner", "ihr", "ihre", "ihrer", "dieser", "diese", "dieses",
        "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn",
        # English
        "the", "a", "an", "two", "three", "four", "five", "six", "several", "some", "many",
        "his", "her", "their", "its", "one", "other", "another", "both", "all", "this", "these",
    }
)  # fmt: skip
# "einer der Beamten", "one of the officials": a pronoun that heads a partitive.
PARTITIVE_HEADS = frozenset(
    {"einer", "eine", "eines", "keiner", "jeder", "mehrere", "einige", "viele", "one", "some",
     "two", "three", "several", "many", "none", "each", "any", "most"}
)  # fmt: skip
PREPOSITIONS = frozenset(
    {
        "in", "im", "am", "an", "auf", "aus", "bei", "beim", "mit", "nach", "seit", "von", "vom",
        "vor", "zu", "zum", "zur", "über", "unter", "gegen", "für", "durch", "um", "während",
        "wegen", "trotz", "gegenüber", "ohne", "ab", "bis", "hinter", "neben", "zwischen",
        "entsprechend", "angesichts", "aufgrund", "infolge", "seitens", "innerhalb",
        "außerhalb", "anlässlich", "bezüglich", "hinsichtlich", "mithilfe", "statt",
        "on", "at", "to", "from", "for", "with", "by", "about", "after", "before", "during",
        "into", "over", "under", "since", "while", "against", "via", "through", "without",
        "amid", "despite", "per",
    }
)  # fmt: skip
ADVERBS = frozenset(
    {
        "jedoch", "auch", "noch", "bereits", "dabei", "zudem", "außerdem", "ebenfalls",
        "erstmals", "damals", "heute", "gestern", "nun", "jetzt", "inzwischen", "weiter",
        "später", "zuvor", "demnach", "deshalb", "daher", "dann", "so", "nicht", "nur", "schon",
        "allerdings", "aber", "sogar", "ausdrücklich", "wiederholt", "erneut", "zuletzt",
        "gleichzeitig", "zunächst", "ferner", "darüber", "hinaus", "indes", "unterdessen",
        "insgesamt", "dagegen", "ähnlich", "dies", "diese", "dieser", "wie", "daraufhin",
        "hierzu", "dazu", "damit", "darauf", "trotzdem", "bisher", "gleich", "ebenso", "vielmehr",
        "zugleich", "beispielsweise", "anschließend", "schließlich", "offenbar", "angeblich",
        "laut",
        "also", "however", "later", "earlier", "previously", "then", "further", "again",
        "repeatedly", "separately", "publicly", "privately", "recently", "still", "already",
        "now", "on", "today", "yesterday", "last", "week", "this", "have", "has", "had",
        "would", "will", "did", "not", "reportedly", "was", "were", "first", "initially",
        "exclusively", "originally",
    }
)  # fmt: skip
CONJUNCTIONS = frozenset(
    {"und", "oder", "aber", "doch", "denn", "sondern", "dass", "daß", "weil", "ob", "wenn",
     "als", "nachdem", "während", "and", "or", "but", "that", "because", "if", "when", "while",
     "as", "whether", "although", "though"}
)  # fmt: skip
WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
     "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
     "monday's", "tonight", "morning", "evening", "afternoon", "am", "abend", "morgen"}
)  # fmt: skip
# Words that open a subordinate clause, never a subject noun phrase.
SUBORDINATORS = frozenset(
    {"nachdem", "als", "wenn", "weil", "obwohl", "da", "während", "bevor", "sobald", "seit",
     "seitdem", "falls", "damit", "dass", "ob", "wie", "wo", "after", "before", "when", "while",
     "although", "because", "since", "if", "as", "once", "though", "whether", "where"}
)  # fmt: skip
RELATIVE = frozenset({"who", "which", "that", "whose", "der", "die", "das", "welche", "welcher"})


def is_capitalised(token: Token) -> bool:
    first = token.text[:1]
    if first.isdigit():
        # "der 41-Jährige", "die 27-jährige": a number joined to a noun is a noun
        _, hyphen, rest = token.text.partition("-")
        return bool(hyphen) and rest[:1].isupper()
    return first.isupper() or token.text[:2].isupper()


def is_word(token: Token) -> bool:
    return any(character.isalnum() for character in token.text)


def is_quote(token: Token) -> bool:
    return token.text in QUOTE_CHARS or (len(token.text) == 2 and set(token.text) <= QUOTE_CHARS)


def is_german_adjective(token: Token) -> bool:
    """Lower-case inflected words inside a German noun phrase: "ungenannte", "russischen"."""
    low = token.low
    return (
        token.text[:1].islower()
        and low not in PREPOSITIONS
        and low not in ADVERBS
        and low not in CONJUNCTIONS
        and low.endswith(("e", "en", "er", "es", "em"))
        and len(low) > 3
    )


# Finite auxiliaries and modals: in "Rice hatte ... erklärt" the subject ends before them.
AUXILIARIES = frozenset(
    {"hat", "hatte", "hatten", "haben", "habe", "ist", "war", "waren", "sind", "sei", "wird",
     "wurde", "wurden", "werden", "will", "wollte", "soll", "sollte", "kann", "konnte", "muss",
     "musste", "has", "had", "have", "is", "was", "were", "would", "could"}
)  # fmt: skip


def _casefolded(words: frozenset[str]) -> frozenset[str]:
    return frozenset(word.casefold() for word in words)


# Tokens are compared case-folded ("ß" -> "ss"), so the lists are too.
ADVERBS = _casefolded(ADVERBS)
CONJUNCTIONS = _casefolded(CONJUNCTIONS)
PREPOSITIONS = _casefolded(PREPOSITIONS)
DETERMINERS = _casefolded(DETERMINERS)
AUXILIARIES = _casefolded(AUXILIARIES)
SUBORDINATORS = _casefolded(SUBORDINATORS)
