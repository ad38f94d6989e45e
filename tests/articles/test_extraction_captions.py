"""Captions that the markup ties to their image without any caption class: the folded-out
description repeating the image's alt text, and the target of an image's aria-describedby."""

from articles.html_extraction import extract_page

BODY = "".join(
    f"<p>Paragraph {n} of the report says the harbour board met again on Monday and agreed "
    f"to dredge the old basin, which the ferry crews had asked for since the winter storms.</p>"
    for n in range(1, 6)
)
ALT = "Ferry crews tie up at the old basin after the storm closed the outer harbour."


def _page(figure: str) -> str:
    return (
        "<html><head><title>Harbour to be dredged</title></head><body><article>"
        f"<h1>Harbour to be dredged</h1>{figure}<div class='story'>{BODY}</div>"
        "</article></body></html>"
    )


def _kinds(html: str) -> dict[str, str]:
    return {s.text: s.kind for s in extract_page(html=html).segments}


def test_folded_description_repeating_the_alt_text_is_a_caption() -> None:
    figure = (
        f"<div class='media-x'><picture><img src='a.jpg' alt='{ALT}'></picture>"
        "<button>Show description</button></div>"
        f"<div class='m2' style='display:none'><span>{ALT}</span><small>Jane Roe</small></div>"
    )
    kinds = _kinds(_page(figure))
    assert kinds.get(f"{ALT} Jane Roe") == "caption"


def test_teaser_repeating_its_alt_text_is_not_made_a_caption() -> None:
    teaser = (
        f"<div class='box'><a href='/other'><img src='b.jpg' alt='{ALT}'></a></div>"
        f"<div class='t'><a href='/other'>{ALT}</a></div>"
    )
    summary = (
        f"<div class='q'><img src='c.jpg' alt='{ALT}'></div>"
        f"<div class='w'>{ALT} The board also looked at new berths, a fuel dock and a longer "
        "breakwater for the fishing fleet.</div>"
    )
    for html in (_page(teaser), _page(summary)):
        assert "caption" not in _kinds(html).values()


def test_element_named_by_an_images_aria_describedby_is_a_caption() -> None:
    figure = (
        "<div class='m'><img src='a.jpg' alt='' aria-describedby='d1'></div>"
        "<div class='zz'><p class='x' id='d1'>The dredger Anna at work in the old basin, "
        "where the silt had built up for a decade.</p></div>"
    )
    kinds = _kinds(_page(figure))
    text = "The dredger Anna at work in the old basin, where the silt had built up for a decade."
    assert kinds.get(text) == "caption"


def test_short_alt_text_echo_is_not_enough() -> None:
    figure = "<div class='m'><img src='a.jpg' alt='Harbour'></div><div class='n'>Harbour</div>"
    assert "caption" not in _kinds(_page(figure)).values()


def test_figure_without_visible_caption_takes_its_data_caption() -> None:
    figure = (
        "<figure><img src='a.jpg' alt='photo of harbour' "
        "data-caption='<p>The old basin at low tide, before the dredging starts.</p>'>"
        "</figure>"
    )
    kinds = _kinds(_page(figure))
    assert kinds.get("The old basin at low tide, before the dredging starts.") == "caption"
    assert "photo of harbour" not in kinds


def test_author_name_alone_under_the_text_is_not_body_text() -> None:
    html = _page("").replace(
        "<title>Harbour to be dredged</title>",
        "<title>Harbour to be dredged</title><meta name='author' content='Mira Holt'>",
    )
    html = html.replace("</div></article>", "<p>Mira Holt</p></div></article>")
    segments = extract_page(html=html).segments
    assert [s.kind for s in segments if s.text == "Mira Holt"] == ["boilerplate"]
    assert sum(s.kind == "paragraph" for s in segments) == 5
