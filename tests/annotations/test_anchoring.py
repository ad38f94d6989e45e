"""Tests for annotations.anchoring: offsets, anchoring and rendering of overlapping marks."""

from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from offsets import block_index_at

from annotations.anchoring import (
    CANONICAL_SEPARATOR,
    CONTEXT_LENGTH,
    MAX_QUOTE_LENGTH,
    AnchoringError,
    MarkSpan,
    TextSelector,
    anchor,
    block_offsets,
    canonical_text,
    codepoint_to_utf16_offset,
    render_blocks_html,
    selector_at,
    utf16_to_codepoint_offset,
)

# ----------------------------------------------------------------------- strategies

_INTERESTING_CHARACTERS = list(
    "abcxyz ABC 0123 .,;:!?-'\"<>&"  # ASCII, including characters HTML must escape
    "äöüÄÖÜßẞ"  # German
    "שלום مرحبا\u200f\u200e"  # RTL (Hebrew, Arabic) and direction marks
    "日本語"  # CJK
    "é\u0301"  # combining accent
    "\n\t\xa0\u2003"  # whitespace, including non-breaking and em space
)
_EMOJI = ["😀", "👍🏽", "🇩🇪", "👩‍👩‍👧", "🙂"]

_characters = st.one_of(
    st.sampled_from(_INTERESTING_CHARACTERS),
    st.sampled_from(_EMOJI),
    st.characters(exclude_categories=("Cs",)),  # anything but lone surrogates
)
_block_text = st.lists(_characters, max_size=40).map("".join)
_block_texts = st.lists(_block_text, min_size=1, max_size=6)

_PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _trimmed_range(text: str, start: int, end: int) -> tuple[int, int]:
    start, end = min(start, end), max(start, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# ------------------------------------------------------------------ block offsets


def test_canonical_text_joins_with_fixed_separator() -> None:
    assert CANONICAL_SEPARATOR == "\n\n"
    assert canonical_text(block_texts=["One.", "Two.", ""]) == "One.\n\nTwo.\n\n"
    assert canonical_text(block_texts=[]) == ""


def test_block_offsets() -> None:
    assert block_offsets(block_texts=["Hello", "", "Wörld😀"]) == [(0, 5), (7, 7), (9, 15)]
    assert block_offsets(block_texts=[]) == []


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (0, 0),  # first character
        (4, 0),  # last character of the first block
        (5, 1),  # end of block 0 = start of separator -> next block
        (6, 1),  # inside the separator -> next block
        (7, 1),  # first character of block 1
        (9, 1),  # last character of block 1
        (10, 2),  # end of block 1 -> block 2
        (12, 2),  # first character of block 2
        (14, 2),  # end of the canonical text -> last block
    ],
)
def test_block_index_at(offset: int, expected: int) -> None:
    blocks = ["Hello", "abc", "xy"]  # offsets (0,5) (7,10) (12,14)
    assert block_index_at(block_texts=blocks, offset=offset) == expected


def test_block_index_at_skips_empty_blocks() -> None:
    # Block 1 is empty: an offset at its position starts in block 2.
    assert block_index_at(block_texts=["ab", "", "cd"], offset=4) == 2


