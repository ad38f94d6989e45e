"""Attribution cues in one sentence and the parts around them (speaker, addressee, content)."""

from __future__ import annotations

from dataclasses import dataclass

from ..outlets import is_news_outlet
from ..source_tags import has_personal_name
from .grammar import (
    ADVERBS,
    AUXILIARIES,
    CLAUSE_PUNCT,
    CONJUNCTIONS,
    DETERMINERS,
    END_PUNCT,
    PARTITIVE_HEADS,
    PREPOSITIONS,
    SUBORDINATORS,
    WEEKDAYS,
    is_capitalised,
    is_german_adjective,
    is_quote,
    is_word,
)
from .lexicon import Lexicon
from .phrases import (
    Span,
    addressee_after,
    clause_start,
    german_phrase_after,
    phrase_after,
    phrase_before,
)
from .text import Sentence, Token

_PARTICLE_WINDOW = 25
_DATIVE_ARTICLES = frozenset({"dem", "der", "einem", "einer"})
# case-folded; "Wie aus dem Papier hervorgeht", "Aus dem Bericht geht hervor, dass"
_IMPERSONAL = frozenset({"heisst", "hiess", "verlautete", "verlautet", "hervorgeht", "hervorging"})
_NEEDS_ES = frozenset({"heisst", "hiess"})  # "heißt es", not "hieß die Gäste willkommen"


@dataclass(frozen=True)
class Cue:
    kind: str  # "verb", "frame", "postframe", "relay", "so"
    first: int
    last: int  # exclusive token index; a particle verb ends after its particle


@dataclass
class Found:
    """One attribution in a sentence, in character offsets into the document text."""

    sentence: int
    cue: str
    cue_start: int
    cue_end: int
    content: tuple[int, int] | None
    speaker: tuple[int, int] | None = None
    addressee: tuple[int, int] | None = None
    relayed: tuple[int, int] | None = None  # "unter Berufung auf X": whom the speaker cites
    continued: bool = False


def _match_phrase(lows: list[str], index: int, phrase: tuple[str, ...]) -> bool:
    return tuple(lows[index : index + len(phrase)]) == phrase


def _particle_end(tokens: tuple[Token, ...], verb: int, particle: str) -> int | None:
    for position in range(verb + 1, min(len(tokens), verb + _PARTICLE_WINDOW)):
        if tokens[position].text in CLAUSE_PUNCT or tokens[position].text in END_PUNCT:
            return None
        if tokens[position].low == particle:
            return position + 1
    return None


