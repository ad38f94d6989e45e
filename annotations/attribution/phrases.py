"""Noun phrases around a cue: who speaks, to whom (an outlet: "told Reuters", "dem Journal")."""

from __future__ import annotations

from dataclasses import dataclass

from ..outlets import is_news_outlet
from .grammar import (
    ADVERBS,
    AUXILIARIES,
    CLAUSE_PUNCT,
    CONJUNCTIONS,
    DETERMINERS,
    END_PUNCT,
    PARTITIVE_HEADS,
    PREPOSITIONS,
    RELATIVE,
    WEEKDAYS,
    is_capitalised,
    is_german_adjective,
    is_quote,
    is_word,
)
from .lexicon import Lexicon
from .text import Token

MAX_PHRASE = 12
# "people familiar with the talks", "a source close to the campaign": the preposition belongs
# to the phrase.
_OPEN_BEFORE_PREPOSITION = frozenset({"familiar", "close", "briefed", "knowledge", "involved"})
_DEMONSTRATIVES = frozenset({"das", "dies", "dieses", "this", "that"})
_GENITIVE = frozenset({"des", "der"})
_DATIVE = frozenset({"dem", "der", "den"})
_ADDRESSEE_PREPS = (
    ("gegenüber",),
    ("im", "gespräch", "mit"),
    ("im", "interview", "mit"),
    ("in", "einem", "interview", "mit"),
    ("told",),
    ("tells",),
    ("in", "an", "interview", "with"),
    ("speaking", "to"),
)


@dataclass(frozen=True)
class Span:
    """Token indices [first, last) of a phrase in a sentence."""

    first: int
    last: int


def _is_boundary(token: Token) -> bool:
    return token.text in CLAUSE_PUNCT or token.text in END_PUNCT or is_quote(token)


def _german_nominal(tokens: tuple[Token, ...], index: int) -> bool:
    token = tokens[index]
    if token.low in {"und", "oder"} and 0 < index < len(tokens) - 1:
        # "Kongress- und Verteidigungskreise": a truncated compound goes on
        return tokens[index - 1].text.endswith("-") and is_capitalised(tokens[index + 1])
    if token.text[:1].islower() and len(token.text) > 1 and is_news_outlet(token.text):
        return True  # "laut dpa", "der taz"
    if token.text[:1].islower() and _letters_and_digits(token.text):
        return True  # "nach Angaben von k21": a name written small
    return is_capitalised(token) and is_word(token) and token.low not in PREPOSITIONS


def _quoted_name_at(tokens: tuple[Token, ...], position: int, nouns: int) -> bool:
    """Quotation marks around a name inside a phrase: die „Automobilwoche“; inside them a
    number belongs to the name („Kanal 7“)."""
    opened = sum(1 for token in tokens[nouns:position] if is_quote(token)) % 2 == 1
    if not is_quote(tokens[position]):
        return opened and tokens[position].text[:1].isdigit()
    if opened:
        return True
    closing = next(
        (i for i in range(position + 1, min(len(tokens), position + 7)) if is_quote(tokens[i])),
        None,
    )
    return closing is not None and closing > position + 1


def _german_nouns_start(tokens: tuple[Token, ...], index: int) -> int:
    """Past a partitive ("einer der"), determiners, adjectives and numbers."""
    position = index
    if (
        tokens[position].low in PARTITIVE_HEADS
        and position + 1 < len(tokens)
        and tokens[position + 1].low in _GENITIVE
    ):
        position += 2
    while position < len(tokens) and (
        tokens[position].low in DETERMINERS
        or is_german_adjective(tokens[position])
        or tokens[position].text.isdigit()
    ):
        position += 1
    return position


