"""Tests for articles.segmentation: splitting and classifying article blocks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.segmentation import (
    BLOCK_KINDS,
    Segment,
    classify_blocks,
    segment_text,
    split_blocks,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "segmentation"
# The seed and its gold kinds (copied from ../shared/corpus/, which CI also has beside the repo).
SEED = REPO_ROOT / "articles" / "demo" / "fox-russia-iran-missiles.de.txt"
SEED_GOLD = REPO_ROOT / "tests" / "fixtures" / "seed" / "fox-russia-iran-missiles.de.blocks.json"  # noqa: E501

FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.txt"))

HEADLINE = "Minister unveils plan to cut energy bills for households"
BODY = (
    "The government on Tuesday announced a package of measures intended to lower energy "
    "bills, including a temporary cut in levies and support for insulation."
)
BODY_DE = (
    "Die Bundesregierung hat am Dienstag ein Paket vorgestellt, das die Energiekosten senken "
    "soll, darunter eine befristete Senkung von Abgaben und Zuschüsse für die Dämmung."
)


def _kind_in_body(line: str, *, german: bool = False) -> str:
    """Classify ``line`` placed between two body paragraphs, after a headline."""
    body = BODY_DE if german else BODY
    return classify_blocks(blocks=[HEADLINE, body, line, body])[2]


# --- the seed article -------------------------------------------------------


def test_seed_article_matches_gold_kinds() -> None:
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))["blocks"]
    segments = segment_text(text=SEED.read_text(encoding="utf-8"))

    assert [segment.text for segment in segments] == [block["text"] for block in gold]
    assert len(segments) == 24
    assert [segment.kind for segment in segments] == [block["kind"] for block in gold]


def test_seed_article_is_stable_under_crlf_and_bom() -> None:
    text = SEED.read_text(encoding="utf-8")
    plain = segment_text(text=text)
    windows = segment_text(text="\ufeff" + text.replace("\n", "\r\n"))
    assert windows == plain


# --- realistic fixtures ------------------------------------------------------


def test_fixture_set_covers_both_languages() -> None:
    assert sum(name.startswith("en-") for name in FIXTURE_NAMES) >= 2
    assert sum(name.startswith("de-") for name in FIXTURE_NAMES) >= 2


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_kinds(name: str) -> None:
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((FIXTURES / f"{name}.kinds.json").read_text(encoding="utf-8"))
    assert set(expected) <= set(BLOCK_KINDS)

    segments = segment_text(text=text)

    got = [segment.kind for segment in segments]
    mismatches = [
        (index, kind, want, segment.text[:60])
        for index, (segment, kind, want) in enumerate(zip(segments, got, expected, strict=False))
        if kind != want
    ]
    assert len(segments) == len(expected)
    assert mismatches == []


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_kinds_survive_windows_line_endings(name: str) -> None:
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    assert segment_text(text=text.replace("\n", "\r\n")) == segment_text(text=text)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_has_every_structural_kind(name: str) -> None:
    # Each fixture is a full article: a headline, body, photo captions and chrome.
    expected = json.loads((FIXTURES / f"{name}.kinds.json").read_text(encoding="utf-8"))
    assert expected[0] == "headline"
    assert {"paragraph", "caption", "related", "boilerplate"} <= set(expected)


# --- split_blocks --------------------------------------------------------------


def test_split_blocks_normalises_line_endings() -> None:
    assert split_blocks(text="One\r\nTwo\rThree\n\r\nFour") == ["One", "Two", "Three", "Four"]


def test_split_blocks_strips_bom_zero_width_and_odd_spaces() -> None:
    text = "\ufeffHead\u200bline\n\nSome\u00a0text  with\t\tspaces\u202fhere \n\u200b\n"
    assert split_blocks(text=text) == ["Headline", "Some text with spaces here"]


def test_split_blocks_drops_soft_hyphens() -> None:
    assert split_blocks(text="Bundes\u00adregierung") == ["Bundesregierung"]


def test_split_blocks_one_paragraph_per_line_is_not_joined() -> None:
    text = (
        "Headline without a period\n\n"
        "First paragraph is a single long line of text that goes on and on and on.\n\n"
        "Second paragraph is another single line that is also quite long indeed.\n"
    )
    assert split_blocks(text=text) == [
        "Headline without a period",
        "First paragraph is a single long line of text that goes on and on and on.",
        "Second paragraph is another single line that is also quite long indeed.",
    ]


def test_split_blocks_without_blank_lines_keeps_every_line() -> None:
    text = "Title\nFirst line of text here.\nSecond line of text here.\n"
    assert split_blocks(text=text) == [
        "Title",
        "First line of text here.",
        "Second line of text here.",
    ]


def test_split_blocks_joins_hard_wrapped_paragraphs() -> None:
    text = (
        "A headline\n"
        "\n"
        "The first paragraph was wrapped by an email client at roughly seventy\n"
        "characters, so its sentences run over several physical lines of the\n"
        "file.\n"
        "\n"
        "A second paragraph, wrapped in the same way, continues the story with\n"
        "more detail.\n"
        "\n"
        "Share\n"
    )
    assert split_blocks(text=text) == [
        "A headline",
        "The first paragraph was wrapped by an email client at roughly seventy characters, "
        "so its sentences run over several physical lines of the file.",
        "A second paragraph, wrapped in the same way, continues the story with more detail.",
        "Share",
    ]


def test_split_blocks_keeps_short_lines_inside_a_wrapped_text_apart() -> None:
    text = (
        "The first paragraph was wrapped by an email client at roughly seventy\n"
        "characters and ends here.\n"
        "\n"
        "Share this:\n"
        "Facebook\n"
    )
    assert split_blocks(text=text) == [
        "The first paragraph was wrapped by an email client at roughly seventy "
        "characters and ends here.",
        "Share this:",
        "Facebook",
    ]


def test_split_blocks_does_not_join_long_unwrapped_lines() -> None:
    # A hard-wrapped paragraph switches joining on; lines far longer than any
    # wrap width were never wrapped and stay separate paragraphs.
    unwrapped = "A paragraph that was never wrapped and runs on past any wrap column. " * 3
    text = (
        "The first paragraph was wrapped by an email client at roughly seventy\n"
        "characters and ends here.\n"
        "\n"
        f"{unwrapped.strip()}\n"
        f"{unwrapped.strip()}\n"
    )
    assert split_blocks(text=text) == [
        "The first paragraph was wrapped by an email client at roughly seventy "
        "characters and ends here.",
        unwrapped.strip(),
        unwrapped.strip(),
    ]


def test_split_blocks_rejoins_german_compounds_split_at_a_hyphen() -> None:
    text = (
        "Auch in Teilen von Sachsen-Anhalt und in weiten Teilen von Nordrhein-\n"
        "Westfalen gilt weiterhin Hochwasseralarm, teilten die Küsten- und\n"
        "Hochwasserschützer mit.\n"
        "\n"
        "Zweiter Absatz.\n"
    )
    assert split_blocks(text=text) == [
        "Auch in Teilen von Sachsen-Anhalt und in weiten Teilen von Nordrhein-Westfalen gilt "
        "weiterhin Hochwasseralarm, teilten die Küsten- und Hochwasserschützer mit.",
        "Zweiter Absatz.",
    ]


def test_split_blocks_of_empty_text() -> None:
    assert split_blocks(text="") == []
    assert split_blocks(text=" \n\r\n\ufeff\u200b\n") == []


@given(st.text())
def test_split_blocks_returns_stripped_non_empty_blocks(text: str) -> None:
    for block in split_blocks(text=text):
        assert block
        assert block == block.strip()
        assert "\n" not in block
        assert "  " not in block


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",))), max_size=8))
def test_split_blocks_is_idempotent_on_one_block_per_line(lines: list[str]) -> None:
    blocks = split_blocks(text="\n".join(lines))
    assert split_blocks(text="\n".join(blocks)) == blocks


def test_pathological_lines_are_classified_quickly() -> None:
    # Regression: nested quantifiers in the share-bar pattern backtracked
    # exponentially on long runs of share words.
    lines = ["share " * 2000 + "!", "Twitter " * 11 + "x", "dpa/" * 3000 + "x", "A/" * 3000]
    assert len(classify_blocks(blocks=[HEADLINE, *lines])) == 5


# --- classify_blocks: boilerplate -------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "CLICK HERE TO GET THE FOX NEWS APP",
        "Click here to sign up for our morning briefing",
        "Download the BBC News app",
        "Get the Guardian app for iOS and Android",
        "Sign up for our newsletter",
        "Subscribe now for unlimited access",
        "Follow us on Facebook and Instagram",
        "Share this:",
        "Share",
        "Twitter · Facebook · Email",
        "Leave a Reply",
        "Leave a comment",
        "12 comments",
        "Comments (89)",
        "source site",
        "Advertisement",
        "Story continues below advertisement",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "© 2024 Example News Ltd. All rights reserved.",
        "___",
        "* * *",
    ],
)
def test_english_calls_to_action_and_chrome_are_boilerplate(line: str) -> None:
    assert _kind_in_body(line) == "boilerplate"


@pytest.mark.parametrize(
    "line",
    [
        "KLICKEN SIE HIER, UM DIE FOX NEWS-APP ZU ERHALTEN",
        "Klicken Sie hier, um den Livestream zu sehen",
        "Jetzt die App herunterladen",
        "Newsletter abonnieren",
        "Jetzt abonnieren!",
        "Jetzt kostenlos testen",
        "Melden Sie sich für unseren Newsletter an",
        "Newsletter",
        "Folgen Sie uns auf Instagram",
        "Teilen",
        "Artikel teilen",
        "3 Kommentare",
        "Kommentare",
        "Anzeige",
        "Werbung",
        "Wir verwenden Cookies, um Ihnen ein optimales Angebot zu bieten.",
    ],
)
def test_german_calls_to_action_and_chrome_are_boilerplate(line: str) -> None:
    assert _kind_in_body(line, german=True) == "boilerplate"


# --- classify_blocks: related ------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "READ MORE: Ukraine says it shot down 20 drones overnight",
        "MORE: What we know about the shooting in Texas",
        "RELATED: Senate passes stopgap bill",
        "Related: How hot is too hot for the human body?",
        "Watch: Drone footage shows scale of the flooding",
        "MEHR ZUM THEMA: Was die Schuldenbremse bedeutet",
        "Lesen Sie auch: Warum die Mieten weiter steigen",
        "Auch interessant: Die besten Wanderwege im Harz",
        "BIDEN ADMINISTRATION ANNOUNCES NEW SANCTIONS ON IRANIAN DRONE MAKERS",
        "CHINA warnt die USA vor weiteren Waffenlieferungen an Taiwan",
        "ISRAEL SAYS hostages remain in Gaza as talks stall",
    ],
)
def test_teasers_are_related(line: str) -> None:
    assert _kind_in_body(line) == "related"


def test_titles_after_a_related_heading_are_related_until_body_text() -> None:
    blocks = [
        HEADLINE,
        BODY,
        "Das könnte Sie auch interessieren",
        "Klimawandel: Warum Starkregen häufiger wird",
        "Hochwasserschutz: Die Deiche sind zu alt",
        BODY,
    ]
    assert classify_blocks(blocks=blocks) == [
        "headline",
        "paragraph",
        "related",
        "related",
        "related",
        "paragraph",
    ]


# --- classify_blocks: captions -------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Protesters gather in Tbilisi on Sunday. (Photo by Daro Sulakauri/Getty Images)",
        "President Joe Biden speaks in the East Room. (AP Photo/Evan Vucci)",
        "Ein Soldat in Awdijiwka. (ANATOLII STEPANOV/AFP via Getty Images)",
        "Smoke rises over the city. REUTERS/Stringer",
        "Rescuers search the rubble. Photograph: Mahmoud Issa/Reuters",
        "Olaf Scholz im Bundestag © Kay Nietfeld/dpa",
        "Foto: Kay Nietfeld / dpa",
        "Bild: picture alliance / IMAGO",
        "Photo: Jane Doe for The Example Times",
        "Credit: NASA/JPL-Caltech",
        "Image source, Getty Images",
        "Quelle: dpa",
        "dpa/AFP",
    ],
)
def test_photo_credits_are_captions(line: str) -> None:
    assert _kind_in_body(line) == "caption"


def test_short_title_before_a_caption_is_caption() -> None:
    blocks = [
        HEADLINE,
        BODY,
        "Rescue teams search for survivors",
        "Rescue workers search a collapsed building in Antakya. (AP Photo/Hussein Malla)",
        BODY,
    ]
    assert classify_blocks(blocks=blocks) == [
        "headline",
        "paragraph",
        "caption",
        "caption",
        "paragraph",
    ]


def test_caption_text_above_a_bare_credit_is_caption() -> None:
    blocks = [
        HEADLINE,
        BODY_DE,
        "Bundeskanzler Olaf Scholz bei der Regierungsbefragung im Bundestag.",
        "Foto: Michael Kappeler / dpa",
        BODY_DE,
    ]
    assert classify_blocks(blocks=blocks, language="de") == [
        "headline",
        "paragraph",
        "caption",
        "caption",
        "paragraph",
    ]


def test_long_standfirst_before_a_caption_stays_paragraph() -> None:
    blocks = [
        HEADLINE,
        "Officials in three countries urge people to stay indoors as temperatures "
        "pass 44C in several cities",
        "Firefighters near Athens. Photograph: Angelos Tzortzinis/AFP/Getty Images",
        BODY,
    ]
    assert classify_blocks(blocks=blocks) == ["headline", "paragraph", "caption", "paragraph"]


def test_paragraph_before_bbc_style_credit_and_caption_stays_paragraph() -> None:
    blocks = [
        HEADLINE,
        BODY,
        "Image source, EPA",
        "Image caption, A street in Lugo was submerged",
        BODY,
    ]
    assert classify_blocks(blocks=blocks) == [
        "headline",
        "paragraph",
        "caption",
        "caption",
        "paragraph",
    ]


def test_paragraph_before_an_article_source_line_stays_paragraph() -> None:
    blocks = [HEADLINE, BODY_DE, "Die Ermittlungen dauern an.", "Quelle: dpa"]
    assert classify_blocks(blocks=blocks) == ["headline", "paragraph", "paragraph", "caption"]


# --- classify_blocks: trap words in ordinary body text ---------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Reuters reported on Tuesday that the talks had stalled, citing three sources.",
        "WASHINGTON (Reuters) - The U.S. Senate on Tuesday passed a stopgap spending bill.",
        "KYIV, Ukraine (AP) — Russia launched dozens of drones at the capital overnight.",
        "Several shipping companies have paused transits, sources told Reuters.",
        "The company launched a newsletter for investors in 2019.",
        "More than 200 countries have signed up to the pledge.",
        "Users who subscribe to the service pay a monthly fee, the company said.",
        "Photo agencies such as Getty Images and AP supplied pictures of the ceremony.",
        "The cookie maker said sales rose 5 percent in the last quarter.",
        "The comments drew sharp criticism from the opposition.",
        "NATO said on Monday it would increase patrols in the Baltic Sea.",
        "The EU and the US agreed to coordinate sanctions against Moscow.",
        "Click rates on political ads fell sharply, the researchers found.",
        "The ministry urged people to download the app to receive warnings, officials said.",
        "Fox News' Chad Pergram contributed to this report.",
    ],
)
def test_english_body_sentences_with_trap_words_stay_paragraphs(line: str) -> None:
    assert _kind_in_body(line) == "paragraph"


@pytest.mark.parametrize(
    "line",
    [
        "Die Zeitung hatte zuvor in ihrem Newsletter über den Fall berichtet, wie Reuters meldete.",
        "Berlin (dpa) - Die Bundesregierung will die Schuldenbremse reformieren.",
        "Rund 2000 Menschen abonnieren den Kanal inzwischen.",
        "Viele Leser wollen die Zeitung nicht mehr abonnieren.",
        "Die Kommentare in den sozialen Netzwerken fielen überwiegend kritisch aus.",
        "Werbung für Tabakprodukte soll weiter eingeschränkt werden.",
        "Anzeige gegen Unbekannt erstattet",
        "Jetzt will die Regierung nachbessern.",
        "Sie können den Beitrag teilen, sagte der Sprecher.",
        "NATO-Generalsekretär Jens Stoltenberg warnte am Dienstag vor einer Eskalation.",
        "USA kündigen weitere Hilfe an.",
        "Nutzer sollten die App nicht herunterladen, warnte das BSI.",
        "Das Foto zeigt den Kanzler bei einem Besuch in Kiew.",
    ],
)
def test_german_body_sentences_with_trap_words_stay_paragraphs(line: str) -> None:
    assert _kind_in_body(line, german=True) == "paragraph"


def test_subheading_inside_the_body_stays_paragraph() -> None:
    blocks = [HEADLINE, BODY, "Notfahrplan im Fernverkehr", BODY]
    assert classify_blocks(blocks=blocks) == ["headline", "paragraph", "paragraph", "paragraph"]


# --- classify_blocks: headline -------------------------------------------------


def test_first_block_with_a_final_period_and_long_is_paragraph() -> None:
    assert classify_blocks(blocks=[BODY, BODY]) == ["paragraph", "paragraph"]


def test_short_first_block_with_period_followed_by_body_is_headline() -> None:
    assert classify_blocks(blocks=["Ceasefire holds in Gaza.", BODY]) == [
        "headline",
        "paragraph",
    ]


def test_headline_is_the_first_block_after_leading_chrome() -> None:
    assert classify_blocks(blocks=["Advertisement", HEADLINE, BODY]) == [
        "boilerplate",
        "headline",
        "paragraph",
    ]


def test_only_one_headline() -> None:
    kinds = classify_blocks(blocks=[HEADLINE, HEADLINE, BODY])
    assert kinds == ["headline", "paragraph", "paragraph"]


def test_headline_starting_with_an_acronym_is_not_a_teaser() -> None:
    assert classify_blocks(blocks=["NATO warns Russia over missile deal with Iran", BODY]) == [
        "headline",
        "paragraph",
    ]


# --- API ----------------------------------------------------------------------


def test_classify_blocks_of_nothing() -> None:
    assert classify_blocks(blocks=[]) == []


def test_classify_blocks_accepts_unnormalised_and_empty_blocks() -> None:
    kinds = classify_blocks(blocks=["  Leave\u00a0a   Reply ", "", HEADLINE])
    assert kinds == ["boilerplate", "boilerplate", "headline"]


def test_classify_blocks_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        classify_blocks([HEADLINE])  # type: ignore[misc]
    with pytest.raises(TypeError):
        split_blocks(HEADLINE)  # type: ignore[misc]


@given(st.lists(st.text(), max_size=12), st.sampled_from([None, "de", "en", "fr"]))
def test_classify_blocks_returns_one_known_kind_per_block(
    blocks: list[str], language: str | None
) -> None:
    kinds = classify_blocks(blocks=blocks, language=language)
    assert len(kinds) == len(blocks)
    assert set(kinds) <= set(BLOCK_KINDS)
    assert kinds.count("headline") <= 1


@given(st.text())
def test_segment_text_keeps_block_texts_in_order(text: str) -> None:
    segments = segment_text(text=text)
    assert [segment.text for segment in segments] == split_blocks(text=text)


def test_segment_text_with_explicit_language() -> None:
    segments = segment_text(text=f"{HEADLINE}\n\n{BODY}\n\nShare this:", language="en")
    assert segments == [
        Segment(kind="headline", text=HEADLINE),
        Segment(kind="paragraph", text=BODY),
        Segment(kind="boilerplate", text="Share this:"),
    ]


def test_segment_rejects_unknown_kinds() -> None:
    with pytest.raises(ValueError):
        Segment(kind="byline", text="By Jane Doe")


def test_segment_is_frozen() -> None:
    segment = Segment(kind="paragraph", text="x")
    with pytest.raises(AttributeError):
        segment.kind = "headline"  # type: ignore[misc]


def test_block_kinds() -> None:
    assert BLOCK_KINDS == ("headline", "paragraph", "caption", "related", "boilerplate")
