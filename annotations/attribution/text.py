"""Sentences and tokens with character offsets, from somajo (imported lazily: it is the
slowest import of the suggest command)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_SOMAJO_MODELS = {"de": "de_CMC", "en": "en_PTB"}
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.casefold()


@dataclass(frozen=True)
class Sentence:
    index: int
    paragraph: int
    tokens: tuple[Token, ...]

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


@lru_cache(maxsize=2)
def _tokenizer(language: str):
    from somajo import SoMaJo  # noqa: PLC0415 - slow import, only when text is split

    return SoMaJo(_SOMAJO_MODELS[language], split_camel_case=False, character_offsets=True)


def split_sentences(*, text: str, language: str) -> list[Sentence]:
    """Sentences of ``text`` (one paragraph per line), tokens carrying offsets into ``text``."""
    paragraphs = [(match.start(), match.group()) for match in _PARAGRAPH.finditer(text)]
    paragraphs = [(offset, body) for offset, body in paragraphs if body.strip()]
    sentences: list[Sentence] = []
    tokenizer = _tokenizer(language)
    for number, (offset, body) in enumerate(paragraphs):
        for raw in tokenizer.tokenize_text([body]):
            tokens = tuple(
                Token(
                    token.text,
                    offset + token.character_offset[0],
                    offset + token.character_offset[1],
                )
                for token in raw
            )
            if tokens:
                sentences.append(Sentence(len(sentences), number, tokens))
    return sentences
