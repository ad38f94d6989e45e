"""Attribution suggestions (annotations.attribution) on articles written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import SEED_PATH

from annotations.attribution import Suggestion, suggest

TEXTS = Path(__file__).resolve().parent / "attribution_texts"


def _suggestions(name: str, language: str) -> tuple[str, list[Suggestion]]:
    text = (TEXTS / name).read_text(encoding="utf-8")
    return text, suggest(text=text, language=language)


def _find(suggestions: list[Suggestion], quote_part: str) -> Suggestion:
    matches = [s for s in suggestions if quote_part in s.quote]
    assert matches, f"no suggestion for {quote_part!r}: {[s.quote for s in suggestions]}"
    return matches[0]


# (part of the reported content, outlet, cited, anonymous, resolved)
ENGLISH = [
    ("Senate negotiators are close", "", "two people familiar with the talks", True, False),
    ("the outline of the deal", "Wall Street Journal", "congressional aides", True, False),
    ("disaster aid", "Wall Street Journal", "", False, False),  # "The Journal said"
    ("We are not there yet", "", "Senate Majority Leader Chuck Schumer", False, False),
    ("spending levels were still too high", "", "Senator John Thune", False, False),
    ("had to pass the House first", "", "Senator John Thune", False, True),  # "He added"
    ("sign a clean extension", "Reuters", "White House spokesperson", True, False),
    ("delay tax refunds", "", "Treasury Department", False, False),
    ("the responsible thing to do", "", "Representative Maria Lopez", False, False),
]

TARIFFS = [
    ("considering tariffs", "", "three officials familiar with the deliberations", True, False),
    ("Nothing has been decided", "", "Karine Brooks", False, False),
    ("looking at every option", "", "Karine Brooks", False, False),  # a quote that goes on
    ("a decision could come next week", "", "officials", True, False),  # subject, who-clause
    ("drafted a proclamation", "", "One official", True, False),
    ("the move", "", "Steel industry groups", False, False),  # a reported speech act
    ("that the tariffs would protect", "", "American Iron and Steel Institute", False, False),
    ("a tax on American workers", "", "Senator Mark Ellison", False, True),
    ("steel imports rose", "", "Commerce Department", False, False),
    ("that the Pentagon had raised concerns", "Washington Post", "internal memos", False, False),
]

GERMAN = [
    ("einen neuen Warnstreik", "", "Gewerkschaft", False, False),  # verb-final "angekündigt"
    ("Pendler in Bayern", "dpa", "", False, False),  # "Laut dpa"
    (
        "die Geduld der Beschäftigten sei am Ende",
        "",
        "Vorsitzende der Gewerkschaft, Martin Keller",
        False,
        False,
    ),
    (
        "kein neues Angebot vorgelegt",
        "",
        "Vorsitzende der Gewerkschaft, Martin Keller",
        False,
        False,
    ),  # Konjunktiv: the next sentence goes on with the same speaker
    ("Wir wollen keinen Streik", "Süddeutschen Zeitung", "Keller", False, False),
    ("weitere Aktionen folgen", "Süddeutschen Zeitung", "Keller", False, True),  # "Er"
    ("ein neues Angebot vorlegen", "Spiegel", "Konzernkreise", True, False),
    ("zu Zugeständnissen", "Spiegel", "", False, False),  # "Das Magazin schreibt"
    ("die Pläne der Gewerkschaft", "", "Bahnsprecher", True, False),  # a speech act
    ("Verkehrsministerium einschalten", "", "Regierungskreisen", True, False),
]


@pytest.mark.parametrize(("part", "outlet", "cited", "anonymous", "resolved"), ENGLISH)
def test_english_article(part: str, outlet: str, cited: str, anonymous: bool, resolved: bool):
    _, suggestions = _suggestions("senate-budget.en.txt", "en")
    found = _find(suggestions, part)
    assert (found.outlet, found.cited, found.anonymous, found.resolved) == (
        outlet,
        cited,
        anonymous,
        resolved,
    )


@pytest.mark.parametrize(("part", "outlet", "cited", "anonymous", "resolved"), TARIFFS)
def test_english_article_with_appositions_and_statements(
    part: str, outlet: str, cited: str, anonymous: bool, resolved: bool
):
    _, suggestions = _suggestions("tariffs.en.txt", "en")
    found = _find(suggestions, part)
    assert (found.outlet, found.cited, found.anonymous, found.resolved) == (
        outlet,
        cited,
        anonymous,
        resolved,
    )


@pytest.mark.parametrize(("part", "outlet", "cited", "anonymous", "resolved"), GERMAN)
def test_german_article(part: str, outlet: str, cited: str, anonymous: bool, resolved: bool):
    _, suggestions = _suggestions("bahnstreik.de.txt", "de")
    found = _find(suggestions, part)
    assert (found.outlet, found.cited, found.anonymous, found.resolved) == (
        outlet,
        cited,
        anonymous,
        resolved,
    )


@pytest.mark.parametrize(
    ("name", "language"),
    [("senate-budget.en.txt", "en"), ("tariffs.en.txt", "en"), ("bahnstreik.de.txt", "de")],
)
def test_offsets_point_into_the_text(name: str, language: str) -> None:
    text, suggestions = _suggestions(name, language)
    assert suggestions
    for suggestion in suggestions:
        assert text[suggestion.start : suggestion.end] == suggestion.quote
        cue = text[suggestion.cue_start : suggestion.cue_end]
        assert cue.split()[0] == suggestion.cue.split()[0]


def test_no_suggestion_without_attribution() -> None:
    text = "The bridge opened in 1932.\n\nIt carries four lanes of traffic and a railway."
    assert suggest(text=text, language="en") == []


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="Unsupported language"):
        suggest(text="Bonjour.", language="fr")


def test_seed_article_relays_the_journal() -> None:
    """The demo article: the Wall Street Journal relays unnamed US officials; "das Journal"
    later refers back to it; the Russian Foreign Ministry is quoted directly."""
    text = SEED_PATH.read_text(encoding="utf-8")
    suggestions = suggest(text=text, language="de")
    first = _find(suggestions, "berief sich dabei auf ungenannte US-Beamte")
    assert (first.outlet, first.cited, first.anonymous) == (
        "Wall Street Journal",
        "ungenannte US-Beamte",
        True,
    )
    told = [
        s for s in suggestions if s.cue.startswith("sagte") and "Vereinigten Staaten" in s.quote
    ]
    assert told and told[0].outlet == "Wall Street Journal" and told[0].anonymous
    reported = _find(suggestions, "viele Drohnen vom Iran erhalten")
    assert (reported.outlet, reported.cited) == ("Wall Street Journal", "")
    ministry = _find(suggestions, "UN-Verbot")
    assert (ministry.outlet, ministry.cited, ministry.anonymous) == (
        "",
        "russische Außenministerium",
        False,
    )
