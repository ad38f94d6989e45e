"""Re-anchoring claims on a new revision, with the edits newsrooms make (pure functions)."""

import pytest

from annotations.anchoring import selector_at
from annotations.reanchoring import OldAnchor, reanchor

EN = [
    "Council approves new budget for city schools",
    "The city council voted 7 to 2 on Tuesday to approve a budget of 12 million dollars "
    'for public schools. The mayor called the vote "a turning point" for the district.',
    "Teachers' unions welcomed the decision. Their spokesperson said the money would "
    "mostly go to hiring, not buildings.",
    "Opponents argued the plan relied on optimistic tax forecasts. A final review is "
    "scheduled for March.",
]
DE = [
    "Stadtrat beschließt neuen Haushalt für Schulen",
    "Der Stadtrat hat am Dienstag mit 7 zu 2 Stimmen einen Haushalt von 12 Millionen Euro "
    "für die Schulen beschlossen. Die Bürgermeisterin nannte die Abstimmung „einen "
    "Wendepunkt“ für den Bezirk.",
    "Die Lehrergewerkschaft begrüßte die Entscheidung. Ihr Sprecher sagte, das Geld fließe "
    "vor allem in Neueinstellungen, nicht in Gebäude.",
    "Kritiker bemängelten, der Plan beruhe auf zu optimistischen Steuerprognosen. Eine "
    "abschließende Prüfung ist für März geplant.",
]


def text_of(blocks):
    return "\n\n".join(blocks)


def claim(old_text: str, quote: str, claim_id: int = 1) -> OldAnchor:
    start = old_text.index(quote)
    selector = selector_at(text=old_text, start=start, end=start + len(quote))
    return OldAnchor(
        claim_id, selector.exact, selector.prefix, selector.suffix, selector.start, selector.end
    )


def place(old_blocks, new_blocks, *quotes):
    old, new = text_of(old_blocks), text_of(new_blocks)
    anchors = [claim(old, quote, i) for i, quote in enumerate(quotes, 1)]
    placements = reanchor(old_text=old, new_text=new, anchors=anchors)
    for placement in placements:
        if placement.selector is not None:
            # Every placement describes the new text exactly.
            selector = placement.selector
            assert new[selector.start : selector.end] == selector.exact
    return placements


def edited(blocks, index, old, new):
    blocks = list(blocks)
    assert old in blocks[index]
    blocks[index] = blocks[index].replace(old, new)
    return blocks


@pytest.mark.parametrize(
    ("blocks", "quote", "old", "new", "expected"),
    [
        (
            EN,
            "The city council voted 7 to 2 on Tuesday",
            "7 to 2",
            "8 to 1",
            "The city council voted 8 to 1 on Tuesday",
        ),
        (
            EN,
            "Opponents argued the plan relied on optimistic tax forecasts.",
            "optimistic",
            "overly optimistic",
            "Opponents argued the plan relied on overly optimistic tax forecasts.",
        ),
        (
            EN,
            'The mayor called the vote "a turning point" for the district.',
            '"a turning point"',
            "“a turning point”",
            "The mayor called the vote “a turning point” for the district.",
        ),
        (
            EN,
            "Teachers' unions welcomed the decision.",
            "decision.",
            "decision!",
            "Teachers' unions welcomed the decision!",
        ),
        (
            DE,
            "einen Haushalt von 12 Millionen Euro",
            "12 Millionen",
            "12,5 Millionen",
            "einen Haushalt von 12,5 Millionen Euro",
        ),
        (
            DE,
            "Ihr Sprecher sagte, das Geld fließe vor allem in Neueinstellungen",
            "Ihr Sprecher",
            "Ihre Sprecherin",
            "Ihre Sprecherin sagte, das Geld fließe vor allem in Neueinstellungen",
        ),
        (
            DE,
            "Die Bürgermeisterin nannte die Abstimmung „einen Wendepunkt“ für den Bezirk.",
            "„einen Wendepunkt“",
            '"einen Wendepunkt"',
            'Die Bürgermeisterin nannte die Abstimmung "einen Wendepunkt" für den Bezirk.',
        ),
    ],
)
def test_corrections_inside_a_claimed_sentence_follow_the_new_wording(
    blocks, quote, old, new, expected
):
    index = next(i for i, block in enumerate(blocks) if old in block)
    [placement] = place(blocks, edited(blocks, index, old, new), quote)
    assert placement.selector is not None
    assert placement.selector.exact == expected
    assert placement.text_changed