@pytest.mark.parametrize("offset", [-1, 15])
def test_block_index_at_rejects_out_of_range(offset: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        block_index_at(block_texts=["Hello", "abc", "xy"], offset=offset)


def test_block_index_at_rejects_no_blocks() -> None:
    with pytest.raises(ValueError, match="without blocks"):
        block_index_at(block_texts=[], offset=0)


@given(blocks=_block_texts, data=st.data())
@_PROPERTY_SETTINGS
def test_block_index_at_property(blocks: list[str], data: st.DataObject) -> None:
    text = canonical_text(block_texts=blocks)
    offsets = block_offsets(block_texts=blocks)
    for (start, end), block in zip(offsets, blocks, strict=True):
        assert text[start:end] == block
    offset = data.draw(st.integers(0, len(text)))
    index = block_index_at(block_texts=blocks, offset=offset)
    start, end = offsets[index]
    if offset < len(text):
        # The offset is in the block, or in the gap (separator/empty blocks) before it.
        previous_end = offsets[index - 1][1] if index else 0
        assert previous_end <= offset < end or (index == len(blocks) - 1 and offset >= start)
        if start <= offset < end:
            assert text[offset] == blocks[index][offset - start]
    else:
        assert index == len(blocks) - 1


# ----------------------------------------------------------------- UTF-16 offsets


def test_utf16_offsets_with_emoji() -> None:
    text = "a😀b👍🏽c"  # 😀 = 2 units; 👍🏽 = 2 code points = 4 units
    assert [utf16_to_codepoint_offset(text=text, offset=o) for o in (0, 1, 3, 4, 6, 8, 9)] == [
        0,
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    assert [codepoint_to_utf16_offset(text=text, offset=o) for o in range(7)] == [
        0,
        1,
        3,
        4,
        6,
        8,
        9,
    ]


def test_utf16_offsets_plain_bmp_text_are_unchanged() -> None:
    text = "Grüße, שלום"
    for offset in range(len(text) + 1):
        assert utf16_to_codepoint_offset(text=text, offset=offset) == offset
        assert codepoint_to_utf16_offset(text=text, offset=offset) == offset


def test_utf16_offset_inside_surrogate_pair_is_rejected() -> None:
    with pytest.raises(AnchoringError, match="middle of a character"):
        utf16_to_codepoint_offset(text="a😀b", offset=2)


@pytest.mark.parametrize("offset", [-1, 5])
def test_utf16_offset_out_of_range(offset: int) -> None:
    with pytest.raises(AnchoringError, match="outside this article"):
        utf16_to_codepoint_offset(text="a😀b", offset=offset)


@pytest.mark.parametrize("offset", [-1, 4])
def test_codepoint_offset_out_of_range(offset: int) -> None:
    with pytest.raises(AnchoringError, match="outside this article"):
        codepoint_to_utf16_offset(text="a😀b", offset=offset)


@given(text=_block_text, data=st.data())
@_PROPERTY_SETTINGS
def test_utf16_round_trip(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(text)))
    units = codepoint_to_utf16_offset(text=text, offset=offset)
    assert units == len(text[:offset].encode("utf-16-le")) // 2
    assert utf16_to_codepoint_offset(text=text, offset=units) == offset


# ------------------------------------------------------------------- selector_at

ARTICLE = canonical_text(
    block_texts=[
        "The minister said the deal was done.",
        "Officials denied it. The minister said the deal was done, again.",
    ]
)


def test_selector_at_derives_quote_and_context() -> None:
    start = ARTICLE.index("deal")
    selector = selector_at(text=ARTICLE, start=start, end=start + 4)
    assert selector == TextSelector(
        exact="deal",
        prefix="The minister said the ",
        suffix=" was done.\n\nOfficials denied it.",
        start=start,
        end=start + 4,
    )


def test_selector_at_context_is_capped() -> None:
    text = "x" * 100 + "QUOTE" + "y" * 100
    selector = selector_at(text=text, start=100, end=105)
    assert selector.prefix == "x" * CONTEXT_LENGTH
    assert selector.suffix == "y" * CONTEXT_LENGTH


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (3, len(ARTICLE) + 1), (5, 4)])
def test_selector_at_rejects_out_of_range(start: int, end: int) -> None:
    with pytest.raises(AnchoringError, match="outside this article"):
        selector_at(text=ARTICLE, start=start, end=end)


def test_selector_at_rejects_empty_range() -> None:
    with pytest.raises(AnchoringError, match="Select some text first"):
        selector_at(text=ARTICLE, start=4, end=4)


# ------------------------------------------------------------------------ anchor


@pytest.mark.parametrize("exact", ["", "   ", "\n\n", "\xa0\t"])
def test_anchor_rejects_empty_selection(exact: str) -> None:
    with pytest.raises(AnchoringError) as info:
        anchor(text=ARTICLE, exact=exact)
    assert str(info.value) == "Select some text first."


def test_anchor_rejects_too_long_quote() -> None:
    text = "a" * (MAX_QUOTE_LENGTH + 10)
    with pytest.raises(AnchoringError, match="too long"):
        anchor(text=text, exact="a" * (MAX_QUOTE_LENGTH + 1), start=0)
    # Exactly the limit is fine.
    assert anchor(text=text, exact="a" * MAX_QUOTE_LENGTH, start=0).end == MAX_QUOTE_LENGTH


def test_anchor_rejects_whitespace_match_that_is_too_long_in_the_original() -> None:
    # The quote is short, but the whitespace-normalised match spans a huge gap.
    text = "start" + " " * MAX_QUOTE_LENGTH + "end"
    with pytest.raises(AnchoringError, match="too long"):
        anchor(text=text, exact="start end")


