"""Tests for articles.language: language guess and PostgreSQL search config."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.language import POSTGRES_TEXT_SEARCH_CONFIG, detect_language, search_config

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "segmentation"
SEED = Path(__file__).resolve().parents[2] / "articles" / "demo" / "fox-russia-iran-missiles.de.txt"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Bundesregierung hat am Dienstag ein neues Gesetz beschlossen.", "de"),
        ("Laut Bericht treibt Russland den Iran-Deal zum Kauf ballistischer Raketen voran", "de"),
        ("Es ist nicht klar, ob die Verhandlungen fortgesetzt werden.", "de"),
        ("Größere Übungen fanden außerhalb statt", "de"),
        ("The government said on Tuesday that it would not change the law.", "en"),
        ("Oil prices rose more than 2% on Friday after fresh attacks in the Red Sea.", "en"),
        ("It was not clear whether the talks would resume.", "en"),
        ("Thousands of people have been forced from their homes in northern Italy.", "en"),
        # Words shared by both languages ("in", "was", "will", "war") decide nothing.
        ("Die Lage in Kiew war angespannt, sagte er.", "de"),
        ("The war in Ukraine was the main topic, he said.", "en"),
        # A German name in an English sentence does not flip it.
        ("Chancellor Olaf Scholz met Jürgen Müller, the head of the union, on Monday.", "en"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text=text) == expected


@pytest.mark.parametrize("text", ["", "   ", "12345 678", "Putin", "!!!"])
def test_detect_language_defaults_to_english_without_signal(text: str) -> None:
    assert detect_language(text=text) == "en"


def test_detect_language_on_the_seed_article() -> None:
    assert detect_language(text=SEED.read_text(encoding="utf-8")) == "de"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.txt")), ids=lambda path: path.stem)
def test_detect_language_on_fixture_articles(path: Path) -> None:
    expected = path.name.split("-", 1)[0]
    assert detect_language(text=path.read_text(encoding="utf-8")) == expected


@given(st.text())
def test_detect_language_always_answers_de_or_en(text: str) -> None:
    assert detect_language(text=text) in {"de", "en"}


def test_search_config_mapping() -> None:
    assert POSTGRES_TEXT_SEARCH_CONFIG == {"de": "german", "en": "english"}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "german"),
        ("en", "english"),
        ("DE", "german"),
        ("de-DE", "german"),
        ("en_GB", "english"),
        ("fr", "simple"),
        ("", "simple"),
        ("german", "simple"),
    ],
)
def test_search_config(language: str, expected: str) -> None:
    assert search_config(language=language) == expected


def test_search_config_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        search_config("de")  # type: ignore[misc]