@pytest.mark.parametrize("blocks", [EN, DE], ids=["en", "de"])
def test_paragraph_inserted_before_moves_claims_unchanged(blocks):
    quote = blocks[2].split(". ")[0]
    new_blocks = [blocks[0], "A new first paragraph, added in an update at 14:00.", *blocks[1:]]
    [placement] = place(blocks, new_blocks, quote)
    assert placement.selector.exact == quote
    assert placement.method == "unchanged" and not placement.text_changed


@pytest.mark.parametrize("blocks", [EN, DE], ids=["en", "de"])
def test_paragraphs_swapped_and_removed(blocks):
    first, last = blocks[2].split(". ")[0], blocks[3].split(". ")[0]
    new_blocks = [blocks[0], blocks[3], blocks[2]]  # block 1 removed, 2 and 3 swapped
    placements = place(blocks, new_blocks, first, last, blocks[1].split(". ")[0])
    assert [p.selector and p.selector.exact for p in placements] == [first, last, None]
    assert placements[2].orphaned


@pytest.mark.parametrize("blocks", [EN, DE], ids=["en", "de"])
def test_deleted_sentence_is_orphaned_not_moved(blocks):
    sentence = blocks[3].split(". ")[1]
    new_blocks = edited(blocks, 3, " " + sentence, "")
    placements = place(blocks, new_blocks, sentence, blocks[3].split(". ")[0])
    assert placements[0].orphaned and placements[0].method == "orphaned"
    assert placements[1].selector.exact == blocks[3].split(". ")[0]


def test_claim_across_two_paragraphs_follows_an_edit():
    old = text_of(EN)
    start = old.index("for the district.")
    end = old.index("welcomed the decision.") + len("welcomed the decision.")
    new_blocks = edited(EN, 2, "Teachers' unions", "Two teachers' unions")
    [placement] = place(EN, new_blocks, old[start:end])
    expected = "for the district.\n\nTwo teachers' unions welcomed the decision."
    assert placement.selector.exact == expected


def test_overlapping_claims_each_follow_their_words():
    new_blocks = edited(DE, 1, "am Dienstag", "am Mittwoch")
    placements = place(
        DE,
        new_blocks,
        "Der Stadtrat hat am Dienstag mit 7 zu 2 Stimmen",
        "mit 7 zu 2 Stimmen einen Haushalt",
        "am Dienstag",
    )
    assert placements[0].selector.exact == "Der Stadtrat hat am Mittwoch mit 7 zu 2 Stimmen"
    assert placements[1].selector.exact == "mit 7 zu 2 Stimmen einen Haushalt"
    assert not placements[1].text_changed
    # A claim on nothing but the replaced words has lost its text: an orphan, to re-attach.
    assert placements[2].orphaned


def test_short_repeated_quote_does_not_jump_to_another_paragraph():
    blocks = [EN[0], "Officials said the plan works. Nothing else.", "Officials said so."]
    new_blocks = [EN[0], "Nothing else.", blocks[2]]
    [placement] = place(blocks, new_blocks, "Officials said the plan works.")
    assert placement.orphaned


def test_unrelated_rewrite_orphans_every_claim():
    new_blocks = [EN[0], "Completely different reporting about a football match on Sunday evening."]
    placements = place(EN, new_blocks, *[block.split(". ")[0] for block in EN[1:]])
    assert all(p.orphaned for p in placements)