def test_anchor_not_found() -> None:
    with pytest.raises(AnchoringError) as info:
        anchor(text=ARTICLE, exact="the deal was signed")
    assert str(info.value).startswith("The selected text could not be found in this article.")


def test_anchor_uses_matching_offsets() -> None:
    # Offsets of the second occurrence, even though context favours nothing in particular.
    second = ARTICLE.rindex("the deal")
    selector = anchor(text=ARTICLE, exact="the deal", start=second, end=second + 8)
    assert (selector.start, selector.end) == (second, second + 8)


def test_anchor_with_only_start_or_only_end() -> None:
    second = ARTICLE.rindex("the deal")
    assert anchor(text=ARTICLE, exact="the deal", start=second).start == second
    assert anchor(text=ARTICLE, exact="the deal", end=second + 8).start == second


def test_anchor_without_hints_takes_first_occurrence() -> None:
    assert anchor(text=ARTICLE, exact="the deal").start == ARTICLE.index("the deal")


def test_anchor_context_beats_wrong_offsets() -> None:
    second = ARTICLE.rindex("the deal")
    selector = anchor(
        text=ARTICLE,
        exact="the deal",
        prefix="it. The minister said ",
        suffix=" was done, again.",
        start=3,  # wrong: points somewhere else entirely
        end=11,
    )
    assert (selector.start, selector.end) == (second, second + 8)


def test_anchor_suffix_alone_decides() -> None:
    second = ARTICLE.rindex("the deal")
    selector = anchor(text=ARTICLE, exact="the deal was done", suffix=", again")
    assert selector.start == second


def test_anchor_ties_go_to_occurrence_nearest_the_hint() -> None:
    text = "ab ab ab ab"
    # No context at all: every occurrence scores the same.
    assert anchor(text=text, exact="ab", start=7, end=8).start == 6
    assert anchor(text=text, exact="ab", start=4, end=5).start == 3
    # Out-of-range hints are only used for the distance.
    assert anchor(text=text, exact="ab", start=1000, end=1002).start == 9
    assert anchor(text=text, exact="ab", start=-50, end=-48).start == 0


def test_anchor_finds_overlapping_occurrences() -> None:
    selector = anchor(text="aaaa", exact="aa", prefix="aa", suffix="")
    assert (selector.start, selector.end) == (2, 4)


def test_anchor_trims_whitespace_and_separator() -> None:
    blocks = ["First paragraph ends here.", "Second paragraph starts."]
    text = canonical_text(block_texts=blocks)
    end_of_first = len(blocks[0])
    # Selection from the end of block 0, through the separator, into block 1.
    selector = anchor(
        text=text,
        exact="here.\n\n",
        start=end_of_first - 5,
        end=end_of_first + 2,
    )
    assert selector.exact == "here."
    assert (selector.start, selector.end) == (end_of_first - 5, end_of_first)
    # Selection that starts in the separator.
    selector = anchor(text=text, exact="\nSecond", start=end_of_first + 1)
    assert selector.exact == "Second"
    assert selector.start == end_of_first + 2
    assert selector.prefix.endswith("here.\n\n")


def test_anchor_whitespace_normalised_match() -> None:
    blocks = ["Es  war\tein", "langer Tag.", "Es war ein langer Tag."]
    text = canonical_text(block_texts=blocks)
    # Browser joined blocks with one newline and collapsed the double space.
    selector = anchor(text=text, exact="war ein\nlanger", start=3)
    assert selector.exact == "war\tein\n\nlanger"
    assert selector.start == 4


def test_anchor_whitespace_normalised_match_uses_context() -> None:
    text = "Er sagte:\nNein.\n\nSie sagte:\nNein.\n\nEnde"
    selector = anchor(text=text, exact="Nein. ", prefix="Sie sagte: ", suffix="Ende")
    assert selector.start == text.rindex("Nein.")
    assert selector.exact == "Nein."


def test_anchor_whitespace_normalised_match_ignores_whitespace_next_to_quote() -> None:
    # The client saw a space between "X" and the quote that is not in the canonical text;
    # that must not make the occurrence after "Y " look like a better match.
    text = "Xalpha beta\n\nY alpha\tbeta"
    selector = anchor(text=text, exact=" alpha\nbeta", prefix="X", suffix="")
    assert (selector.start, selector.exact) == (1, "alpha beta")
    selector = anchor(text=text, exact="alpha\nbeta ", prefix="Y", suffix="")
    assert (selector.start, selector.exact) == (text.rindex("alpha"), "alpha\tbeta")


