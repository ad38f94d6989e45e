"""Suggest attributed claims in a news text: where it reports what someone said, and whom.

    suggest(text=..., language="de") -> list[Suggestion]

Rules and lexicons, no trained model: sentences and tokens come from somajo; cues, speakers
and addressees from the lexicons in ``annotations/data/cues.<lang>.txt`` (``rules``,
``phrases``); outlets from the gazetteer ``annotations/data/outlets.txt``; back-references
are resolved over the whole document (``resolve``). German and English.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .grammar import DETERMINERS, PREPOSITIONS
from .lexicon import LANGUAGES, lexicon
from .resolve import Resolver
from .rules import Found, attributions_in
from .text import Sentence, split_sentences

__all__ = ["LANGUAGES", "Suggestion", "suggest"]

_QUOTES = re.compile(r"„[^“”\"\n]{2,}[“”\"]|“[^”\n]{2,}”|\"[^\"\n]{2,}\"|»[^«\n]{2,}«|«[^»\n]{2,}»")
_OPENING_QUOTES = frozenset({"„", "“", '"', "»", "«"})
_THIRD_PERSON = frozenset({"er", "sie", "es", "man", "dies", "diese", "dieser"})
_ADJACENT = 40


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    quote: str
    cue: str
    cue_start: int
    cue_end: int
    outlet: str
    cited: str
    anonymous: bool
    resolved: bool  # cited is an earlier speaker that a pronoun or description refers back to

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in _QUOTES.finditer(text)]


def _only_punctuation(gap: str) -> bool:
    return all(not character.isalnum() for character in gap)


def _opens_quote(gap: str) -> bool:
    """Between a cue (and its speaker) and a quote it introduces: punctuation, or words that
    end in a colon ("sagte er im Interview: „...")."""
    return _only_punctuation(gap) or gap.rstrip().endswith(":")


def _attach_quote(
    text: str, found: Found, quotes: list[tuple[int, int]], sentence: Sentence
) -> None:
    """Use a direct quote right beside the cue (or covering the content) as the content."""
    speaker = found.speaker
    for start, end in quotes:
        if end < sentence.start - 1 or start > sentence.end or _inside(start, end, speaker):
            continue  # "laut einem Bericht der „Welt“": a name inside the source
        before = (
            0 <= found.cue_start - end <= _ADJACENT
            and (speaker is None or speaker[0] >= end - 1 or speaker[1] <= found.cue_start)
            and _only_punctuation(text[end : found.cue_start])
        )
        after_cue = max(found.cue_end, *(span[1] for span in (speaker, found.addressee) if span))
        after = 0 <= start - found.cue_end <= _ADJACENT and _opens_quote(
            text[min(after_cue, start) : start]
        )
        if before or after:
            found.content = (start, end)
            return


def _inside(start: int, end: int, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= start and end <= span[1]


def _is_subjunctive(tokens: tuple, index: int, subjunctive: frozenset[str]) -> bool:
    """Konjunktiv I: a listed form ("sei", "habe", "solle"), or a lower-case "-e" form next to
    a third-person pronoun ("nehme er", "er halte")."""
    low = tokens[index].low
    if low in subjunctive:
        return True
    if index == 1 and _verb_second_subjunctive(tokens):
        return True
    if not (low.endswith("e") and len(low) > 3 and tokens[index].text[:1].islower()):
        return False
    neighbours = {tokens[i].low for i in (index - 1, index + 1) if 0 <= i < len(tokens)}
    return bool(neighbours & _THIRD_PERSON)


def _verb_second_subjunctive(tokens: tuple) -> bool:
    """ "Daran ändere auch der neue Plan nichts": a lower-case "-e" form right after a
    one-word opening is the finite verb, in Konjunktiv I ("-te" would be the past tense)."""
    first, verb = tokens[0], tokens[1]
    low = verb.low
    return (
        first.low not in DETERMINERS | PREPOSITIONS
        and first.text[:1].isupper()
        and verb.text[:1].islower()
        and low.endswith("e")
        and not low.endswith("te")
        and len(low) > 3
        and low not in DETERMINERS
    )


def _continues(sentence: Sentence, subjunctive: frozenset[str]) -> bool:
    tokens = sentence.tokens
    if tokens[0].text in _OPENING_QUOTES:
        return True
    return any(_is_subjunctive(tokens, index, subjunctive) for index in range(len(tokens)))


def _previous_found(
    sentences: list[Sentence], found: dict[int, Found], sentence: Sentence
) -> Found | None:
    """The attribution a cue-less sentence may continue: one or two sentences back in the
    same paragraph, or the last sentence of the paragraph before."""
    for back in (1, 2):
        index = sentence.index - back
        if index < 0:
            return None
        if index in found and (sentences[index].paragraph == sentence.paragraph or back == 1):
            return found[index]
        if sentences[index].paragraph != sentence.paragraph:
            return None
    return None


def _continuations(sentences: list[Sentence], found: dict[int, Found], language: str) -> None:
    """Sentences without a cue that go on with the previous attribution: Konjunktiv I in
    German ("Moskau habe bereits ..."), or a sentence that opens with a quote."""
    subjunctive = lexicon(language).subjunctive
    for sentence in sentences:
        if sentence.index in found or not _continues(sentence, subjunctive):
            continue
        previous = _previous_found(sentences, found, sentence)
        if previous is not None:
            found[sentence.index] = _continued(sentence, previous)
    # "Die Reform habe gewirkt. Es sei gut gelaufen, berichtete X.": the cue follows
    for sentence in reversed(sentences):
        if sentence.index in found or not _continues(sentence, subjunctive):
            continue
        following = found.get(sentence.index + 1)
        if (
            following is not None
            and sentences[sentence.index + 1].paragraph == sentence.paragraph
            and following.content is not None
            and following.content[1] <= following.cue_start
        ):
            found[sentence.index] = _continued(sentence, following)


def _continued(sentence: Sentence, source: Found) -> Found:
    last = sentence.tokens[-1]
    end = last.start if last.text in {".", "!", "?"} else last.end
    return Found(
        sentence=sentence.index,
        cue=source.cue,
        cue_start=source.cue_start,
        cue_end=source.cue_end,
        content=(sentence.start, end),
        speaker=source.speaker,
        addressee=source.addressee,
        relayed=source.relayed,
        continued=True,
    )


def _merge_continuations(sentences: list[Sentence], found: dict[int, Found]) -> None:
    """Sentences that go on with the same attribution one after another ("Er halte … Die
    Regierung müsse …") are one stretch of reported speech: the first continuation takes in
    the following ones of its paragraph."""
    for index in sorted(found):
        item, following = found.get(index), found.get(index + 1)
        if item is None or following is None or item.content is None:
            continue
        if not (item.continued and following.continued and following.content is not None):
            continue
        if following.cue_start != item.cue_start:
            continue
        if sentences[index + 1].paragraph != sentences[index].paragraph:
            continue
        following.content = (item.content[0], following.content[1])
        del found[index]


def _fallback_content(sentences: list[Sentence], sentence: Sentence) -> tuple[int, int]:
    """Content for a cue with nothing reported beside it: the next sentence after a colon
    ("Er sagte:"), else the sentence itself — a reported speech act ("Experten schlossen einen
    Anschlag aus") reports the whole sentence."""
    tokens = sentence.tokens
    if tokens[-1].text == ":" and sentence.index + 1 < len(sentences):
        following = sentences[sentence.index + 1]
        return following.start, following.end
    last = tokens[-1]
    end = last.start if last.text in {".", "!", "?"} and len(tokens) > 1 else last.end
    return sentence.start, end


def suggest(*, text: str, language: str) -> list[Suggestion]:
    """Attributed claims in ``text`` (offsets are Python string indices into ``text``)."""
    if language not in LANGUAGES:
        raise ValueError(f"Unsupported language: {language!r} (use one of {', '.join(LANGUAGES)}).")
    words = lexicon(language)
    sentences = split_sentences(text=text, language=language)
    quotes = _quote_spans(text)
    quoted = tuple(quotes)
    found: dict[int, Found] = {}
    for sentence in sentences:
        for item in attributions_in(sentence, words, quoted):
            _attach_quote(text, item, quotes, sentence)
            if item.content is None:
                item.content = _fallback_content(sentences, sentence)
            found[sentence.index] = item
    _continuations(sentences, found, language)
    _merge_continuations(sentences, found)
    resolver = Resolver(lexicon=words)
    suggestions: list[Suggestion] = []
    for index in sorted(found):
        item = found[index]
        if item.content is None:
            continue
        source = resolver.resolve(
            speaker=_slice(text, item.speaker),
            addressee=_slice(text, item.addressee),
            relayed=_slice(text, item.relayed),
        )
        if not source.outlet and not source.cited:
            continue
        if len(text[item.content[0] : item.content[1]].split()) < 2:
            if item.continued or sentences[index].tokens[-1].text == ":":
                continue  # a headline word ("Bahnstreik: ...") is no reported content
            # "Lawmakers demanded answers": a speech act reports its whole sentence
            item.content = _fallback_content(sentences, sentences[index])
        for start, end in (item.content, *_quotes_inside(text, quotes, item.content)):
            suggestions.append(
                Suggestion(
                    start=start,
                    end=end,
                    quote=text[start:end],
                    cue=item.cue,
                    cue_start=item.cue_start,
                    cue_end=item.cue_end,
                    outlet=source.outlet,
                    cited=source.cited,
                    anonymous=source.anonymous,
                    resolved=source.resolved,
                )
            )
    return suggestions


def _quotes_inside(
    text: str, quotes: list[tuple[int, int]], content: tuple[int, int]
) -> list[tuple[int, int]]:
    """Quoted words inside reported content ("die Lage sei „kritisch“"): the speaker's own
    words, a claim of their own beside the paraphrase around them; not a single quoted word,
    name or title ("der Sender „Radio Nord“", "das Buch „Der weite Weg“")."""
    start, end = content
    return [
        (first, last)
        for first, last in quotes
        if first >= start
        and last <= end
        and (last - first) < (end - start) - 2
        and not _quoted_name(text[first + 1 : last - 1])
    ]


_NAME_WORDS = 4


def _quoted_name(inner: str) -> bool:
    """A lone quoted word ("„Chaoten“") is a label the paraphrase uses, not a claim of its
    own; capitalised words only are a name or title."""
    words = inner.split()
    if len(words) == 1:
        return True
    return len(words) <= _NAME_WORDS and all(word[:1].isupper() for word in words)


def _slice(text: str, span: tuple[int, int] | None) -> str:
    return text[span[0] : span[1]] if span else ""
