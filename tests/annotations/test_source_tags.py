"""Tests for annotations.source_tags: parsing real-world source attributions."""

from __future__ import annotations

import pytest

from annotations.source_tags import (
    MAX_TAG_LENGTH,
    ParsedSourceTag,
    SourceTagError,
    normalise_label,
    parse_source_tag,
)

# (label, outlet, cited, anonymous)
ENGLISH = [
    ("WSJ citing US officials", "WSJ", "US officials", True),
    (
        "Reuters, citing people familiar with the matter",
        "Reuters",
        "people familiar with the matter",
        True,
    ),
    ("Bloomberg via Reuters", "Reuters", "Bloomberg", False),
    ("AP, quoting Pentagon spokesman John Kirby", "AP", "Pentagon spokesman John Kirby", False),
    (
        "CNN quoting a senior administration official",
        "CNN",
        "senior administration official",
        True,
    ),
    (
        "The New York Times, according to two people briefed on the talks",
        "The New York Times",
        "two people briefed on the talks",
        True,
    ),
    ("Axios cites sources close to the Kremlin", "Axios", "sources close to the Kremlin", True),
    (
        "TASS citing Kremlin spokesman Dmitry Peskov",
        "TASS",
        "Kremlin spokesman Dmitry Peskov",
        False,
    ),
    ("Reuters reported, citing three sources", "Reuters", "three sources", True),
    ("Politico, citing Western diplomats", "Politico", "Western diplomats", True),
    ("Financial Times citing insiders", "Financial Times", "insiders", True),
    (
        "Washington Post citing officials at the White House",
        "Washington Post",
        "officials at the White House",
        True,
    ),
    ("Haaretz citing an Israeli official", "Haaretz", "Israeli official", True),
    ("BBC citing Ukraine's General Staff", "BBC", "Ukraine's General Staff", False),
    ("Kyiv Independent via Ukrainska Pravda", "Ukrainska Pravda", "Kyiv Independent", False),
    (
        "AFP citing officials including Antony Blinken",
        "AFP",
        "officials including Antony Blinken",
        False,
    ),
    (
        "Reuters citing a source close to Chancellor Olaf Scholz",
        "Reuters",
        "source close to Chancellor Olaf Scholz",
        True,
    ),
    (
        "Semafor, per two people familiar with the plans",
        "Semafor",
        "two people familiar with the plans",
        True,
    ),
    (
        "NBC News citing U.S. and European officials",
        "NBC News",
        "U.S. and European officials",
        True,
    ),
    ("Politico quotes White House officials", "Politico", "White House officials", True),
    (
        "Bloomberg citing sources close to Deutsche Bank",
        "Bloomberg",
        "sources close to Deutsche Bank",
        True,
    ),
    ("The Guardian according to the UN", "The Guardian", "UN", False),
    ("REUTERS CITING US OFFICIALS", "REUTERS", "US OFFICIALS", True),
    ("  WSJ \t citing\n US  officials ", "WSJ", "US officials", True),
    ("According to US officials", "", "US officials", True),
    (
        "Sky News citing a person familiar with the matter",
        "Sky News",
        "person familiar with the matter",
        True,
    ),
    (
        "CNN citing officials (John Kirby, Jake Sullivan)",
        "CNN",
        "officials (John Kirby, Jake Sullivan)",
        False,
    ),
]

GERMAN = [
    ("Spiegel unter Berufung auf Regierungskreise", "Spiegel", "Regierungskreise", True),
    ("dpa zitiert ungenannte US-Beamte", "dpa", "ungenannte US-Beamte", True),
    ("Bild, unter Berufung auf Sicherheitskreise", "Bild", "Sicherheitskreise", True),
    (
        "Tagesschau nach Angaben von Regierungssprecher Steffen Hebestreit",
        "Tagesschau",
        "Regierungssprecher Steffen Hebestreit",
        False,
    ),
    ("Handelsblatt laut Insidern", "Handelsblatt", "Insidern", True),
    ("FAZ mit Verweis auf informierte Personen", "FAZ", "informierte Personen", True),
    ("Die Zeit beruft sich auf anonyme Quellen", "Die Zeit", "anonyme Quellen", True),
    (
        "Süddeutsche Zeitung berichtet unter Berufung auf mit der Sache vertraute Personen",
        "Süddeutsche Zeitung",
        "mit der Sache vertraute Personen",
        True,
    ),
    ("ntv zitiert Kremlsprecher Dmitri Peskow", "ntv", "Kremlsprecher Dmitri Peskow", False),
    (
        "Reuters nach Angaben des Verteidigungsministeriums",
        "Reuters",
        "Verteidigungsministeriums",
        False,
    ),
    ("Laut Kreisen der Bundesregierung", "", "Kreisen der Bundesregierung", True),
    ("RND unter Berufung auf EU-Diplomaten", "RND", "EU-Diplomaten", True),
    ("Der Standard via APA", "APA", "Der Standard", False),
    (
        "Welt am Sonntag zitierte Quellen im Weißen Haus",
        "Welt am Sonntag",
        "Quellen im Weißen Haus",
        True,
    ),
    (
        "Tagesspiegel mit Verweis auf Insider aus dem Umfeld von Kanzler Olaf Scholz",
        "Tagesspiegel",
        "Insider aus dem Umfeld von Kanzler Olaf Scholz",
        True,
    ),
    ("ZDF, unter Berufung auf Geheimdienstquellen", "ZDF", "Geheimdienstquellen", True),
    (
        "Der Spiegel meldet unter Berufung auf ungenannte Beamte des Auswärtigen Amts",
        "Der Spiegel",
        "ungenannte Beamte des Auswärtigen Amts",
        True,
    ),
    (
        "Kyiv Post mit Berufung auf den ukrainischen Generalstab",
        "Kyiv Post",
        "ukrainischen Generalstab",
        False,
    ),
    ("taz unter Verweis auf Koalitionskreise", "taz", "Koalitionskreise", True),
    (
        "Politico laut EU-Kommissionssprecher Eric Mamer",
        "Politico",
        "EU-Kommissionssprecher Eric Mamer",
        False,
    ),
    ("tagesschau.de nach Angaben vom Innenministerium", "tagesschau.de", "Innenministerium", False),
    ("MDR berief sich auf Polizeikreise", "MDR", "Polizeikreise", True),
    (
        "Bloomberg zitiert mit den Vorgängen vertraute Personen",
        "Bloomberg",
        "mit den Vorgängen vertraute Personen",
        True,
    ),
]

