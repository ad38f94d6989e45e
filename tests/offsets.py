"""The reference rule for "which block does a claim start in", for tests.

The export computes it in SQL (``width_bucket`` over cumulative block ends, see
``annotations.export._block_kinds_join``); the export tests check it against this.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from annotations.anchoring import block_offsets


def block_index_at(*, block_texts: Sequence[str], offset: int) -> int:
    """Return the index of the block a *start* offset belongs to.

    An offset inside a separator (or at the very end of a block) belongs to the next
    block, because a selection starting there starts with the next block's first
    character. The end of the canonical text belongs to the last block.
    """
    if not block_texts:
        raise ValueError("An article without blocks has no offsets.")
    offsets = block_offsets(block_texts=block_texts)
    if not 0 <= offset <= offsets[-1][1]:
        raise ValueError(f"Offset {offset} is outside the canonical text.")
    ends = [end for _, end in offsets]
    # Number of blocks that end at or before the offset = index of the block it starts in.
    return min(bisect.bisect_right(ends, offset), len(block_texts) - 1)