def test_anchor_whitespace_normalised_match_uses_hint() -> None:
    text = "a\nb x a\nb x a\nb"
    assert anchor(text=text, exact="a b", start=12).start == 12
    assert anchor(text=text, exact="a b", start=6).start == 6


def test_anchor_result_is_derived_from_text() -> None:
    # Whatever context the client sends, the stored context comes from the article.
    selector = anchor(text=ARTICLE, exact="Officials", prefix="<script>", suffix="bogus")
    assert selector == selector_at(
        text=ARTICLE, start=ARTICLE.index("Officials"), end=ARTICLE.index("Officials") + 9
    )


def test_anchor_caps_client_context() -> None:
    # A huge prefix must not matter beyond CONTEXT_LENGTH characters.
    selector = anchor(text=ARTICLE, exact="the deal", prefix="junk" * 10_000 + "minister said ")
    assert selector.start == ARTICLE.index("the deal")


def test_anchor_on_degenerate_text_is_bounded() -> None:
    # Hundreds of thousands of overlapping occurrences must not take seconds each.
    text = "a" * 200_000
    started = time.perf_counter()
    selector = anchor(text=text, exact="a" * MAX_QUOTE_LENGTH, prefix="b", suffix="c")
    assert time.perf_counter() - started < 3.0
    assert selector.start == 0


def test_anchor_after_text_changed() -> None:
    old_blocks = ["Intro.", "Reuters said the talks failed.", "Later the talks failed again."]
    old_text = canonical_text(block_texts=old_blocks)
    start = old_text.rindex("the talks failed")
    stored = selector_at(text=old_text, start=start, end=start + len("the talks failed"))
    # An editor inserts a paragraph at the top and rewords the first mention.
    new_blocks = [
        "Update: new details.",
        *old_blocks[:1],
        "Reuters: the talks failed.",
        old_blocks[2],
    ]
    new_text = canonical_text(block_texts=new_blocks)
    moved = anchor(
        text=new_text,
        exact=stored.exact,
        prefix=stored.prefix,
        suffix=stored.suffix,
        start=stored.start,
        end=stored.end,
    )
    assert moved.start == new_text.rindex("the talks failed")


def test_anchor_emoji_and_rtl() -> None:
    blocks = ["Sie schrieb 👍🏽 und ging.", "הוא אמר שלום 🙂 ואז הלך"]
    text = canonical_text(block_texts=blocks)
    start = text.index("שלום")
    selector = anchor(text=text, exact="שלום 🙂", start=start, end=start + 6)
    assert selector.exact == "שלום 🙂"
    units = codepoint_to_utf16_offset(text=text, offset=selector.start)
    assert units == selector.start + 2  # 👍🏽 is two code points but four UTF-16 units


# ---------------------------------------------------------- anchoring properties


@st.composite
def _article_and_range(draw: st.DrawFn) -> tuple[list[str], int, int]:
    blocks = draw(_block_texts)
    text = canonical_text(block_texts=blocks)
    assume(text.strip())
    if draw(st.booleans()):
        # Inside a single block.
        index = draw(st.sampled_from([i for i, b in enumerate(blocks) if b.strip()] or [0]))
        block_start, block_end = block_offsets(block_texts=blocks)[index]
        start = draw(st.integers(block_start, block_end))
        end = draw(st.integers(block_start, block_end))
    else:
        # Anywhere, possibly across blocks and separators.
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(0, len(text)))
    start, end = _trimmed_range(text, start, end)
    assume(start < end)
    return blocks, start, end


@given(article=_article_and_range())
@_PROPERTY_SETTINGS
def test_selector_round_trips_through_anchor(article: tuple[list[str], int, int]) -> None:
    blocks, start, end = article
    text = canonical_text(block_texts=blocks)
    selector = selector_at(text=text, start=start, end=end)
    assert selector.exact == text[start:end]

    anchored = anchor(
        text=text,
        exact=selector.exact,
        prefix=selector.prefix,
        suffix=selector.suffix,
        start=selector.start,
        end=selector.end,
    )
    assert anchored == selector

    # Without offsets the result is the same quote with context at least as good, i.e.
    # the same occurrence unless the quote's context is literally repeated.
    unpositioned = anchor(
        text=text, exact=selector.exact, prefix=selector.prefix, suffix=selector.suffix
    )
    assert unpositioned.exact == selector.exact
    assert unpositioned.prefix.endswith(selector.prefix)
    assert unpositioned.suffix.startswith(selector.suffix)
    if text.count(selector.exact) == 1:
        assert unpositioned == selector