# A label naming only a medium is an outlet.
STANDALONE = [
    "Reuters",
    "Laut.de",  # "laut" inside a name, not the connector
    "Trivia Weekly",  # not listed, but headed by a medium word
    "Der Standard per E-Mail",  # "per" without a comma is not a connector
]


@pytest.mark.parametrize(("label", "outlet", "cited", "anonymous"), ENGLISH + GERMAN)
def test_parse_source_tag(label: str, outlet: str, cited: str, anonymous: bool) -> None:
    assert parse_source_tag(label=label) == ParsedSourceTag(
        outlet=outlet, cited=cited, anonymous=anonymous
    )


@pytest.mark.parametrize("label", STANDALONE)
def test_parse_standalone_source(label: str) -> None:
    assert parse_source_tag(label=label) == ParsedSourceTag(outlet=label, cited="", anonymous=False)


def test_there_are_enough_real_phrasings() -> None:
    assert len(ENGLISH) >= 15
    assert len(GERMAN) >= 15


def test_first_connector_wins() -> None:
    parsed = parse_source_tag(label="Reuters citing Bloomberg citing people familiar")
    assert parsed == ParsedSourceTag(
        outlet="Reuters", cited="Bloomberg citing people familiar", anonymous=True
    )


def test_connector_without_cited_source_keeps_the_outlet() -> None:
    assert parse_source_tag(label="Reuters citing") == ParsedSourceTag(
        outlet="Reuters", cited="", anonymous=False
    )


def test_non_medium_without_connector_is_cited() -> None:
    assert parse_source_tag(label="Russian Foreign Ministry") == ParsedSourceTag(
        outlet="", cited="Russian Foreign Ministry", anonymous=False
    )
    assert parse_source_tag(label="US officials") == ParsedSourceTag(
        outlet="", cited="US officials", anonymous=True
    )


def test_known_outlets_count_as_media() -> None:
    # "Gemeindeblättle" is no listed medium, but a workspace's articles come from it.
    assert parse_source_tag(label="laut Gemeindebote").cited == "Gemeindebote"
    assert parse_source_tag(
        label="laut Gemeindebote", known_outlets=["Gemeindebote"]
    ) == ParsedSourceTag(outlet="Gemeindebote", cited="", anonymous=False)


def test_parse_rejects_invalid_labels() -> None:
    with pytest.raises(SourceTagError):
        parse_source_tag(label="   ")


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Reuters", "Reuters"),
        ("  Reuters \n", "Reuters"),
        ("WSJ\tciting   US\u00a0officials", "WSJ citing US officials"),
        ("x" * MAX_TAG_LENGTH, "x" * MAX_TAG_LENGTH),
        ("  " + "x" * MAX_TAG_LENGTH + "  ", "x" * MAX_TAG_LENGTH),  # length after stripping
    ],
)
def test_normalise_label(label: str, expected: str) -> None:
    assert normalise_label(label=label) == expected


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("", "A source tag cannot be empty."),
        (" \n\t ", "A source tag cannot be empty."),
        (
            "x" * (MAX_TAG_LENGTH + 1),
            f"A source tag can be at most {MAX_TAG_LENGTH} characters long.",
        ),
        ("Reuters; AP", "A source tag cannot contain a semicolon (;)."),
        (";", "A source tag cannot contain a semicolon (;)."),
    ],
)
def test_normalise_label_errors(label: str, message: str) -> None:
    with pytest.raises(SourceTagError) as info:
        normalise_label(label=label)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


@pytest.mark.django_db
def test_an_outlet_of_the_workspaces_articles_is_read_as_a_medium(workspace, alice):
    """ "laut Hinterland-Kurier": unknown to the gazetteer, but the workspace imports it."""
    from factories import make_article

    from annotations import services

    article = make_article(workspace=workspace, user=alice, outlet="Hinterland-Kurier")
    claim = services.create_claim(article=article, author=alice, exact=article.title[:20])
    tag = services.add_tag(claim=claim, label="laut Hinterland-Kurier", user=alice)
    assert (tag.outlet, tag.cited) == ("Hinterland-Kurier", "")