def _verb_cue(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> Cue | None:
    token = tokens[index]
    if not token.text[:1].islower():
        return None  # German verbs and English verbs are lower-case; "Angaben" is a noun
    neighbours = {t.low for t in tokens[max(0, index - 1) : index + 2]}
    if token.low in _NEEDS_ES and "es" not in neighbours | _clause_before(tokens, index):
        return None  # "in dem es dazu auch heißt": "es" anywhere in front
    if lexicon.language == "en" and _english_passive(tokens, index):
        return None  # "which was first reported by", "has not been announced"
    if token.low in lexicon.verbs:
        return None if _verb_excluded(tokens, index, lexicon) else Cue("verb", index, index + 1)
    return _particle_verb_cue(tokens, index, lexicon)


def _clause_before(tokens: tuple[Token, ...], index: int) -> set[str]:
    return {token.low for token in tokens[clause_start(tokens, index) : index]}


def _verb_excluded(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    """A listed verb form that reports no speech in this sentence."""
    low = tokens[index].low
    excluded = lexicon.excluded.get(low)
    if excluded and any(other.low in excluded for other in tokens):
        return True  # "Der Taifun forderte zwölf Todesopfer"
    if lexicon.language == "de" and _no_german_speech(tokens, index):
        return True
    if _excluded_next(tokens, index, lexicon):
        return True  # "meldete sich beim Amt", "hofft auf Besserung"
    if lexicon.language == "de" and low.startswith("erklärt") and _declares(tokens, index):
        return True
    if lexicon.language == "de" and (_state_passive(tokens, index) or _declined(tokens, index)):
        return True
    return low in lexicon.needs_clause and not _before_clause(tokens, index)


_SEIN = frozenset({"ist", "war", "sind", "waren", "sei", "seien", "wäre", "wären"})


def _state_passive(tokens: tuple[Token, ...], verb: int) -> bool:
    """ "war das Ministerium früh informiert": a participle with "sein" closing its clause
    describes a state; speech verbs form their perfect with "haben"."""
    low = tokens[verb].low
    if not low.endswith("t") or low.endswith("te"):
        return False
    following = tokens[verb + 1] if verb + 1 < len(tokens) else None
    if following is not None and not (
        following.text in CLAUSE_PUNCT or following.text in END_PUNCT
    ):
        return False
    clause = {token.low for token in tokens[clause_start(tokens, verb) : verb]}
    return bool(clause & _SEIN) and not clause & {"worden", "hat", "haben", "hatte", "hatten"}


def _declined(tokens: tuple[Token, ...], verb: int) -> bool:
    """ "Der Minister äußerte sich zunächst nicht.": a refusal to comment reports nothing;
    "sich" after the verb and "nicht" closing the sentence."""
    if verb + 1 >= len(tokens) or tokens[verb + 1].low != "sich":
        return False
    end = len(tokens) - 1 if tokens[-1].text in END_PUNCT else len(tokens)
    return end > verb + 1 and tokens[end - 1].low == "nicht"


def _declares(tokens: tuple[Token, ...], verb: int) -> bool:
    """ "erklärte die Sitzung für eröffnet": declaring something so, not saying anything;
    "für" and a lower-case word close the clause."""
    for position in range(verb + 1, len(tokens) - 1):
        token = tokens[position]
        if token.text in CLAUSE_PUNCT or token.text in END_PUNCT or token.low == "dass":
            return False
        closing = tokens[position + 2] if position + 2 < len(tokens) else None
        ends = closing is None or closing.text in CLAUSE_PUNCT or closing.text in END_PUNCT
        if token.low == "für" and tokens[position + 1].text[:1].islower() and ends:
            return True
    return False


def _before_clause(tokens: tuple[Token, ...], index: int) -> bool:
    """A comma, colon or "dass" right after the verb, or after its subject or auxiliary
    ("ergaben die Tests, dass", "ergeben hatten, dass"): nothing else in between."""
    for position in range(index + 1, min(len(tokens), index + 8)):
        token = tokens[position]
        if token.text in {",", ":"} or token.low == "dass":
            return True
        if not (token.low in DETERMINERS | AUXILIARIES or is_capitalised(token)):
            return False  # "ergeben hatten, dass": an auxiliary may close the clause
    return False


def _excluded_next(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> bool:
    excluded = lexicon.excluded_next.get(tokens[index].low)
    if not excluded:
        return False
    following = [token.low for token in tokens[index + 1 : index + 3]]
    if following and following[0] in lexicon.pronouns:
        following = following[1:]  # "meldete er sich"
    return bool(following) and following[0] in excluded


def _no_german_speech(tokens: tuple[Token, ...], index: int) -> bool:
    """A listed verb form that reports nothing here: an infinitive with "zu", a
    cross-reference in brackets ("(die Zeitung berichtete)") or a participle used as an
    adjective ("an einem vermuteten Tatort")."""
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if tokens[index].low.endswith("en") and "zu" in {
        tokens[index - 1].low if index else "",
        following.low if following else "",
    }:
        return True  # "Auskunft verlangen zu können", "um zu warnen": an infinitive
    if following is not None and following.text == ")":
        opening = next(
            (i for i in range(index - 1, max(-1, index - 5), -1) if tokens[i].text == "("), None
        )
        if opening is not None:
            return True
    return following is not None and index >= 2 and _attributive(tokens, index, following)


# Determiners that are never a demonstrative subject ("dem widersprachen Experten" is a clause)
_ATTRIBUTIVE_BEFORE = frozenset({"einem", "einen", "eines", "seinem", "seinen", "ihrem", "ihren"})


def _attributive(tokens: tuple[Token, ...], index: int, following: Token) -> bool:
    before = tokens[index - 1]
    return (
        tokens[index].low.endswith(("e", "en", "em", "er", "es"))
        and is_capitalised(following)
        and (is_german_adjective(before) or before.low in _ATTRIBUTIVE_BEFORE)
    )


def _particle_verb_cue(tokens: tuple[Token, ...], index: int, lexicon: Lexicon) -> Cue | None:
    """ "teilte … mit", "gab … bekannt"; verb-final "bekannt gab"."""
    token = tokens[index]
    for particle in lexicon.particle_verbs.get(token.low, ()):
        if index > 0 and tokens[index - 1].low == particle and tokens[index - 1].text.islower():
            return Cue("verb", index - 1, index + 1)  # verb-final: "wie das Amt bekannt gab"
        end = _particle_end(tokens, index, particle)
        if end is not None and (particle == "von" or _particle_ends_clause(tokens, end)):
            if particle in lexicon.needs_clause and not _before_clause(tokens, end - 1):
                continue  # "zeigte sich besorgt.": a mood, nothing reported
            return Cue("verb", index, end)
    return None


_BE_FORMS = frozenset({"was", "were", "been", "be", "is", "are", "being"})


def _english_passive(tokens: tuple[Token, ...], index: int) -> bool:
    position = index - 1
    while position >= 0 and tokens[position].low in ADVERBS - _BE_FORMS:
        position -= 1
    return position >= 0 and tokens[position].low in _BE_FORMS


def _particle_ends_clause(tokens: tuple[Token, ...], end: int) -> bool:
    """A separable particle closes its clause: "gab an, dass" yes, "gab ... zu feiern" no."""
    return (
        end >= len(tokens)
        or tokens[end].text in CLAUSE_PUNCT
        or tokens[end].text in END_PUNCT
        or is_quote(tokens[end])
        or tokens[end].low in {"dass", "daß", "und", "that"}
    )


def _phrase_cue(lows: list[str], index: int, lexicon: Lexicon) -> Cue | None:
    for kind, phrases in (("relay", lexicon.relays), ("frame", lexicon.frames)):
        for phrase in phrases:
            if _match_phrase(lows, index, phrase):
                return Cue(kind, index, index + len(phrase))
    if lows[index] == "nach" and _is_report_noun(lows, index + 1, lexicon):
        return Cue("frame", index, index + 1)
    if lows[index] in lexicon.postframes:
        return Cue("postframe", index, index + 1)
    if lows[index] in lexicon.so_cues and index > 0 and lows[index - 1] == ",":
        return Cue("so", index, index + 1)
    return None


def _is_report_noun(lows: list[str], index: int, lexicon: Lexicon) -> bool:
    """ "nach Polizeiangaben", "nach einem Bericht der", "nach Ansicht von": a source frame."""
    for position in range(index, min(len(lows), index + 4)):
        if lows[position].endswith(lexicon.nach_heads) if lexicon.nach_heads else False:
            return True
        if lows[position] in {",", ".", "dem", "der"} and position > index:
            return False
    return False


def _quoted(token: Token, quotes: tuple[tuple[int, int], ...]) -> bool:
    return any(start < token.start and token.end < end for start, end in quotes)


def find_cues(
    sentence: Sentence, lexicon: Lexicon, quotes: tuple[tuple[int, int], ...] = ()
) -> list[Cue]:
    """Cues of a sentence; words inside quotation marks are the quoted person's own, never
    the cue of the quotation ("„… told what to think“, Dorsey said")."""
    tokens = sentence.tokens
    lows = [token.low for token in tokens]
    cues: list[Cue] = []
    index = 0
    while index < len(tokens):
        if _quoted(tokens[index], quotes):
            index += 1
            continue
        cue = _phrase_cue(lows, index, lexicon) or _verb_cue(tokens, index, lexicon)
        if cue is not None:
            cues.append(cue)
            index = index + 1 if cue.kind == "verb" else cue.last
        else:
            index += 1
    return cues


def _chars(tokens: tuple[Token, ...], span: Span | None) -> tuple[int, int] | None:
    if span is None or span.last <= span.first:
        return None
    return tokens[span.first].start, tokens[span.last - 1].end


def _trimmed(tokens: tuple[Token, ...], first: int, last: int) -> tuple[int, int] | None:
    """Characters of tokens [first, last) without punctuation at either end."""

    def loose(token: Token) -> bool:
        return token.text in CLAUSE_PUNCT or token.text in END_PUNCT

    while first < last and loose(tokens[first]):
        first += 1
    while last > first and loose(tokens[last - 1]):
        last -= 1
    if last - first < 2 and not (last > first and is_quote(tokens[first])):
        return (
            None
            if last - first < 1 or tokens[first].text in '“”„"'
            else (tokens[first].start, tokens[last - 1].end)
        )
    return tokens[first].start, tokens[last - 1].end


def _content_start(tokens: tuple[Token, ...], index: int) -> int:
    """Skip adverbs ("erklärte jedoch, dass"), and a short phrase before "that"/"dass"
    ("said in a statement that", "reported last month that")."""
    while index < len(tokens) and tokens[index].low in ADVERBS:
        index += 1
    index = _past_adverbial(tokens, index)
    for position in range(index, min(len(tokens), index + 6)):
        if tokens[position].low in {"that", "dass"} and position > index:
            return position
        if tokens[position].text in CLAUSE_PUNCT or tokens[position].text in END_PUNCT:
            break
    return index


def _past_adverbial(tokens: tuple[Token, ...], index: int) -> int:
    """ "sagte am Dienstag in Berlin, es gebe …": prepositional phrases of time and place up
    to a comma are no part of what was said."""
    if index >= len(tokens) or tokens[index].low not in PREPOSITIONS:
        return index
    for position in range(index + 1, min(len(tokens) - 1, index + 9)):
        token = tokens[position]
        if token.text == ",":
            return position + 1
        plain = token.low in PREPOSITIONS | DETERMINERS | ADVERBS | WEEKDAYS
        if not (
            plain or is_capitalised(token) or token.text[:1].isdigit() or is_german_adjective(token)
        ):
            return index
    return index


def _content(tokens: tuple[Token, ...], chunk: Span) -> tuple[int, int] | None:
    """The reported content beside a cue chunk (speaker + cue + addressee)."""
    before = _trimmed(tokens, 0, chunk.first)
    following = _content_start(tokens, chunk.last)
    after = _trimmed(tokens, following, len(tokens))
    words_before = sum(1 for token in tokens[: chunk.first] if token.text.isalnum())
    words_after = sum(1 for token in tokens[chunk.last :] if token.text.isalnum())
    if before and (not after or words_after <= 2):
        return before
    if after and (not before or words_before <= 3):
        return after
    whole = _trimmed(tokens, 0, len(tokens)) if before and after else None
    return (tokens[0].start, whole[1]) if whole else None


_SOURCE_PREPOSITIONS = frozenset({"in", "im", "aus"})


def _impersonal_source(tokens: tuple[Token, ...], cue: Cue, lexicon: Lexicon) -> Span | None:
    """ "In einem Papier des Ministeriums heißt es", "Wie aus Regierungskreisen verlautete":
    the source is the phrase after "in"/"aus" in front of the verb."""
    if tokens[cue.first].low not in _IMPERSONAL and tokens[cue.last - 1].low != "hervor":
        return None
    start = clause_start(tokens, cue.first)
    for position in range(start, cue.first):
        if tokens[position].low in _SOURCE_PREPOSITIONS:
            following = tokens[position + 1].low
            if (
                following in _RELATIVE_PRONOUNS
                and position > 0
                and tokens[position - 1].text == ","
            ):
                # "verwies auf Berichte, in denen es heißt": the relative's antecedent
                return _phrase_ending_at(tokens, _before_particle(tokens, position - 1))
            return phrase_after(tokens, position + 1, lexicon)
    return _source_after(tokens, cue, lexicon)


def _source_after(tokens: tuple[Token, ...], cue: Cue, lexicon: Lexicon) -> Span | None:
    """ "So heißt es in dem Brief: …": the source after the verb and "es"."""
    for position in range(cue.last, min(len(tokens), cue.last + 4)):
        token = tokens[position]
        if token.text in CLAUSE_PUNCT or token.text in END_PUNCT:
            return None
        if token.low in _SOURCE_PREPOSITIONS:
            return phrase_after(tokens, position + 1, lexicon)
    return None


def _before_particle(tokens: tuple[Token, ...], end: int) -> int:
    """ "griff die Berichte auf, in denen": the noun phrase ends before a particle."""
    return end - 1 if end > 0 and tokens[end - 1].text[:1].islower() else end


def _subject_after(tokens: tuple[Token, ...], cue: Cue, lexicon: Lexicon) -> Span | None:
    after = phrase_after(tokens, _past_object_pronouns(tokens, cue.first + 1), lexicon)
    if after is not None and after.last < len(tokens) and tokens[after.last].low in {"als", "as"}:
        return None  # "bezeichnete die Pläne als ...": an object, not the speaker
    if after is not None and cue.last - cue.first > 1 and after.first < cue.last <= after.last:
        return None  # "ist der Meinung": the cue's own noun, not the speaker
    return _with_name_after(tokens, after) if after is not None else None


def _with_name_after(tokens: tuple[Token, ...], subject: Span) -> Span:
    """ "lobte die Leiterin des Vereins, Anna Roth (FDP), den Plan": the
    name in commas after a role belongs to it."""
    comma = subject.last
    if comma >= len(tokens) or tokens[comma].text != ",":
        return subject
    position = comma + 1
    while position < len(tokens) and is_capitalised(tokens[position]) and position - comma <= 4:
        position += 1
    if position < len(tokens) and tokens[position].text == "(":
        closing = next(
            (i for i in range(position, min(len(tokens), position + 5)) if tokens[i].text == ")"),
            None,
        )
        position = closing + 1 if closing is not None else position
    names = position - comma - 1
    if names >= 2 and position < len(tokens) and tokens[position].text == ",":
        return Span(subject.first, position)
    return subject


def _impersonal_or_passive(
    tokens: tuple[Token, ...], cue: Cue, lexicon: Lexicon
) -> tuple[Span | None, int, int] | None:
    """ "In dem Papier heißt es" (the source in front), "Kritisiert wurde ... von X" (the
    agent); None for an active verb with a subject."""
    impersonal = _impersonal_source(tokens, cue, lexicon)
    if impersonal is not None:
        first = clause_start(tokens, cue.first)
        last = cue.last + (1 if cue.last < len(tokens) and tokens[cue.last].low == "es" else 0)
        return impersonal, first, last
    if _is_passive(tokens, cue, lexicon):
        agent = _passive_agent(tokens, cue, lexicon) or _document_in_front(tokens, cue, lexicon)
        return agent, clause_start(tokens, cue.first), cue.last
    return None


def _document_in_front(tokens: tuple[Token, ...], cue: Cue, lexicon: Lexicon) -> Span | None:
    """ "In dem Bericht wird kritisiert, dass …": a passive without an agent reports what the
    text named in its opening "in" phrase says."""
    start = clause_start(tokens, cue.first)
    if start >= len(tokens) or tokens[start].low not in {"in", "im"}:
        return None
    found = phrase_after(tokens, start + 1, lexicon)
    return found if found is not None and found.last <= cue.first else None


def _speaker_for_verb(tokens, cue: Cue, lexicon: Lexicon) -> tuple[Span | None, int, int]:
    """(speaker, chunk first, chunk last) for a verb cue; speaker in front or behind."""
    special = _impersonal_or_passive(tokens, cue, lexicon)
    if special is not None:
        return special
    before = phrase_before(tokens, cue.first, lexicon)
    after = _subject_after(tokens, cue, lexicon)
    if before is not None and not _medium_in_front(tokens, before, after, lexicon):
        return before, before.first, cue.last
    opening = _opening_subject(tokens, cue, lexicon)
    if after is not None and not _after_is_subject(tokens, after, opening, cue):
        after = None
    if opening is not None and (after is None or not _closes_clause(tokens, after, cue, lexicon)):
        # "Jana Holm von der Wetterwarte, die ..., sagte, dass" / "Ole Brandt, ein
        # Vertreter der ..., kommentierte die Entscheidung": the subject opens the sentence.
        return _with_apposition(tokens, opening, cue.first), opening.first, cue.last
    if after is None:
        shared = _coordinated_subject(tokens, cue, lexicon)
        return shared, shared.first if shared else clause_start(tokens, cue.first), cue.last
    return after, clause_start(tokens, cue.first), max(cue.last, after.last)


def _coordinated_subject(tokens: tuple[Token, ...], cue: Cue, lexicon: Lexicon) -> Span | None:
    """ "Die Ärztin kennt den Plan und ist der Meinung, dass …": a verb after
    "und" shares the subject that opens its clause, right before the first verb."""
    position = cue.first - 1
    while position > 0 and tokens[position].low in AUXILIARIES | ADVERBS:
        position -= 1
    if lexicon.language != "de" or position <= 0 or tokens[position].low != "und":
        return None
    start = clause_start(tokens, position)
    if tokens[start].low in PREPOSITIONS | ADVERBS | SUBORDINATORS:
        return None
    subject = german_phrase_after(tokens, start, lexicon)
    if subject is None or subject.last >= position:
        return None
    verb = tokens[subject.last]
    finite = verb.text[:1].islower() and verb.low not in DETERMINERS | PREPOSITIONS
    return subject if finite and is_word(verb) else None


def _after_is_subject(
    tokens: tuple[Token, ...], after: Span, opening: Span | None, cue: Cue
) -> bool:
    if after.last < len(tokens) and tokens[after.last].low in AUXILIARIES:
        return False  # "said a decision could come": the subject of the content, no speaker
    if tokens[after.first].low in {"den", "einen"}:
        return False  # an accusative object ("kritisierte den Plan") is never the speaker
    return not (
        _owned_object(tokens, after, opening) or _apposed_opening(tokens, opening, cue.first)
    )


_POSSESSIVES = frozenset({"sein", "seine", "seinen", "ihr", "ihre", "ihren"})


def _owned_object(tokens: tuple[Token, ...], after: Span, opening: Span | None) -> bool:
    """ "Petra Lindner, Vorsitzende des Ortsvereins, verteidigte beispielsweise
    sein Vorgehen": after a named opening subject with an apposition, a possessive phrase is
    the object (while "Merkel sei müde, sagte ihr Sprecher", where the verb follows the first
    comma, keeps its speaker)."""
    if opening is None or tokens[after.first].low not in _POSSESSIVES:
        return False
    if not any(token.text == "," for token in tokens[opening.last + 1 : after.first - 1]):
        return False
    words = " ".join(token.text for token in tokens[opening.first : opening.last])
    return has_personal_name(words)


_OBJECT_PRONOUNS = frozenset({"ihn", "ihm", "ihnen", "sich", "mir", "uns", "es", "him", "them"})


def _past_object_pronouns(tokens: tuple[Token, ...], index: int) -> int:
    """ "so charakterisierte ihn der Funktionär": the subject follows the object pronoun."""
    while index < len(tokens) and (
        tokens[index].low in _OBJECT_PRONOUNS or tokens[index].low in _SENTENCE_ADVERBS
    ):
        index += 1
    return index


# "protestierte auch der Verband", "sagte zudem der Minister": adverbs before the subject
_SENTENCE_ADVERBS = frozenset(word.casefold() for word in (
    {"auch", "zudem", "außerdem", "ebenfalls", "jedoch", "aber", "dagegen", "dazu", "nun",
     "später", "zuvor", "bereits", "schon", "erneut", "also", "later", "again", "heute",
     "gestern", "damals", "inzwischen", "jetzt", "zunächst", "bisher", "weiter", "allerdings",
     "indes", "unterdessen", "daraufhin", "zuletzt", "gleichzeitig", "schließlich",
     "wiederholt", "ausdrücklich"}
))  # fmt: skip

_PASSIVE_AUXILIARIES = frozenset({"wird", "wurde", "wurden", "werden", "worden"})
_QUOTING = frozenset({"zitiert", "zitierte", "zitierten", "quoted", "quotes", "quoting"})


def _is_passive(tokens: tuple[Token, ...], cue: Cue, lexicon: Lexicon) -> bool:
    """ "Besonders kritisiert wurde ...", "Von Kritikern wird bemängelt, ...": a participle
    with a form of "werden" in its clause; the subject in front is no speaker. "X wird mit
    den Worten zitiert" keeps X: the quoted person is the subject of the passive."""
    verb = tokens[cue.first].low
    if lexicon.language != "de" or not verb.endswith("t") or verb in _QUOTING:
        return False
    start = clause_start(tokens, cue.first)
    end = min(len(tokens), cue.last + 2)
    return any(token.low in _PASSIVE_AUXILIARIES for token in tokens[start:end])


def _passive_agent(tokens: tuple[Token, ...], cue: Cue, lexicon: Lexicon) -> Span | None:
    """The agent of a passive: "von den Behörden", "vom Ministerium" in the sentence."""
    for position, token in enumerate(tokens):
        if token.low not in {"von", "vom"}:
            continue
        # "vom Ministerium": the article is inside the preposition, the noun follows
        agent = phrase_after(tokens, position + 1, lexicon)
        if agent is not None and any(is_capitalised(t) for t in tokens[agent.first : agent.last]):
            return agent
    return None


def _medium_in_front(
    tokens: tuple[Token, ...], before: Span, after: Span | None, lexicon: Lexicon
) -> bool:
    if after is None or tokens[after.first].low in {"den", "einen", "das"}:
        return False  # "Der Spiegel zitierte den Minister": the medium is the subject
    return _names_medium(tokens, before, lexicon)


def _names_medium(tokens: tuple[Token, ...], span: Span, lexicon: Lexicon) -> bool:
    """ "Der örtlichen Zeitung sagte Tom Weber": a medium in front of the verb
    is the addressee when a speaker follows it."""
    words = [token.text for token in tokens[span.first : span.last]]
    if lexicon.language != "de" or words[0].casefold() not in _DATIVE_ARTICLES:
        return False
    return is_news_outlet(" ".join(words)) or words[-1].casefold() in lexicon.backrefs


def _opening_subject(tokens: tuple[Token, ...], cue: Cue, lexicon: Lexicon) -> Span | None:
    before = cue.first
    while before > 0 and tokens[before - 1].low in AUXILIARIES | ADVERBS:
        before -= 1  # "Marc Dubois, hat angekündigt"
    before = _auxiliary_after_comma(tokens, before)
    if (
        before == 0
        or tokens[before - 1].text not in {",", ")"}
        or not is_capitalised(tokens[0])
        or tokens[0].low in SUBORDINATORS | PREPOSITIONS | ADVERBS
    ):
        return None  # "Nachdem er gefragt wurde, entgegnete X": a clause, no subject
    return _opening_phrase(tokens, german=lexicon.language == "de")


def _auxiliary_after_comma(tokens: tuple[Token, ...], before: int) -> int:
    """ "Der Bürgermeister, der …, hatte am Freitag angekündigt": an auxiliary right after a comma
    is the finite verb of the clause that the cue closes; the subject is in front of it."""
    for position in range(before - 1, 0, -1):
        if tokens[position].text in CLAUSE_PUNCT or tokens[position].text in END_PUNCT:
            return before
        if tokens[position].low in AUXILIARIES and tokens[position - 1].text == ",":
            return position
    return before


def _closes_clause(tokens: tuple[Token, ...], after: Span, cue: Cue, lexicon: Lexicon) -> bool:
    """An inverted speaker (", sagte X.") ends its clause, maybe after an addressee, adverbs,
    a prepositional phrase ("auf seiner Website") and the verb's own particle ("teilte X mit")."""
    end = after.last
    for _ in range(4):
        addressee = addressee_after(tokens, end, lexicon)
        if addressee is not None:
            end = addressee.last
        while end < len(tokens) and tokens[end].low in ADVERBS | WEEKDAYS:
            end += 1
        if end == cue.last - 1 and cue.last - cue.first > 1:
            end += 1  # the separable particle
        elif lexicon.language == "de" and end < len(tokens) and tokens[end].low in PREPOSITIONS:
            inner = phrase_after(tokens, end + 1, lexicon)
            if inner is None:
                break
            end = inner.last
        else:
            break
    return (
        end >= len(tokens) or tokens[end].text in CLAUSE_PUNCT | END_PUNCT or is_quote(tokens[end])
    )


def _opening_phrase(tokens: tuple[Token, ...], *, german: bool) -> Span | None:
    """The noun phrase that opens a sentence, up to the first comma or bracket."""
    last = 0
    while last < len(tokens) and tokens[last].text not in {",", "(", ")"} and last < 10:
        last += 1
    if last == 10:
        return None  # ten words without a comma are a clause ("Am Ende bleibe nur …")
    if german and any(_finite_looking(token) for token in tokens[1:last]):
        return None  # "Die Wahl wird für Mai, …": a clause with its own verb
    return Span(0, last) if last > 0 else None


def _finite_looking(token: Token) -> bool:
    """A word that cannot be inside a noun phrase: an auxiliary, or a lower-case word that is
    no article, adjective, preposition, conjunction or adverb ("kaufte", "zeigt")."""
    low = token.low
    if low in AUXILIARIES:
        return True
    if not token.text[:1].islower() or not is_word(token):
        return False
    closed = DETERMINERS | PREPOSITIONS | CONJUNCTIONS | ADVERBS | PARTITIVE_HEADS
    return low not in closed and not is_german_adjective(token) and not low.endswith("-")


def _apposed_opening(tokens: tuple[Token, ...], opening: Span | None, verb: int) -> bool:
    """ "Die Ministerin, Anna Roth, verteidigte den Plan": a noun
    phrase and its apposition fill the whole Vorfeld, so the phrase after the verb is its
    object."""
    if opening is None:
        return False
    return _with_apposition(tokens, opening, verb) != opening


def _with_apposition(tokens: tuple[Token, ...], subject: Span, verb: int) -> Span:
    """ "Der Vorsitzende der Gewerkschaft, Martin Keller, sagte": the name belongs to it."""
    if subject.last < len(tokens) and tokens[subject.last].text == ",":
        inner = tokens[subject.last + 1 : verb - 1]
        if inner and len(inner) <= 5 and all(is_capitalised(t) or t.text in "()" for t in inner):
            return Span(subject.first, verb - 1)
    return subject


def _from_verb(sentence: Sentence, cue: Cue, lexicon: Lexicon) -> Found:
    tokens = sentence.tokens
    speaker, first, last = _speaker_for_verb(tokens, cue, lexicon)
    addressee = _addressee_in_front(tokens, cue, lexicon) or addressee_after(
        tokens, cue.first + 1, lexicon
    )
    if speaker is not None and speaker.first > cue.first:
        in_front = phrase_before(tokens, cue.first, lexicon)
        if in_front is not None:
            addressee, first = in_front, min(first, in_front.first)  # dative medium in front
    if addressee is None:
        addressee = addressee_after(tokens, max(last, cue.first + 1), lexicon)
    if addressee is not None:
        last = max(last, addressee.last)
    relayed = _relayed(tokens, lexicon) or _quoted_object(tokens, cue, speaker, lexicon)
    if cue.last > last:
        last = cue.last
    # "teilte … mit": the verb and its separable particle
    text = tokens[cue.first].text
    if cue.last - cue.first > 1:
        text = f"{text} … {tokens[cue.last - 1].text}"
    content = _content(tokens, Span(first, last))
    if content is None and speaker is not None and speaker.last < cue.first:
        # "Die Gewerkschaft hat für Donnerstag einen Warnstreik angekündigt": verb-final
        content = _trimmed(tokens, _after_auxiliary(tokens, speaker.last), cue.first)
    return Found(
        sentence=sentence.index,
        cue=text,
        cue_start=tokens[cue.first].start,
        cue_end=tokens[cue.last - 1].end,
        content=content,
        speaker=_chars(tokens, speaker),
        addressee=_chars(tokens, addressee),
        relayed=_chars(tokens, relayed),
    )


def _addressee_in_front(tokens: tuple[Token, ...], cue: Cue, lexicon: Lexicon) -> Span | None:
    """ "Gegenüber der Süddeutschen Zeitung sagte der Minister": the addressee opens the clause."""
    start = clause_start(tokens, cue.first)
    if tokens[start].low != "gegenüber" or start + 1 >= cue.first:
        return None
    found = phrase_after(tokens, start + 1, lexicon)
    return found if found is not None and found.last <= cue.first else None


def _quoted_object(
    tokens: tuple[Token, ...], cue: Cue, speaker: Span | None, lexicon: Lexicon
) -> Span | None:
    """ "Die Zeitung zitiert einen Augenzeugen mit den Worten": whom the subject quotes."""
    if tokens[cue.first].low not in _QUOTING or speaker is None or speaker.last > cue.first:
        return None
    return phrase_after(tokens, cue.last, lexicon)


def _after_auxiliary(tokens: tuple[Token, ...], index: int) -> int:
    while index < len(tokens) and tokens[index].low in AUXILIARIES | ADVERBS:
        index += 1
    return index


def _relayed(tokens: tuple[Token, ...], lexicon: Lexicon) -> Span | None:
    lows = [token.low for token in tokens]
    for index in range(len(tokens)):
        for phrase in lexicon.relays:
            if _match_phrase(lows, index, phrase):
                return phrase_after(tokens, index + len(phrase), lexicon)
    return None


def _phrase_ending_at(tokens: tuple[Token, ...], end: int) -> Span | None:
    """The noun phrase right before a postposition: "[Offiziellen Angaben] zufolge",
    "befanden sich [Berichten] zufolge", "[dem Spiegel] zufolge"."""
    first = end
    limit = clause_start(tokens, end)
    while first > limit and end - first < 8:
        token = tokens[first - 1]
        nominal = is_capitalised(token) or is_german_adjective(token) or is_news_outlet(token.text)
        if not (nominal or token.low in DETERMINERS):
            break
        first -= 1
    return Span(first, end) if first < end else None


def _lone_relative(tokens: tuple[Token, ...], span: Span) -> bool:
    return span.last - span.first == 1 and tokens[span.first].low in _RELATIVE_PRONOUNS


def _frame_speaker(
    tokens: tuple[Token, ...], cue: Cue, lexicon: Lexicon
) -> tuple[Span | None, Span]:
    """(source, chunk of source and cue) of a frame cue."""
    if cue.kind == "postframe":
        speaker = _phrase_ending_at(tokens, cue.first)
        if speaker is not None and _lone_relative(tokens, speaker):
            speaker = None  # "die Regel, der zufolge …": a relative pronoun
        return speaker, Span(speaker.first if speaker else cue.first, cue.last)
    start = cue.last
    while start < len(tokens) - 1 and tokens[start].low in ADVERBS:
        start += 1  # "nach bisher vorliegenden Angaben"
    speaker = _quoted_name(tokens, start) or phrase_after(tokens, start, lexicon)
    return speaker, Span(cue.first, speaker.last if speaker else cue.last)


def _from_frame(sentence: Sentence, cue: Cue, lexicon: Lexicon) -> Found | None:
    tokens = sentence.tokens
    speaker, chunk = _frame_speaker(tokens, cue, lexicon)
    if speaker is None or not any(t.text.isalnum() for t in tokens[speaker.first : speaker.last]):
        return None
    last_word = tokens[speaker.last - 1]
    if (
        cue.kind == "frame"
        and tokens[cue.first].low == "laut"
        and not (is_capitalised(last_word) or is_quote(last_word) or is_news_outlet(last_word.text))
    ):
        return None  # "laut" as the adjective "loud"
    return Found(
        sentence=sentence.index,
        cue=" ".join(t.text for t in tokens[cue.first : cue.last]),
        cue_start=tokens[cue.first].start,
        cue_end=tokens[cue.last - 1].end,
        content=_content(tokens, chunk),
        speaker=_chars(tokens, speaker),
    )


def _quoted_name(tokens: tuple[Token, ...], index: int) -> Span | None:
    """'laut „BBC News“': a name in quotation marks, marks included."""
    if index >= len(tokens) or not is_quote(tokens[index]):
        return None
    for position in range(index + 1, min(len(tokens), index + 8)):
        if is_quote(tokens[position]):
            return Span(index, position + 1) if position > index + 1 else None
    return None


def attributions_in(
    sentence: Sentence, lexicon: Lexicon, quotes: tuple[tuple[int, int], ...] = ()
) -> list[Found]:
    """The attribution of a sentence: the earliest cue that has a speaker (a verb) or a source
    (a frame such as "laut X"); a relay ("unter Berufung auf X") alone as a last resort."""
    candidates: list[Found] = []
    cues = find_cues(sentence, lexicon, quotes)
    # "Eine Anwältin, die der Sender befragte, erklärte, …": a relative clause's cue only
    # describes someone; the main clause's cue comes first.
    cues.sort(key=lambda cue: _in_relative_clause(sentence.tokens, cue, lexicon))
    for cue in cues:
        if cue.kind in {"frame", "postframe", "so"}:
            frame = Cue("frame", cue.first, cue.last) if cue.kind == "so" else cue
            found = _from_frame(sentence, frame, lexicon)
            if found is not None and found.content is not None:
                candidates.append(found)
        elif cue.kind == "verb":
            found = _from_verb(sentence, cue, lexicon)
            if found.speaker is not None:
                candidates.append(found)
        if candidates:
            return candidates[:1]
    relays = [cue for cue in cues if cue.kind == "relay"]
    found = _from_relay(sentence, relays[0], lexicon) if relays else None
    if found is None and lexicon.language == "de":
        found = _with_words(sentence, lexicon)
    return [found] if found is not None else []


_WITH_WORDS = ("mit", "den", "worten")


def _with_words(sentence: Sentence, lexicon: Lexicon) -> Found | None:
    """ "Die Trainerin, Anna Roth, schloss mit den Worten: „…“": whatever the
    verb, "mit den Worten" introduces the words of the sentence's subject."""
    tokens = sentence.tokens
    lows = [token.low for token in tokens]
    cue = next((i for i in range(len(tokens)) if _match_phrase(lows, i, _WITH_WORDS)), None)
    if cue is None or lows[0] in PREPOSITIONS | SUBORDINATORS | ADVERBS:
        return None
    subject = german_phrase_after(tokens, 0, lexicon)
    if subject is None or subject.last >= cue:
        return None
    verb = next((i for i in range(subject.last, cue) if tokens[i].text[:1].islower()), cue)
    speaker = _with_apposition(tokens, subject, verb)
    last = cue + len(_WITH_WORDS)
    return Found(
        sentence=sentence.index,
        cue=" ".join(token.text for token in tokens[cue:last]),
        cue_start=tokens[cue].start,
        cue_end=tokens[last - 1].end,
        content=None,
        speaker=_chars(tokens, speaker),
    )


_RELATIVE_PRONOUNS = frozenset(
    {"der", "die", "das", "den", "dem", "denen", "deren", "dessen", "welche", "welcher",
     "welches", "welchen"}
)  # fmt: skip


def _in_relative_clause(tokens: tuple[Token, ...], cue: Cue, lexicon: Lexicon) -> bool:
    if lexicon.language != "de" or cue.kind != "verb":
        return False
    start = clause_start(tokens, cue.first)
    return (
        start > 0
        and tokens[start - 1].text == ","
        and tokens[start].low in _RELATIVE_PRONOUNS
        and cue.last < len(tokens)
        and tokens[cue.last].text == ","
    )


def _from_relay(sentence: Sentence, cue: Cue, lexicon: Lexicon) -> Found | None:
    tokens = sentence.tokens
    relayed = phrase_after(tokens, cue.last, lexicon)
    if relayed is None:
        return None
    return Found(
        sentence=sentence.index,
        cue=" ".join(t.text for t in tokens[cue.first : cue.last]),
        cue_start=tokens[cue.first].start,
        cue_end=tokens[cue.last - 1].end,
        content=_content(tokens, Span(cue.first, relayed.last)),
        relayed=_chars(tokens, relayed),
    )