_word = st.lists(st.sampled_from(list("abcäöüß😀שלוםمرحبا<&")), min_size=1, max_size=6).map("".join)
_gap = st.sampled_from([" ", " ", "  ", "\t", "\xa0", " \n "])


@st.composite
def _wordy_article_and_range(draw: st.DrawFn) -> tuple[list[str], int, int]:
    """Blocks of words separated by assorted whitespace, and a range spanning a gap."""
    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        words = draw(st.lists(_word, min_size=1, max_size=8))
        gaps = [draw(_gap) for _ in words]
        blocks.append("".join(w + g for w, g in zip(words, gaps, strict=True)).rstrip())
    text = canonical_text(block_texts=blocks)
    start, end = _trimmed_range(
        text, draw(st.integers(0, len(text))), draw(st.integers(0, len(text)))
    )
    assume(any(c.isspace() for c in text[start:end]))
    return blocks, start, end


@given(article=_wordy_article_and_range(), data=st.data())
@_PROPERTY_SETTINGS
def test_anchor_tolerates_whitespace_changes(
    article: tuple[list[str], int, int], data: st.DataObject
) -> None:
    blocks, start, end = article
    text = canonical_text(block_texts=blocks)
    selector = selector_at(text=text, start=start, end=end)
    # The browser's idea of whitespace differs (e.g. one newline between blocks).
    replacement = data.draw(st.sampled_from(["\n", "\r\n", "\t ", " \u2003"]))
    mangled = " ".join(selector.exact.split()).replace(" ", replacement)
    mangled = data.draw(st.sampled_from([mangled, f" {mangled}\n"]))
    assume(mangled not in text)  # a verbatim occurrence elsewhere legitimately wins
    anchored = anchor(
        text=text,
        exact=mangled,
        prefix=selector.prefix,
        suffix=selector.suffix,
        start=selector.start,
        end=selector.start + len(mangled),
    )
    assert (anchored.start, anchored.end) == (selector.start, selector.end)


_quote_alphabet = st.sampled_from(list("abc äöü 😀שלום\n"))
_filler_alphabet = st.sampled_from(list("xyz ßé🙂مرحبا\n"))


@given(
    quote=st.lists(_quote_alphabet, min_size=1, max_size=12).map("".join),
    fillers=st.lists(st.lists(_filler_alphabet, max_size=40).map("".join), min_size=3, max_size=6),
    data=st.data(),
)
@_PROPERTY_SETTINGS
def test_anchor_repeated_quote_after_edit(
    quote: str, fillers: list[str], data: st.DataObject
) -> None:
    quote = quote.strip()
    assume(quote)
    # "[i]" markers (characters absent from quote and fillers) make each occurrence's
    # direct context unique, so exactly one occurrence matches the stored context.
    pieces = [f"{filler}[{i}]" for i, filler in enumerate(fillers)]
    old_text = quote.join(pieces)
    occurrences = [i for i in range(len(old_text)) if old_text.startswith(quote, i)]
    target = data.draw(st.sampled_from(occurrences))
    stored = selector_at(text=old_text, start=target, end=target + len(quote))

    # The article is edited in front of the quote: the stored offsets are now wrong.
    inserted = data.draw(st.text(alphabet=_filler_alphabet, min_size=1, max_size=50))
    new_text = inserted + CANONICAL_SEPARATOR + old_text
    shift = len(inserted) + len(CANONICAL_SEPARATOR)
    assume(new_text[stored.start : stored.end] != quote)
    anchored = anchor(
        text=new_text,
        exact=stored.exact,
        prefix=stored.prefix,
        suffix=stored.suffix,
        start=stored.start,
        end=stored.end,
    )
    assert (anchored.start, anchored.end) == (target + shift, target + shift + len(quote))

    # A deliberately wrong position near another occurrence does not win either.
    decoy = data.draw(st.sampled_from(occurrences))
    anchored = anchor(
        text=old_text,
        exact=stored.exact,
        prefix=stored.prefix,
        suffix=stored.suffix,
        start=decoy + 1,
        end=decoy + 1 + len(quote),
    )
    if old_text[decoy + 1 : decoy + 1 + len(quote)] != quote:
        assert anchored.start == target