def german_phrase_after(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> Span | None:
    """ "einer der US-Beamten", "das Wall Street Journal", "Sprecher Steffen Seibert", "er"."""
    if index >= len(tokens):
        return None
    if tokens[index].low in lexicon.pronouns:
        return Span(index, index + 1)
    position = _german_nouns_start(tokens, index)
    nouns = position
    while position < len(tokens) and (
        _german_nominal(tokens, position) or _quoted_name_at(tokens, position, nouns)
    ):
        position += 1
    if position == nouns or all(is_quote(token) for token in tokens[nouns:position]):
        return None
    position = _german_genitives(tokens, position, lexicon)
    return Span(index, min(position, index + MAX_PHRASE))


def _german_genitives(tokens: tuple[Token, ...], position: int, lexicon: Lexicon) -> int:
    """Extend over genitive attributes ("Beamter des Außenministeriums"), but not over a
    dative addressee that names a medium ("sagte er der Zeitung")."""
    while position + 1 < len(tokens) and tokens[position].low in _GENITIVE:
        look = position + 1
        while look < len(tokens) and is_german_adjective(tokens[look]):
            look += 1
        end = _nominal_end(tokens, look)
        if end == look or (end == look + 1 and tokens[look].low in lexicon.backrefs):
            break
        report = lexicon.nach_heads and tokens[position - 1].low.endswith(lexicon.nach_heads)
        name = " ".join(token.text for token in tokens[look:end] if not is_quote(token))
        if not report and is_news_outlet(name):
            break  # "sagte Keller der Süddeutschen Zeitung": a dative addressee
        position = end
    return position


def _nominal_end(tokens: tuple[Token, ...], look: int) -> int:
    """End of the nouns from ``look``, a quoted name too ("ein Bericht der „Welt“")."""
    end = look
    while end < len(tokens) and (
        _german_nominal(tokens, end) or _quoted_name_at(tokens, end, look)
    ):
        end += 1
    return end


def _ends_english_phrase(
    tokens: tuple[Token, ...], index: int, position: int, lexicon: Lexicon
) -> bool:
    token = tokens[position]
    low = token.low
    # "people familiar with the talks": the preposition belongs to the phrase
    opened = position > index and tokens[position - 1].low in _OPEN_BEFORE_PREPOSITION
    if _is_boundary(token) or low in WEEKDAYS or low in lexicon.verbs or low in AUXILIARIES:
        return True
    if low in CONJUNCTIONS or (low in PREPOSITIONS and low != "of"):
        return not opened
    return low in RELATIVE and position > index


def english_phrase_after(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> Span | None:
    """ "Pentagon spokesman John Kirby", "a senior official", "he"."""
    if index >= len(tokens):
        return None
    if tokens[index].low in lexicon.pronouns:
        return Span(index, index + 1)
    position = index
    while position < len(tokens) and position - index < MAX_PHRASE:
        if _ends_english_phrase(tokens, index, position, lexicon):
            break
        position += 1
    while position > index and tokens[position - 1].low in {"of", "'s", "the", "a"}:
        position -= 1
    return Span(index, position) if position > index else None


def phrase_after(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> Span | None:
    if lexicon.language == "de":
        return german_phrase_after(tokens, index, lexicon)
    return english_phrase_after(tokens, index, lexicon)


def clause_start(tokens: tuple[Token, ...], index: int) -> int:
    """First token of the clause that holds ``index``: after the last comma, quote, colon."""
    position = index
    while position > 0:
        if is_quote(tokens[position - 1]):
            opening = _quoted_name_start(tokens, position - 1)
            if opening is None:
                opening = _embedded_quote_start(tokens, position - 1, index)
            if opening is None:
                break
            position = opening  # "Der Sender „Silverbird“ berichtete": a name, not a quote
            continue
        if tokens[position - 1].text == ")":
            opening = _bracket_start(tokens, position - 1)
            if opening is not None:
                position = opening  # "Der Verein (ABC) hat": a short aside
                continue
        if _is_boundary(tokens[position - 1]):
            break
        position -= 1
    return position


def _bracket_start(tokens: tuple[Token, ...], closing: int) -> int | None:
    """The "(" of a short aside of at most three words that ends at ``closing`` and
    follows a capitalised word: "(SPD)", "(UNO)", "(ABC)"."""
    for opening in range(closing - 1, max(-1, closing - 5), -1):
        if tokens[opening].text == "(":
            before = tokens[opening - 1] if opening > 0 else None
            named = before is not None and is_capitalised(before)
            return opening if named and opening < closing - 1 else None
        if _is_boundary(tokens[opening]):
            return None
    return None


def _embedded_quote_start(tokens: tuple[Token, ...], closing: int, verb: int) -> int | None:
    """ "hatte den Plan „ohne jede Eile“ angekündigt":
    words quoted inside a clause, right before its lower-case final verb, after a word of
    the clause (not a quote that opens the sentence or follows a comma)."""
    if closing != verb - 1 or not tokens[verb].text[:1].islower():
        return None
    for opening in range(closing - 1, max(-1, closing - 12), -1):
        if is_quote(tokens[opening]):
            before = tokens[opening - 1] if opening > 0 else None
            inside = before is not None and is_word(before) and not _is_boundary(before)
            return opening if inside and opening < closing - 1 else None
        if tokens[opening].text in END_PUNCT:
            return None
    return None


def _quoted_name_start(tokens: tuple[Token, ...], closing: int) -> int | None:
    """The opening mark of a short quoted name that ends at ``closing`` inside a noun phrase
    (at most four words, capitalised, after an article or noun); None for a real quote."""
    for opening in range(closing - 1, max(-1, closing - 6), -1):
        if is_quote(tokens[opening]):
            inner = tokens[opening + 1 : closing]
            named = bool(inner) and is_capitalised(inner[0])
            before = tokens[opening - 1] if opening > 0 else None
            in_phrase = before is not None and (before.low in DETERMINERS or is_capitalised(before))
            return opening if named and in_phrase else None
    return None


def _vorfeld_bounds(tokens: tuple[Token, ...], verb: int) -> tuple[int, int] | None:
    start = clause_start(tokens, verb)
    end = next((i for i in range(start + 1, verb) if tokens[i].low in AUXILIARIES), verb)
    while end > start and tokens[end - 1].low in ADVERBS:
        end -= 1
    if tokens[start].low == "als" and start + 1 < end and is_capitalised(tokens[start + 1]):
        return None  # "Als Grund gab die Schule an": a predicative, the subject follows
    while start < end and tokens[start].low in CONJUNCTIONS | {"wie", "as"}:
        start += 1
    if end <= start or end - start > MAX_PHRASE:
        return None
    return start, end


def _vorfeld(tokens: tuple[Token, ...], verb: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """Token range in front of a reporting verb that may be its subject, trimmed of
    conjunctions, adverbs and an auxiliary ("Der Präsident hat bereits ... angekündigt")."""
    bounds = _vorfeld_bounds(tokens, verb)
    if bounds is None:
        return None
    start, end = bounds
    first = tokens[start].low
    if end - start == 1 and first in _DEMONSTRATIVES:
        return None  # "Das berichtete die Zeitung": the object, the subject follows
    if _name_with_particle(tokens, start, end):
        return start, end  # "Von der Leyen betonte": a name, not a prepositional phrase
    if first in _FOCUS and end - start > 1 and _opens_noun_phrase(tokens[start + 1]):
        start, first = start + 1, tokens[start + 1].low  # "Auch die Opposition kritisierte"
    if _relative_after_preposition(tokens, start, end):
        # ", in der Meier die Reform als Fehler bezeichnete": the subject, not its object
        subject = german_phrase_after(tokens, start + 2, lexicon)
        return (subject.first, subject.last) if subject is not None else None
    if first in PREPOSITIONS or (first in ADVERBS and first not in lexicon.pronouns):
        return None
    if tokens[end - 1].low in _TIME_NOUNS:
        return None  # "Vergangenen Monat kündigte die Firma an": a time, the subject follows
    return start, _before_relay(tokens, start, end, lexicon)


# Nouns that end an adverbial of time ("Vergangene Woche", "Ende Mai", "Am Montagabend" is
# handled by its preposition): such a Vorfeld is never the speaker.
_TIME_NOUNS = frozenset(
    {"woche", "wochen", "monat", "monate", "jahr", "jahre", "tag", "tage", "wochenende",
     "abend", "morgen", "vormittag", "nachmittag", "mittag", "nacht", "zeit", "mal",
     "januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
     "oktober", "november", "dezember", "montag", "dienstag", "mittwoch", "donnerstag",
     "freitag", "samstag", "sonntag"}
)  # fmt: skip


# Focus particles in front of a subject: "Auch die Opposition", "Selbst der Minister".
_FOCUS = frozenset({"auch", "selbst", "sogar", "nur", "allein", "ebenso", "even", "only"})


_RELATIVE_OBJECTS = frozenset({"dem", "der", "denen", "welchem", "welcher", "welchen"})


def _relative_after_preposition(tokens: tuple[Token, ...], start: int, end: int) -> bool:
    """ ", in der Meier die Reform als Fehler bezeichnete": a relative clause opened by a
    preposition; its subject follows the relative pronoun."""
    return (
        start > 0
        and end - start > 2
        and tokens[start - 1].text == ","
        and tokens[start].low in PREPOSITIONS
        and tokens[start + 1].low in _RELATIVE_OBJECTS
    )


def _opens_noun_phrase(token: Token) -> bool:
    return token.low in DETERMINERS or is_capitalised(token) or is_german_adjective(token)


def _name_with_particle(tokens: tuple[Token, ...], start: int, end: int) -> bool:
    """ "Von der Leyen", "van Gaal", "de Maizière" right before the verb."""
    words = tokens[start:end]
    return (
        2 <= len(words) <= 3
        and is_capitalised(words[-1])
        and all(word.low in {"von", "van", "de", "der", "den"} for word in words[:-1])
    )


def _before_relay(tokens: tuple[Token, ...], start: int, end: int, lexicon: Lexicon) -> int:
    """Where a relay phrase starts: "wie der Spiegel [unter Berufung auf X] berichtet"."""
    lows = [token.low for token in tokens]
    for position in range(start + 1, end):
        if any(tuple(lows[position : position + len(p)]) == p for p in lexicon.relays):
            return position
    return end


def _german_subject(
    tokens: tuple[Token, ...], start: int, end: int, lexicon: Lexicon
) -> Span | None:
    found = german_phrase_after(tokens, start, lexicon)
    if found is not None and found.last >= end - 1:
        return found
    # "Mehrere mit der Transaktion vertraute Beamte": a phrase with an embedded participle;
    # accept the whole Vorfeld when it opens and ends like a noun phrase.
    first = tokens[start]
    opens = first.low in DETERMINERS or first.low in PARTITIVE_HEADS or is_capitalised(first)
    return Span(start, end) if opens and _ends_noun_phrase(tokens[end - 1]) else None


def _letters_and_digits(text: str) -> bool:
    return any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


def _ends_noun_phrase(token: Token) -> bool:
    """A noun, or a name written small: "ein Reporter von k21", "ein Sprecher der taz"."""
    return is_capitalised(token) or (
        is_word(token)
        and token.low not in PREPOSITIONS | ADVERBS | DETERMINERS
        and (_letters_and_digits(token.text) or is_news_outlet(token.text))
    )


def _english_subject(tokens: tuple[Token, ...], start: int, end: int) -> Span:
    for position in range(start + 1, end):
        low = tokens[position].low
        opened = tokens[position - 1].low in _OPEN_BEFORE_PREPOSITION
        if low in RELATIVE or (low in PREPOSITIONS - {"of"} and not opened):
            return Span(start, position)  # "Officials who spoke ...", "aides in the ..."
    return Span(start, end)


def _after_auxiliary_subject(tokens: tuple[Token, ...], verb: int, lexicon: Lexicon) -> Span | None:
    """German V2 with a participle at the end: "Bereits im Mai hatte [die Gewerkschaft]
    erklärt", "„…“, hatte [Bahn-Chefin Berger] in einem Interview erklärt"."""
    if lexicon.language != "de":
        return None
    start = clause_start(tokens, verb)
    auxiliary = next((i for i in range(start, verb) if tokens[i].low in AUXILIARIES), None)
    if auxiliary is None:
        return None
    found = german_phrase_after(tokens, auxiliary + 1, lexicon)
    if found is None or tokens[found.first].low in {"den", "einen"}:
        return None
    return found


def phrase_before(tokens: tuple[Token, ...], verb: int, lexicon: Lexicon) -> Span | None:
    """The subject in front of a reporting verb: "Die Beamten [sagten]", "U.S. officials
    [said]"; None when the words in front are no noun phrase ("Am Montag [sagte] er")."""
    bounds = _vorfeld(tokens, verb, lexicon)
    if bounds is not None and lexicon.language == "en":
        return _english_subject(tokens, *bounds)
    subject = _german_subject(tokens, *bounds, lexicon) if bounds is not None else None
    return (
        subject
        or _after_auxiliary_subject(tokens, verb, lexicon)
        or _wie_subject(tokens, verb, lexicon)
    )


_WIE_WINDOW = 16


def _wie_subject(tokens: tuple[Token, ...], verb: int, lexicon: Lexicon) -> Span | None:
    """ "Wie die Leiterin der Behörde, Anna Roth, mitteilte, ...", "wie der Verein (ABC)
    weiterhin mitteilte": in a "wie" clause the verb comes last and the subject follows "wie",
    past an apposition or a bracket that ends the plain clause early."""
    if lexicon.language != "de":
        return None
    for position in range(verb - 1, max(-1, verb - _WIE_WINDOW), -1):
        token = tokens[position]
        if token.text in END_PUNCT or is_quote(token):
            return None
        if token.low != "wie":
            continue
        if position > 0 and tokens[position - 1].text not in CLAUSE_PUNCT:
            return None  # "so hoch wie", "ebenso wie": a comparison
        found = german_phrase_after(tokens, position + 1, lexicon)
        return found if found is not None and found.last <= verb else None
    return None


def addressee_after(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> Span | None:
    """A dative or "told" addressee right at ``index``: "dem Journal", "told Reuters",
    "gegenüber der Zeitung", "im Gespräch mit dem Journal"."""
    lows = [token.low for token in tokens]
    if index > 0 and lows[index - 1] in {"told", "tells"} and index < len(tokens):
        return phrase_after(tokens, index, lexicon)
    for phrase in _ADDRESSEE_PREPS:
        if tuple(lows[index : index + len(phrase)]) == phrase:
            found = phrase_after(tokens, index + len(phrase), lexicon)
            return found
    if lexicon.language == "de" and index < len(tokens) and lows[index] in _DATIVE:
        found = german_phrase_after(tokens, index, lexicon)
        # "dem Sender „Radio Nord“": quotation marks around a name are no words
        if found is not None and _word_count(tokens, found) <= 4:
            return found
    return None


def _word_count(tokens: tuple[Token, ...], span: Span) -> int:
    return sum(1 for token in tokens[span.first : span.last] if not is_quote(token))
