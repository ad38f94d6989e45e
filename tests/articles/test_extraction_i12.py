"""Issue 12: the lead kept, subheadings flagged, junk out of the body, no page with text
refused, and a reported sentence above a photo credit left as text."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from factories import add_member, make_workspace
from job_helpers import finish_web_import
from lxml import etree

from articles import services
from articles.html_extraction import _body_blocks, extract_page
from articles.models import Block
from articles.rendering import block_html
from articles.segmentation import segment_text
from workspaces.models import Role

BODY = "".join(
    f"<p>Paragraph {n} of the report says the council met again on Tuesday and agreed on "
    f"more money for the night buses, which shift workers had asked for since spring.</p>"
    for n in range(1, 6)
)
LEAD = (
    "Shift workers in the city have waited years for night buses. Now the council has "
    "found the money, and the first lines start in March."
)


def _page(*, head: str = "", header: str = "", body: str = BODY) -> str:
    return (
        f"<html><head><title>Night buses approved</title>{head}</head><body>"
        f"<article><header><h1>Night buses approved</h1>{header}</header>"
        f"<div class='article-body'>{body}</div></article></body></html>"
    )


def _paragraphs(html: str) -> list[str]:
    return [s.text for s in extract_page(html=html).segments if s.kind == "paragraph"]


def test_lead_from_description_is_the_first_body_paragraph() -> None:
    html = _page(
        head=f'<meta property="og:description" content="{LEAD}">',
        header=f"<div class='x1'><span>{LEAD}</span></div>",
    )
    assert _paragraphs(html)[0] == LEAD


def test_description_that_is_not_in_the_page_is_not_made_a_lead() -> None:
    html = _page(head=f'<meta property="og:description" content="{LEAD}">')
    assert LEAD not in _paragraphs(html)


def test_lead_marked_by_class_is_kept_without_description() -> None:
    html = _page(header=f"<p class='article-intro'>{LEAD}</p>")
    assert _paragraphs(html)[0] == LEAD


def test_subheading_inside_the_body_is_a_flagged_paragraph() -> None:
    body = BODY[: len(BODY) // 2 + 40]
    cut = body.rfind("<p>")
    html = _page(body=BODY[:cut] + "<h2>What changes for riders</h2>" + BODY[cut:])
    segments = extract_page(html=html).segments
    heads = [s for s in segments if s.text == "What changes for riders"]
    assert heads and heads[0].kind == "paragraph" and heads[0].subheading
    assert not any(s.subheading for s in segments if s.text != "What changes for riders")


def test_script_state_and_appeals_are_not_body_text() -> None:
    junk = (
        "<p>showPaywall:</p><p>false</p><p>isSubscriber:</p><p>false</p>"
        "<p>Unterstützen Sie unabhängigen Journalismus: jetzt unterstützen und die taz "
        "freiwillig bezahlen.</p>"
    )
    paragraphs = _paragraphs(_page(body=BODY + junk))
    assert not any(p in ("showPaywall:", "false", "isSubscriber:") for p in paragraphs)
    assert not any("unterstützen" in p for p in paragraphs)


def test_drop_cap_is_joined_to_its_word() -> None:
    body = (
        "<p><span class='initial'>N</span>a endlich! Nach Jahren des Wartens fahren die "
        "Nachtbusse wieder durch die ganze Stadt, sagte die Sprecherin am Dienstag.</p>" + BODY
    )
    paragraphs = _paragraphs(_page(body=body))
    assert any(p.startswith("Na endlich!") for p in paragraphs)


def test_reported_sentence_before_a_credit_line_stays_a_paragraph() -> None:
    text = (
        "Talks end without a deal\n\n"
        "The delegation is expected to return next week, according to a statement from "
        "the foreign ministry.\n\nPhoto: Ministry handout (Reuters/Jane Doe)\n\n"
        "The talks had resumed on Monday and went on for hours in the capital."
    )
    kinds = {s.text: s.kind for s in segment_text(text=text)}
    assert kinds["Photo: Ministry handout (Reuters/Jane Doe)"] == "caption"
    assert (
        kinds[
            "The delegation is expected to return next week, according to a statement "
            "from the foreign ministry."
        ]
        == "paragraph"
    )


def test_caption_text_before_a_credit_line_is_still_a_caption() -> None:
    text = (
        "Talks end without a deal\n\nThe talks had resumed on Monday and went on for hours "
        "in the capital.\n\nThe foreign minister at the airport in Vienna\n\n"
        "Foto: Kay Nietfeld / dpa\n\nMore text follows here about the talks and the deal."
    )
    kinds = {s.text: s.kind for s in segment_text(text=text)}
    assert kinds["The foreign minister at the airport in Vienna"] == "caption"


NO_TITLE = (
    "<html><body><div class='story'><p>The city council voted on Tuesday to expand the "
    "night bus network, after months of complaints from shift workers.</p><p>The new "
    "lines start in March and will run every thirty minutes, the office said.</p>"
    "</div></body></html>"
)


def test_page_without_title_gets_file_name_and_warning() -> None:
    draft = services.draft_from_html(html=NO_TITLE, name="/tmp/night-buses.html.gz")
    assert draft.title == "night-buses"
    assert draft.warnings and "night-buses" in draft.warnings[0]


def test_page_without_title_takes_its_first_heading_like_line() -> None:
    html = NO_TITLE.replace("<p>The city", "<p>Night buses for everyone</p><p>The city")
    draft = services.draft_from_html(html=html, name="page.html")
    assert draft.title == "Night buses for everyone"


def test_dry_run_reports_warnings_and_subheadings_and_exits_zero(tmp_path) -> None:
    page = tmp_path / "untitled.html"
    page.write_text(NO_TITLE, encoding="utf-8")
    cut = BODY.find("<p>Paragraph 3")
    sub = tmp_path / "sub.html"
    sub.write_text(
        _page(body=BODY[:cut] + "<h2>What changes for riders</h2>" + BODY[cut:]), encoding="utf-8"
    )
    out = io.StringIO()
    call_command(
        "import_article", "--dry-run", str(page), str(sub), stdout=out, stderr=io.StringIO()
    )
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["title"] == "untitled" and first["warnings"]
    assert "warnings" not in second
    flagged = [b for b in second["blocks"] if b.get("subheading")]
    assert [b["text"] for b in flagged] == ["What changes for riders"]
    assert all(b["kind"] == "paragraph" for b in flagged)
    assert all("subheading" not in b for b in second["blocks"] if b not in flagged)


@pytest.mark.django_db
def test_subheading_is_saved_and_rendered_as_a_heading(alice) -> None:
    workspace = make_workspace(owner=alice)
    cut = BODY.find("<p>Paragraph 3")
    draft = services.draft_from_html(
        html=_page(body=BODY[:cut] + "<h2>What changes for riders</h2>" + BODY[cut:])
    )
    article = services.save_draft(draft=draft, workspace=workspace, user=alice, source="html")
    block = Block.objects.get(article=article, text="What changes for riders")
    assert block.is_subheading and block.kind == "paragraph"
    html = block_html(block=block)
    assert 'data-block-kind="paragraph"' in html and "data-subheading" in html
    assert "<h2 " in html
    other = Block.objects.filter(article=article, kind="paragraph", is_subheading=False).first()
    assert "data-subheading" not in block_html(block=other)


@pytest.mark.django_db
def test_writer_edits_the_title(alice, bob, charlie, client) -> None:
    workspace = make_workspace(owner=alice)
    add_member(workspace=workspace, user=bob, role=Role.VIEWER)
    draft = services.draft_from_html(html=NO_TITLE, name="untitled.html")
    article = services.save_draft(draft=draft, workspace=workspace, user=alice, source="html")
    url = f"/articles/{article.pk}/title/"
    client.force_login(alice)
    assert "Edit title" in client.get(article.get_absolute_url()).content.decode()
    response = client.post(url, {"title": "  Night buses   approved "})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Night buses approved"
    assert client.post(url, {"title": "   "}).status_code == 302
    article.refresh_from_db()
    assert article.title == "Night buses approved"
    for outsider in (bob, charlie):  # a viewer, a non-member
        client.force_login(outsider)
        assert client.post(url, {"title": "Hijacked"}).status_code == 404
    article.refresh_from_db()
    assert article.title == "Night buses approved"


def test_teaser_list_of_links_inside_the_article_is_related() -> None:
    teasers = "".join(
        f"<li><strong>Kicker {n}: </strong><a href='/story-{n}'>Another story number {n}</a></li>"
        for n in range(1, 5)
    )
    cut = BODY.find("<p>Paragraph 4")
    html = _page(body=BODY[:cut] + f"<ul>{teasers}</ul>" + BODY[cut:])
    kinds = {s.text: s.kind for s in extract_page(html=html).segments}
    teaser_kinds = {kind for text, kind in kinds.items() if "Another story" in text}
    assert teaser_kinds == {"related"}
    assert sum(1 for kind in kinds.values() if kind == "paragraph") >= 5


def test_short_list_inside_the_article_stays_body_text() -> None:
    items = "".join(f"<li>Line {n} runs every thirty minutes at night</li>" for n in range(1, 5))
    cut = BODY.find("<p>Paragraph 4")
    html = _page(body=BODY[:cut] + f"<ul>{items}</ul>" + BODY[cut:])
    assert "Line 2 runs every thirty minutes at night" in _paragraphs(html)


def test_script_dump_is_one_boilerplate_block() -> None:
    junk = "<p>showPaywall:</p><p>false</p><p>isSubscriber:</p><p>false</p>"
    segments = extract_page(html=_page(body=BODY + junk)).segments
    dumps = [s for s in segments if "showPaywall" in s.text]
    assert [(s.kind, s.text) for s in dumps] == [
        ("boilerplate", "showPaywall: false isSubscriber: false")
    ]


def test_ids_and_share_prompts_in_caption_boxes_are_not_captions() -> None:
    figures = (
        "<figure><img src='a.jpg'><figcaption>6236752 5928990</figcaption></figure>"
        "<div class='image-caption'>Diesen Artikel teilen</div>"
        "<figure><img src='b.jpg'><figcaption>Riders waiting at the main station at "
        "night Foto: Jane Doe</figcaption></figure>"
    )
    cut = BODY.find("<p>Paragraph 2")
    segments = extract_page(html=_page(body=BODY[:cut] + figures + BODY[cut:])).segments
    kinds = {s.text: s.kind for s in segments}
    assert kinds["6236752 5928990"] == "boilerplate"
    assert kinds["Diesen Artikel teilen"] == "boilerplate"
    assert kinds["Riders waiting at the main station at night Foto: Jane Doe"] == "caption"


@pytest.mark.parametrize(
    "html",
    [
        # text straight in <body>, no paragraphs
        "<html><body>The council voted on Tuesday to expand the night bus network after months of "
        "complaints.<br>The new lines start in March.</body></html>",
        # a page whose text is only in its JSON-LD articleBody (rendered by script)
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "articleBody": '
        '"The council voted on Tuesday to expand the night bus network after months of complaints '
        'from shift workers."}</script></head><body><div id="app"></div></body></html>',
    ],
)
def test_page_with_text_that_the_precise_pass_misses_is_imported(html) -> None:
    draft = services.draft_from_html(html=html, name="bus.html")
    body = [s.text for s in draft.segments if s.kind == "paragraph"]
    assert any("night bus network" in text for text in body)
    assert draft.title  # guessed, with a warning


def test_teasers_after_a_dont_miss_label_and_see_more_lines_are_related() -> None:
    teasers = (
        "<p>DON'T MISS</p><p>China furious at Macron over protest jibe [INSIGHT] "
        "Lakers vs Nets: NBA makes final decision [VIDEO]</p>"
        "<p>SEE MORE: Hong Kong protests: 800 students under siege</p>"
    )
    cut = BODY.find("<p>Paragraph 4")
    segments = extract_page(html=_page(body=BODY[:cut] + teasers + BODY[cut:])).segments
    kinds = {s.text: s.kind for s in segments}
    assert kinds["DON'T MISS"] == "related"
    assert (
        kinds[
            "China furious at Macron over protest jibe [INSIGHT] Lakers vs Nets: NBA makes "
            "final decision [VIDEO]"
        ]
        == "related"
    )
    assert kinds["SEE MORE: Hong Kong protests: 800 students under siege"] == "related"
    assert sum(1 for kind in kinds.values() if kind == "paragraph") == 5


def test_production_credits_and_broadcast_notes_are_not_body_text() -> None:
    extra = (
        "<p>Übersetzung: Tristan Beispiel, Redaktion: Theresa Muster, Schlussredaktion: "
        "Lea Probe</p><p>Sendung: Antenne Beispiel, 24.04.2024, 15:10 Uhr</p>"
    )
    paragraphs = _paragraphs(_page(body=BODY + extra))
    assert not any(p.startswith(("Übersetzung:", "Sendung:")) for p in paragraphs)
    assert len(paragraphs) == 5


def test_text_between_the_blocks_of_the_extracted_body_is_kept() -> None:
    # trafilatura's output for a deals page: each description is the loose tail of its
    # heading (in the page it sits after an image link, in no <p>)
    body = etree.fromstring(
        "<body>Intro text of the page.<head>Deal 1: a controller for $39.99</head>"
        "The price of controller 1 has dropped.<p>Get it for $39.99</p>"
        "<head>Deal 2</head>The price of controller 2 has dropped.</body>"
    )
    assert [text for _, text in _body_blocks(body)] == [
        "Intro text of the page.",
        "Deal 1: a controller for $39.99",
        "The price of controller 1 has dropped.",
        "Get it for $39.99",
        "Deal 2",
        "The price of controller 2 has dropped.",
    ]


def test_contributor_follow_and_update_lines_are_not_body_text() -> None:
    extra = (
        "<p>Keith Example contributed reporting from Hong Kong.</p>"
        "<p>(Reporting by Jane Doe; editing by John Roe)</p>"
        "<p>Updated at 1:23 p.m.</p>"
        "<p>Follow The Example Times Opinion section on Facebook and Twitter.</p>"
        '<p>[button link="/submit" type="big"] Send us YOUR review[/button]</p>'
        "<p>&gt;&gt; Hier finden Sie außerdem alle Termine im Überblick</p>"
    )
    paragraphs = _paragraphs(_page(body=BODY + extra))
    assert len(paragraphs) == 5, paragraphs


def test_a_sentence_about_following_someone_stays_body_text() -> None:
    text = (
        "The senator said voters would follow the money trail on Twitter and elsewhere, "
        "and that the campaign had nothing to hide from them."
    )
    assert text in _paragraphs(_page(body=BODY + f"<p>{text}</p>"))


def test_an_english_dek_is_not_made_the_lead_but_a_german_vorspann_is() -> None:
    dek = "The council's vote ends a long fight over night buses across the whole city."
    head = f'<meta property="og:description" content="{dek}">'
    header = f"<p class='article-summary'>{dek}</p>"
    english = _page(head=head, header=header).replace("<html>", "<html lang='en'>")
    german = _page(head=head, header=header).replace("<html>", "<html lang='de'>")
    assert dek not in _paragraphs(english)
    assert _paragraphs(german)[0] == dek


def test_the_headline_after_its_kicker_is_not_a_body_paragraph() -> None:
    body = "<h2>Umbau am Bahnhof Night buses approved</h2>" + BODY
    assert not any("Night buses approved" in p for p in _paragraphs(_page(body=body)))


UNTITLED = (
    b"<html><body><div><p>The council voted on Tuesday to expand the night bus network after "
    b"months of complaints from shift workers across the city.</p><p>The new lines start in "
    b"March, the transport office said in a statement on Wednesday.</p></div></body></html>"
)


@pytest.mark.django_db
def test_web_import_of_a_page_without_title_says_so_and_the_title_can_be_edited(
    alice_client, workspace
) -> None:
    upload = SimpleUploadedFile("night-buses.html", UNTITLED)
    response = finish_web_import(
        alice_client, alice_client.post(reverse("articles:import_web"), {"file": upload})
    )
    assert response.status_code == 302  # the single page lands on its article
    article = workspace.articles.get()
    page = alice_client.get(response["Location"]).content.decode()
    assert "Check this import: The page has no title" in page
    assert reverse("articles:rename", args=[article.pk]) in page  # the title can be edited
    response = alice_client.post(
        reverse("articles:rename", args=[article.pk]), {"title": "Night buses for the city"}
    )
    article.refresh_from_db()
    assert article.title == "Night buses for the city"


@pytest.mark.django_db
def test_batch_page_shows_a_guessed_title_with_a_form_to_edit_it(alice_client, workspace) -> None:
    files = [
        SimpleUploadedFile("night-buses.html", UNTITLED),
        SimpleUploadedFile("titled.html", UNTITLED.replace(b"<body>", b"<body><h1>Buses</h1>")),
    ]
    page = finish_web_import(
        alice_client, alice_client.post(reverse("articles:import_batch"), {"files": files})
    ).content.decode()
    untitled = workspace.articles.exclude(title="Buses").get()
    assert page.count("The page has no title") == 1
    assert f'action="{reverse("articles:rename", args=[untitled.pk])}"' in page
    assert f'value="{untitled.title}"' in page


def test_author_box_and_the_heading_of_a_closing_appeal_are_not_article_text() -> None:
    appeal = (
        "<h3>Read left, fight right</h3><p>Gerade jetzt braucht es Zusammenhalt. Unterstützen "
        "Sie unabhängigen Journalismus mit einem freiwilligen Beitrag.</p>"
        "<div class='x9'><img src='me.jpg'><p>Jane Writer Redakteurin seit 2019.</p></div>"
    )
    head = '<meta name="author" content="Jane Writer">'
    segments = extract_page(html=_page(head=head, body=BODY + appeal)).segments
    kinds = {s.text: s.kind for s in segments}
    assert kinds.get("Read left, fight right", "boilerplate") == "boilerplate"
    assert kinds.get("Jane Writer Redakteurin seit 2019.", "boilerplate") == "boilerplate"
    assert sum(1 for s in segments if s.kind == "paragraph") == 5


def test_notes_about_the_piece_and_arrow_links_are_not_body_text() -> None:
    extra = (
        "<p>Dieser Artikel ist eine Übersetzung, im Original ist er in der Zeitung X erschienen."
        "</p><p>&gt;&gt; Sie suchen einen Kredit? Unser Vergleich zeigt aktuelle Konditionen.</p>"
        "<p>ssi, dan; Foto [M]: Shutterstock; Erstveröffentlichung: 4.4.18</p>"
    )
    kinds = {s.text: s.kind for s in extract_page(html=_page(body=BODY + extra)).segments}
    assert sum(1 for kind in kinds.values() if kind == "paragraph") == 5
    assert kinds["ssi, dan; Foto [M]: Shutterstock; Erstveröffentlichung: 4.4.18"] == "caption"


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Ukrainische Gegenoffensive | DW | 28.04.2023", "DW.COM", "Ukrainische Gegenoffensive"),
        (
            "Hat Quantumscape genug Akkus gebaut? - Golem.de",
            "",
            "Hat Quantumscape genug Akkus gebaut?",
        ),
        ("Investigating WeWork – TechCrunch", "TechCrunch", "Investigating WeWork"),
        # a dash inside the headline itself stays
        (
            "Rückschlag im Titelkampf - Liverpool verliert",
            "Sportschau",
            "Rückschlag im Titelkampf - Liverpool verliert",
        ),
    ],
)
def test_the_site_name_after_the_headline_is_not_part_of_the_title(title, site, expected) -> None:
    head = (
        f'<meta property="og:title" content="{title}">'
        f'<meta property="og:site_name" content="{site}">'
    )
    assert extract_page(html=_page(head=head)).metadata.title == expected