# ---------------------------------------------------------------------- rendering


def _attrs_for(annotation_id: int) -> dict[str, str]:
    return {"class": "claim", "data-number": f'"{annotation_id}"<&>', "tabindex": "0"}


def test_render_without_spans_escapes_text() -> None:
    assert render_blocks_html(block_texts=['a < b & "c"', ""], spans=[]) == [
        'a &lt; b &amp; "c"',
        "",
    ]


def test_render_single_claim() -> None:
    html_blocks = render_blocks_html(
        block_texts=["Hello world"], spans=[MarkSpan(annotation_id=7, start=6, end=11)]
    )
    assert html_blocks == ['Hello <mark data-annotation-id="7">world</mark>']


def test_render_extra_attributes_are_escaped() -> None:
    html_blocks = render_blocks_html(
        block_texts=["<b>"],
        spans=[MarkSpan(annotation_id=3, start=0, end=3)],
        mark_attrs=_attrs_for,
    )
    assert html_blocks == [
        '<mark data-annotation-id="3" class="claim" data-number="&quot;3&quot;&lt;&amp;&gt;"'
        ' tabindex="0">&lt;b&gt;</mark>'
    ]


@pytest.mark.parametrize("name", ["on click", 'x"y', "a>b", "", "data-annotation-id"])
def test_render_rejects_bad_attribute_names(name: str) -> None:
    with pytest.raises(ValueError, match="Invalid mark attribute name"):
        render_blocks_html(
            block_texts=["text"],
            spans=[MarkSpan(annotation_id=1, start=0, end=2)],
            mark_attrs=lambda _id: {name: "x"},
        )


def test_render_overlapping_claims_nest_without_crossing() -> None:
    # 1: "abcdef", 2: "cdefgh": 1 stays one mark; 2 is split where it crosses 1's end.
    html_blocks = render_blocks_html(
        block_texts=["abcdefghij"],
        spans=[
            MarkSpan(annotation_id=2, start=2, end=8),
            MarkSpan(annotation_id=1, start=0, end=6),
        ],
    )
    assert html_blocks == [
        '<mark data-annotation-id="1">ab<mark data-annotation-id="2">cdef</mark></mark>'
        '<mark data-annotation-id="2">gh</mark>ij'
    ]


def test_render_same_start_longest_outermost() -> None:
    html_blocks = render_blocks_html(
        block_texts=["abcd"],
        spans=[
            MarkSpan(annotation_id=1, start=0, end=2),
            MarkSpan(annotation_id=2, start=0, end=4),
        ],
    )
    assert html_blocks == [
        '<mark data-annotation-id="2"><mark data-annotation-id="1">ab</mark>cd</mark>'
    ]


def test_render_claim_across_blocks() -> None:
    blocks = ["One two", "three", "four five"]
    text = canonical_text(block_texts=blocks)
    span = MarkSpan(annotation_id=9, start=text.index("two"), end=text.index("four") + 4)
    assert render_blocks_html(block_texts=blocks, spans=[span]) == [
        'One <mark data-annotation-id="9">two</mark>',
        '<mark data-annotation-id="9">three</mark>',
        '<mark data-annotation-id="9">four</mark> five',
    ]


def test_render_ignores_empty_and_out_of_range_spans() -> None:
    spans = [
        MarkSpan(annotation_id=1, start=3, end=3),
        MarkSpan(annotation_id=2, start=5, end=2),
        MarkSpan(annotation_id=3, start=100, end=200),
        MarkSpan(annotation_id=4, start=-10, end=1),
    ]
    assert render_blocks_html(block_texts=["abc"], spans=spans) == [
        '<mark data-annotation-id="4">a</mark>bc'
    ]


def test_render_span_only_in_separator_renders_nothing() -> None:
    spans = [MarkSpan(annotation_id=1, start=3, end=5)]
    assert render_blocks_html(block_texts=["abc", "def"], spans=spans) == ["abc", "def"]


