"""Tests for articles.html_extraction (pure Python; fixtures in tests/fixtures/html)."""

from pathlib import Path

import pytest

from articles.html_extraction import (
    ExtractedPage,
    PageMetadata,
    Segment,
    decode_html,
    extract_page,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
KINDS = {"headline", "paragraph", "caption", "related", "boilerplate"}


def _page(name: str, url: str = "") -> ExtractedPage:
    body = (FIXTURES / name).read_bytes()
    return extract_page(html=decode_html(body=body), url=url)


def _kinds(page: ExtractedPage) -> list[str]:
    return [s.kind for s in page.segments]


def _find(page: ExtractedPage, needle: str) -> list[Segment]:
    return [s for s in page.segments if needle in s.text]


def _index(page: ExtractedPage, needle: str) -> int:
    for i, s in enumerate(page.segments):
        if needle in s.text:
            return i
    raise AssertionError(f"{needle!r} not found")


@pytest.fixture(scope="module")
def en() -> ExtractedPage:
    return _page("en_article.html", url="https://www.example.com/news/x?utm=1")


@pytest.fixture(scope="module")
def de() -> ExtractedPage:
    return _page("de_artikel.html")


# --- structure ------------------------------------------------------------------------------


def test_result_types_and_plain_text(en: ExtractedPage, de: ExtractedPage) -> None:
    for page in (en, de):
        assert isinstance(page, ExtractedPage)
        assert isinstance(page.metadata, PageMetadata)
        assert page.segments and all(isinstance(s, Segment) for s in page.segments)
        assert set(_kinds(page)) <= KINDS
        for s in page.segments:
            assert s.text == " ".join(s.text.split())  # normalised whitespace
            assert "<" not in s.text and ">" not in s.text  # no markup


def test_headline_first_and_once(en: ExtractedPage, de: ExtractedPage) -> None:
    assert en.segments[0] == Segment("headline", "Council approves new river bridge")
    assert de.segments[0] == Segment("headline", "Stadt plant neue Straßenbahnlinie")
    assert _kinds(en).count("headline") == 1
    assert not [s for s in en.segments[1:] if s.text == "Council approves new river bridge"]


def test_body_paragraphs_in_reading_order(en: ExtractedPage) -> None:
    body = [s.text for s in en.segments if s.kind == "paragraph"]
    assert body[0].startswith("The city council on Tuesday approved plans")
    assert body[-1].startswith("Work on the riverbank foundations")
    assert len(body) == 6


def test_subheading_is_kept_as_paragraph(en: ExtractedPage) -> None:
    assert Segment("paragraph", "Costs and funding", subheading=True) in en.segments
    assert _index(en, "Costs and funding") < _index(en, "The bridge will cost")


def test_lead_paragraph_is_body(de: ExtractedPage) -> None:
    (lead,) = _find(de, "bis 2030 eine neue Straßenbahnlinie")
    assert lead.kind == "paragraph"


# --- captions ---------------------------------------------------------------------------------


def test_figure_caption_and_credit_at_their_place_en(en: ExtractedPage) -> None:
    (cap,) = _find(en, "artist's impression")
    assert cap.kind == "caption"
    assert "Photo: City Council" in cap.text
    assert _index(en, "artist's impression") < _index(en, "The city council on Tuesday")
    assert not [s for s in en.segments if s.kind == "paragraph" and "City Council" in s.text]


def test_figure_caption_and_credit_at_their_place_de(de: ExtractedPage) -> None:
    (cap,) = _find(de, "Eine Straßenbahn am Hauptbahnhof")
    assert cap.kind == "caption"
    assert "Foto: Erika Beispiel/dpa" in cap.text
    assert _index(de, "täglich rund zwanzigtausend") < _index(de, "Eine Straßenbahn am")
    assert _index(de, "Eine Straßenbahn am") < _index(de, "Die Kosten werden")


def test_credit_line_inside_body_is_caption() -> None:
    html = (
        "<html><body><article><h1>Storm hits the coast</h1>"
        + "".join(
            f"<p>Paragraph {i} of the report describes the storm damage along the coast in "
            "considerable detail so that the extractor has enough text to work with.</p>"
            for i in range(4)
        )
        + "<p>Photo: John Smith/Reuters</p>"
        + "<p>The coast guard said all boats had returned to the harbour before the storm "
        "reached its peak late on Sunday night.</p></article></body></html>"
    )
    page = extract_page(html=html)
    assert Segment("caption", "Photo: John Smith/Reuters") in page.segments
    assert not [s for s in page.segments if s.kind == "paragraph" and "John Smith" in s.text]


# --- related and boilerplate ----------------------------------------------------------------


def test_teaser_box_is_related(en: ExtractedPage, de: ExtractedPage) -> None:
    assert {s.kind for s in _find(en, "Town plans new cycle lanes")} == {"related"}
    assert {s.kind for s in _find(de, "Neue Radwege in der Innenstadt")} == {"related"}
    assert {s.kind for s in _find(de, "Lesen Sie auch")} == {"related"}
    # kept at its place inside the article
    assert _index(en, "Town plans new cycle lanes") < _index(en, "Residents who opposed")


def test_share_bar_is_boilerplate(en: ExtractedPage, de: ExtractedPage) -> None:
    assert {s.kind for s in _find(en, "Share on Facebook")} == {"boilerplate"}
    assert {s.kind for s in _find(de, "Artikel teilen")} == {"boilerplate"}


def test_newsletter_prompt_is_boilerplate(en: ExtractedPage, de: ExtractedPage) -> None:
    assert {s.kind for s in _find(en, "morning newsletter")} == {"boilerplate"}
    assert {s.kind for s in _find(de, "Newsletter abonnieren")} == {"boilerplate"}


def test_comments_section_is_boilerplate(en: ExtractedPage, de: ExtractedPage) -> None:
    assert {s.kind for s in _find(en, "About time this town")} == {"boilerplate"}
    assert {s.kind for s in _find(de, "Endlich tut sich etwas")} == {"boilerplate"}


def test_cookie_text_in_article_is_boilerplate_site_banner_dropped(
    en: ExtractedPage, de: ExtractedPage
) -> None:
    assert {s.kind for s in _find(de, "Wir verwenden Cookies")} == {"boilerplate"}
    assert not _find(de, "Diese Website verwendet Cookies")  # site-wide banner: not imported
    assert not _find(en, "We use cookies")


def test_navigation_and_footer_not_imported(en: ExtractedPage, de: ExtractedPage) -> None:
    for needle in ("Home", "Sport", "All rights reserved", "Privacy policy"):
        assert not [s for s in en.segments if s.text == needle or needle in s.text], needle
    for needle in ("Startseite", "Impressum", "Datenschutz"):
        assert not _find(de, needle), needle


def test_body_has_no_boilerplate_or_related(en: ExtractedPage, de: ExtractedPage) -> None:
    for page in (en, de):
        body = " ".join(s.text for s in page.segments if s.kind == "paragraph")
        for needle in (
            "Share on",
            "newsletter",
            "Newsletter",
            "Kommentare",
            "Comments",
            "Radwege",
            "cycle lanes",
            "Foto:",
            "Photo:",
            "Cookies",
        ):
            assert needle not in body, needle


# --- metadata --------------------------------------------------------------------------------


def test_metadata_from_meta_tags(en: ExtractedPage) -> None:
    assert en.metadata == PageMetadata(
        title="Council approves new river bridge",
        site_name="The Daily Example",
        author="Jane Doe",
        published="2024-03-05",
        language="en",
        canonical_url="https://www.example.com/news/2024/council-bridge",
    )


def test_metadata_from_json_ld_and_og_url(de: ExtractedPage) -> None:
    assert de.metadata == PageMetadata(
        title="Stadt plant neue Straßenbahnlinie",
        site_name="Beispielzeitung",
        author="Max Müller",
        published="2023-11-20",
        language="de",
        canonical_url="https://www.beispielzeitung.de/lokales/strassenbahn-123.html",
    )


def test_metadata_fallbacks() -> None:
    html = (
        '<html lang="pt-BR"><head><title>Plain title</title></head><body><article>'
        "<h1>Plain title</h1>"
        + "<p>Texto do artigo com palavras suficientes aqui.</p>" * 8
        + "</article></body></html>"
    )
    page = extract_page(html=html, url="https://example.org/a")
    assert page.metadata.title == "Plain title"
    assert page.metadata.language == "pt"
    assert page.metadata.canonical_url == "https://example.org/a"
    assert page.metadata.published == ""
    assert page.metadata.site_name == ""


def test_empty_or_broken_input() -> None:
    page = extract_page(html="")
    assert page.segments == []
    page = extract_page(html="<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert all(s.kind != "paragraph" for s in page.segments)


# --- charsets --------------------------------------------------------------------------------

UMLAUTS = "Die Wählerinnen und Wähler in Süderstadt"


def _charset_page(name: str, header: str = "") -> tuple[str, ExtractedPage]:
    text = decode_html(body=(FIXTURES / name).read_bytes(), content_type_header=header)
    return text, extract_page(html=text)


def test_charset_utf8_from_http_header() -> None:
    text, page = _charset_page("de_utf8_header.html", "text/html; charset=UTF-8")
    assert UMLAUTS in text
    assert page.metadata.title == "Bürgermeisterwahl in Süderstadt"
    assert page.segments[1].text.startswith(UMLAUTS)


def test_charset_latin1_from_meta_only() -> None:
    text, page = _charset_page("de_latin1_meta.html")
    assert UMLAUTS in text and "Außerdem" in text
    assert any("Öffnungszeiten der Bäder" in s.text for s in page.segments)


def test_charset_undeclared_is_detected() -> None:
    text, page = _charset_page("de_undeclared_cp1252.html")
    assert UMLAUTS in text and "größere Grünflächen" in text
    assert page.metadata.title == "Bürgermeisterwahl in Süderstadt"


def test_charset_header_wins_over_meta() -> None:
    body = '<html><head><meta charset="iso-8859-1"></head><body>Grüße</body></html>'
    text = decode_html(body=body.encode("utf-8"), content_type_header="text/html; charset=utf-8")
    assert "Grüße" in text


def test_charset_bom_and_http_equiv() -> None:
    assert "Grüße" in decode_html(body=b"\xef\xbb\xbf<p>Gr\xc3\xbc\xc3\x9fe</p>")
    assert not decode_html(body=b"\xef\xbb\xbf<p>x</p>").startswith("\ufeff")
    body = (
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        b"<p>Gr\xfc\xdfe \x80</p>"
    )
    assert "Grüße €" in decode_html(body=body)


def test_charset_unknown_label_falls_back() -> None:
    body = "Grüße".encode("cp1252")
    text = decode_html(body=body, content_type_header="text/html; charset=x-nope")
    assert text == "Grüße"


# --- galleries / slideshows -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "captions", "controls"),
    [
        (
            "en_gallery.html",
            [
                "Image 1 of 3 Sailing boats crowd the old harbour on the first evening of the "
                "festival, Friday, May 3, 2024. Photo: Ann Carter, AP",
                "Image 2 of 3 A street band plays on the pier as visitors queue for the ferry to "
                "the lighthouse. Photo: Ann Carter, AP",
                "Image 3 of 3 Fireworks light up the sky above the harbour wall shortly before "
                "midnight.",
            ],
            ["Caption", "Close", "Back to Gallery"],
        ),
        (
            "de_galerie.html",
            [
                "Bild 1 von 3 Segelboote im alten Hafen am ersten Abend des Festes. "
                "Foto: Max Muster/dpa",
                "Bild 2 von 3 Eine Blaskapelle spielt auf dem Anleger, während Besucher auf die "
                "Fähre zum Leuchtturm warten. Foto: Max Muster/dpa",
                "Bild 3 von 3 Ein Feuerwerk erleuchtet kurz vor Mitternacht den Himmel über der "
                "Hafenmauer.",
            ],
            ["Bildunterschrift", "Schließen", "Zurück zur Galerie"],
        ),
    ],
)
def test_gallery_captions_with_counters_in_order(
    name: str, captions: list[str], controls: list[str]
) -> None:
    page = _page(name)
    got = [s.text for s in page.segments if s.kind == "caption"]
    # one caption per slide, in order, counter first, full/truncated twins merged
    assert got == captions
    body = " ".join(s.text for s in page.segments if s.kind == "paragraph")
    for cap in captions:
        assert cap.split(" ", 3)[3][:40] not in body
    # gallery controls are never captions or body text
    for label in controls:
        assert not [
            s for s in page.segments if s.kind in ("caption", "paragraph") and s.text == label
        ]
    # the gallery sits at its place relative to the article text
    first_para = next(i for i, s in enumerate(page.segments) if s.kind == "paragraph")
    first_cap = _index(page, captions[0][:30])
    if name.startswith("en"):
        assert first_cap < first_para
    else:
        assert _index(page, "Das Fest erinnert") < first_cap < _index(page, "Die Geschäfte")


def test_gallery_title_with_counter_is_not_a_caption() -> None:
    html = (
        "<html><head><title>Storm hits the coast</title></head><body><article>"
        "<h1>Storm hits the coast</h1>"
        + "".join(
            f"<p>Paragraph {i} of the report describes the storm damage along the coast in "
            "considerable detail so that the extractor has enough text to work with.</p>"
            for i in range(4)
        )
        + '<div class="gallery-overlay-title">Storm hits the coast <span>1</span> / '
        "<span>5</span> Back to Gallery</div></article></body></html>"
    )
    page = extract_page(html=html)
    assert not [s for s in page.segments if s.kind == "caption"]
    assert not [s for s in page.segments if s.kind == "paragraph" and "Gallery" in s.text]


def test_only_trafilatura_public_api_is_used() -> None:
    """trafilatura's internals (trafilatura.utils, .htmlprocessing, …) change between releases;
    what its package exports (``trafilatura.__all__``) is the part that upgrades keep."""
    import ast

    import trafilatura

    import articles.html_extraction as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert "trafilatura" in imported
    assert not [name for name in imported if (name or "").startswith("trafilatura.")]
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "trafilatura"
    }
    assert used and used <= set(trafilatura.__all__)


def test_a_page_that_is_not_html_has_no_segments() -> None:
    page = extract_page(html="just some words, no markup", url="https://example.com/a")
    assert page.segments == []
    assert page.metadata.canonical_url == "https://example.com/a"


@pytest.mark.parametrize(
    "damage",
    [
        lambda html: (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">' + html
        ),
        lambda html: html.replace("<html", "<html/>\n<html", 1),
        lambda html: html.replace("</p>", "\x0b\x01</p>").replace("<p>", "<p>\ufffe"),
    ],
    ids=["slashed-doctype", "self-closing-html", "xml-invalid-characters"],
)
def test_what_libxml2_misparses_is_repaired(damage) -> None:
    html = (FIXTURES / "en_article.html").read_text(encoding="utf-8")
    html = html[html.index("<html") :]  # the fixture's own doctype goes: the damage adds one
    assert extract_page(html=damage(html)).segments == extract_page(html=html).segments
