"""What changed between two revisions of an article, for people to read (pure Python).

Blocks are compared first (difflib on the block texts): unchanged blocks, blocks edited in
place (paired by similarity, then diffed word by word), inserted and removed blocks, and
blocks that only moved (the same text removed in one place and inserted in another).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["BlockChange", "Piece", "diff_blocks", "diff_words"]

# Blocks at least this similar (difflib ratio) are one block edited, not one removed and one new.
PAIR_THRESHOLD = 0.5
_TOKEN = re.compile(r"\s+|\d+(?:[.,:]\d+)*|\w+|[^\w\s]")  # "2.5" and "14:00" are one word


@dataclass(frozen=True)
class Piece:
    """A run of text in a changed block: ``kind`` is equal, insert or delete."""

    kind: str
    text: str


@dataclass
class BlockChange:
    """One block of the comparison: ``kind`` is equal, changed, inserted, removed or moved."""

    kind: str
    old_text: str = ""
    new_text: str = ""
    pieces: list[Piece] = field(default_factory=list)
    old_position: int | None = None
    new_position: int | None = None


def diff_words(old: str, new: str) -> list[Piece]:
    """Inserted and deleted words inside a paragraph (whitespace and punctuation as tokens)."""
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("equal", "".join(old_tokens[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("delete", "".join(old_tokens[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("insert", "".join(new_tokens[j1:j2])))
    return pieces


def _pair(old: Sequence[str], new: Sequence[str], i1: int, j1: int) -> list[BlockChange]:
    """Within a replaced run, pair each old block with its most similar new one (in order)."""
    changes: list[BlockChange] = []
    next_new = 0
    for i, old_text in enumerate(old):
        best, best_ratio = None, PAIR_THRESHOLD
        for j in range(next_new, len(new)):
            ratio = difflib.SequenceMatcher(None, old_text, new[j], autojunk=False).ratio()
            if ratio >= best_ratio:
                best, best_ratio = j, ratio
        if best is None:
            changes.append(BlockChange("removed", old_text=old_text, old_position=i1 + i))
            continue
        changes += [
            BlockChange("inserted", new_text=new[j], new_position=j1 + j)
            for j in range(next_new, best)
        ]
        changes.append(
            BlockChange(
                "changed",
                old_text=old_text,
                new_text=new[best],
                old_position=i1 + i,
                new_position=j1 + best,
                pieces=diff_words(old_text, new[best]),
            )
        )
        next_new = best + 1
    changes += [
        BlockChange("inserted", new_text=new[j], new_position=j1 + j)
        for j in range(next_new, len(new))
    ]
    return changes


# A removed and an inserted block this similar are one block moved (and perhaps edited).
MOVE_THRESHOLD = 0.8


def _moved_source(change: BlockChange, removed: list[BlockChange]) -> BlockChange | None:
    best, best_ratio = None, MOVE_THRESHOLD
    for candidate in removed:
        ratio = difflib.SequenceMatcher(
            None, candidate.old_text, change.new_text, autojunk=False
        ).ratio()
        if ratio >= best_ratio:
            best, best_ratio = candidate, ratio
    return best


def _mark_moves(changes: list[BlockChange]) -> list[BlockChange]:
    """A block removed in one place and inserted (perhaps edited) in another only moved."""
    removed = [c for c in changes if c.kind == "removed"]
    for change in changes:
        if change.kind != "inserted" or not removed:
            continue
        source = _moved_source(change, removed)
        if source is None:
            continue
        removed.remove(source)
        source.kind = "moved-away"
        change.kind = "moved"
        change.old_text, change.old_position = source.old_text, source.old_position
        if source.old_text != change.new_text:
            change.pieces = diff_words(source.old_text, change.new_text)
    return [c for c in changes if c.kind != "moved-away"]


def diff_blocks(old: Sequence[str], new: Sequence[str]) -> list[BlockChange]:
    """Every block of the two revisions, in reading order of the new one (removed blocks where
    they were)."""
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    changes: list[BlockChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes += [
                BlockChange(
                    "equal",
                    old_text=old[i],
                    new_text=new[j1 + i - i1],
                    old_position=i,
                    new_position=j1 + i - i1,
                )
                for i in range(i1, i2)
            ]
        else:
            changes += _pair(old[i1:i2], new[j1:j2], i1, j1)
    return _mark_moves(changes)