def test_render_clips_spans_to_each_block() -> None:
    spans = [
        MarkSpan(annotation_id=1, start=0, end=12),
        MarkSpan(annotation_id=2, start=20, end=30),
    ]
    # the second block starts at 10: claim 1 ends inside it, claim 2 lies after it
    assert render_blocks_html(block_texts=["12345678", "abcdef"], spans=spans) == [
        '<mark data-annotation-id="1">12345678</mark>',
        '<mark data-annotation-id="1">ab</mark>cdef',
    ]


def test_render_many_claims_is_fast() -> None:
    blocks = [f"Paragraph {i}: " + "lorem ipsum dolor sit amet " * 20 for i in range(100)]
    text = canonical_text(block_texts=blocks)
    spans = [
        MarkSpan(
            annotation_id=i,
            start=(i * 97) % (len(text) - 400),
            end=(i * 97) % (len(text) - 400) + 50 + i % 300,
        )
        for i in range(500)
    ]
    started = time.perf_counter()
    rendered = render_blocks_html(block_texts=blocks, spans=spans, mark_attrs=_attrs_for)
    assert time.perf_counter() - started < 2.0
    assert len(rendered) == len(blocks)


class _MarkChecker(HTMLParser):
    """Records, for every text chunk, which marks (outermost first) enclose it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[int] = []
        self.chunks: list[tuple[str, tuple[int, ...]]] = []
        self.attributes: list[tuple[int, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag == "mark"
        attributes = dict(attrs)
        annotation_id = int(attributes["data-annotation-id"] or "")
        self.attributes.append((annotation_id, attributes))
        self.stack.append(annotation_id)

    def handle_endtag(self, tag: str) -> None:
        assert tag == "mark"
        assert self.stack, "closing tag without opening tag"
        self.stack.pop()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise AssertionError(f"unexpected self-closing tag {tag}")

    def handle_data(self, data: str) -> None:
        self.chunks.append((data, tuple(self.stack)))


@st.composite
def _article_and_spans(draw: st.DrawFn) -> tuple[list[str], list[MarkSpan]]:
    blocks = draw(_block_texts)
    length = len(canonical_text(block_texts=blocks))
    count = draw(st.integers(0, 12))
    spans = []
    for annotation_id in range(count):
        start = draw(st.integers(0, length))
        end = draw(st.integers(start, length))
        spans.append(MarkSpan(annotation_id=annotation_id, start=start, end=end))
    return blocks, spans


@given(article=_article_and_spans(), with_attrs=st.booleans())
@_PROPERTY_SETTINGS
def test_render_overlapping_spans_property(
    article: tuple[list[str], list[MarkSpan]], with_attrs: bool
) -> None:
    blocks, spans = article
    offsets = block_offsets(block_texts=blocks)
    rendered = render_blocks_html(
        block_texts=blocks, spans=spans, mark_attrs=_attrs_for if with_attrs else None
    )
    assert len(rendered) == len(blocks)
    by_id = {span.annotation_id: span for span in spans}
    inside: dict[int, list[str]] = {span.annotation_id: [] for span in spans}

    for block, block_html, (block_start, _) in zip(blocks, rendered, offsets, strict=True):
        checker = _MarkChecker()
        checker.feed(block_html)
        checker.close()
        assert checker.stack == [], "unclosed mark"
        # All text survives escaping and parsing.
        assert "".join(chunk for chunk, _ in checker.chunks) == block
        for annotation_id, attributes in checker.attributes:
            if with_attrs:
                expected = {"data-annotation-id": str(annotation_id), **_attrs_for(annotation_id)}
            else:
                expected = {"data-annotation-id": str(annotation_id)}
            assert attributes == expected
        position = block_start
        for chunk, stack in checker.chunks:
            # Outermost = earliest start, then longest, then lowest id.
            keys = [(by_id[i].start, -by_id[i].end, i) for i in stack]
            assert keys == sorted(keys)
            assert len(set(stack)) == len(stack), "a claim wraps a piece twice"
            for offset in range(position, position + len(chunk)):
                covering = {s.annotation_id for s in spans if s.start <= offset < s.end}
                assert set(stack) == covering
            for annotation_id in stack:
                inside[annotation_id].append(chunk)
            position += len(chunk)

    for span in spans:
        # The claim's text, block by block, without the separators between blocks.
        expected = "".join(
            block[max(span.start, start) - start : max(min(span.end, end) - start, 0)]
            for block, (start, end) in zip(blocks, offsets, strict=True)
            if span.start < end and span.end > start
        )
        assert "".join(inside[span.annotation_id]) == expected
