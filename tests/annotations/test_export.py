"""Exporting claims: CSV (both layouts, filters, neutralisation), JSON-LD, permissions, CLI."""

import csv
import io
import json
import shutil
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from factories import SHARED, add_member, make_article, make_bulk_article, make_user, make_workspace
from offsets import block_index_at

from annotations import export, services
from annotations.models import Claim, ClaimTag, SourceTag

VALIDATOR = SHARED / "w3c" / "validate.py"


def validator_python() -> str:
    """An interpreter that can run the W3C checker (it needs jsonschema >= 4.18)."""
    for candidate in (sys.executable, shutil.which("python3")):
        if (
            candidate
            and subprocess.run(
                [candidate, "-c", "import jsonschema, referencing"], capture_output=True
            ).returncode
            == 0
        ):
            return candidate
    pytest.skip("the W3C checker needs jsonschema (pip install 'jsonschema>=4.18')")


def validate(path, *extra) -> subprocess.CompletedProcess:
    if not VALIDATOR.exists():
        pytest.skip(f"{VALIDATOR} is missing")
    return subprocess.run(
        [validator_python(), str(VALIDATOR), str(path), *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )


TRICKY_TEXT = (
    'Quotes "inside", commas, and more\n\n'
    'He said "we will, of course, comply" and left.\n\n'
    "Die Bundesregierung prüft die Lieferung – sagt Regierungssprecher Müller.\n\n"
    "Emoji reactions 🚀🔥 spread fast 👍🏽.\n\n"
    "قال المتحدث إن الوضع مستقر\n\n"
    "=SUM(A1:A9) looks like a formula\n\n"
    "-12 degrees, +5 points and @handle mentions"
)


def claim(
    article, author, quote, *, tags=(), note=None, status=None, visibility="workspace", replies=0
):
    made = services.create_claim(article=article, author=author, exact=quote, visibility=visibility)
    for label in tags:
        services.add_tag(claim=made, label=label, user=author)
    made.refresh_from_db()
    if note is not None or status is not None:
        made = services.update_claim(claim=made, version=made.version, note=note, status=status)
    for number in range(replies):
        services.add_reply(claim=made, author=author, body=f"Reply {number}")
    return made


def rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    return list(csv.reader(io.StringIO(text, newline="")))


def records(content: bytes) -> list[dict]:
    header, *body = rows(content)
    return [dict(zip(header, row, strict=True)) for row in body]


def download(client, url, **params) -> bytes:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    return b"".join(response.streaming_content)


def command(**options) -> bytes:
    out = io.StringIO()
    args = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            args.append(flag)
        elif isinstance(value, list | tuple):
            args += [flag, *map(str, value)]
        else:
            args += [flag, str(value)]
    call_command("export_claims", *args, stdout=out)
    return out.getvalue().encode()


@pytest.fixture
def tricky(workspace, alice):
    return make_article(
        workspace=workspace,
        user=alice,
        text=TRICKY_TEXT,
        title='Tricky, "quoted" title',
        outlet="Der Spiegel",
        url="https://example.com/artikel/über-straße?x=1&y=2",
        language="de",
    )


@pytest.fixture
def seeded(workspace, alice, bob, tricky):
    plain = make_article(workspace=workspace, user=bob, title="Plain article")
    claims = {
        "quotes": claim(
            tricky,
            alice,
            'He said "we will, of course, comply"',
            tags=["WSJ citing US officials", "Reuters"],
            note='Line one\nline "two", with comma',
            status="supported",
            replies=2,
        ),
        "german": claim(
            tricky,
            bob,
            "Die Bundesregierung prüft die Lieferung",
            tags=["Der Spiegel unter Berufung auf Regierungskreise"],
            status="disputed",
        ),
        "emoji": claim(
            tricky,
            alice,
            "Emoji reactions 🚀🔥 spread fast 👍🏽.",
            tags=["Reuters"],
            note='=HYPERLINK("http://evil")',
        ),
        "rtl": claim(
            tricky,
            bob,
            "قال المتحدث إن الوضع مستقر",
            tags=["@aljazeera"],
            note="-negative\tand tab",
        ),
        "formula": claim(
            tricky, alice, "=SUM(A1:A9) looks like a formula", tags=["+plus"], status="false"
        ),
        "untagged": claim(tricky, alice, "-12 degrees, +5 points"),
        "plain": claim(
            plain,
            bob,
            "The first paragraph says what happened",
            tags=["AP via officials"],
            status="opinion",
        ),
        "alice_private": claim(
            plain, alice, "A second paragraph adds detail", tags=["Reuters"], visibility="private"
        ),
        "bob_private": claim(
            plain, bob, "adds detail and context", tags=["Reuters"], visibility="private"
        ),
    }
    return claims


def expected_claim_cells(claim_obj: Claim, *, raw: bool = False) -> dict:
    """What a `claims` row must hold, computed independently with the ORM and anchoring."""
    article = claim_obj.article
    texts = list(article.blocks.order_by("position").values_list("text", flat=True))
    kinds = list(article.blocks.order_by("position").values_list("kind", flat=True))
    tags = [
        ct.tag
        for ct in ClaimTag.objects.filter(claim=claim_obj)
        .select_related("tag")
        .order_by("added_at", "id")
    ]

    def cell(value: str) -> str:
        return value if raw else export.neutralise(value)

    return {
        "claim_id": str(claim_obj.pk),
        "article_id": str(article.pk),
        "article_title": cell(article.title),
        "article_url": cell(article.url),
        "outlet": cell(article.outlet),
        "language": cell(article.language),
        "block_kind": kinds[block_index_at(block_texts=texts, offset=claim_obj.start)],
        "claim_text": cell(claim_obj.exact),
        "prefix": cell(claim_obj.prefix),
        "suffix": cell(claim_obj.suffix),
        "start": str(claim_obj.start),
        "end": str(claim_obj.end),
        "source_tags": cell("; ".join(t.label for t in tags)),
        "tag_outlets": cell("; ".join(t.outlet for t in tags)),
        "tag_cited": cell("; ".join(t.cited for t in tags)),
        "anonymous_source": "true" if any(t.anonymous for t in tags) else "false",
        "status": claim_obj.status,
        "note": cell(claim_obj.note),
        "annotator": claim_obj.author.username,
        "workspace": claim_obj.workspace.slug,
        "visibility": claim_obj.visibility,
        "replies": str(claim_obj.replies.count()),
        "created_at": claim_obj.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "updated_at": claim_obj.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "permalink": f"{settings.SITE_URL}/articles/{article.pk}/#claim-{claim_obj.pk}",
        "anchor_status": "anchored",
    }


EXPORT = "/export/download/"


@pytest.mark.django_db
class TestCsvColumns:
    def test_claims_layout_columns_in_order(self, alice_client, seeded):
        header = rows(download(alice_client, EXPORT))[0]
        assert header == [
            "claim_id",
            "article_id",
            "article_title",
            "article_url",
            "outlet",
            "language",
            "block_kind",
            "claim_text",
            "prefix",
            "suffix",
            "start",
            "end",
            "source_tags",
            "tag_outlets",
            "tag_cited",
            "anonymous_source",
            "status",
            "note",
            "annotator",
            "workspace",
            "visibility",
            "replies",
            "created_at",
            "updated_at",
            "permalink",
            "anchor_status",
        ]

    def test_tags_layout_columns_in_order(self, alice_client, seeded):
        header = rows(download(alice_client, EXPORT, layout="tags"))[0]
        assert header[12:16] == ["source_tag", "tag_outlet", "tag_cited", "tag_anonymous"]
        assert header[:12] == list(export.CLAIM_COLUMNS[:12])
        assert header[16:] == list(export.CLAIM_COLUMNS[16:])

    def test_rfc4180_crlf_utf8_and_header_first(self, alice_client, seeded):
        content = download(alice_client, EXPORT)
        assert content.startswith(b"claim_id,article_id,")
        assert content.endswith(b"\r\n")
        # Every record ends in CRLF; bare LF only inside quoted cells (the note's line break).
        assert content.count(b"\r\n") == len(rows(content))
        content.decode("utf-8")

    def test_excel_switch_adds_a_bom(self, alice_client, seeded):
        assert download(alice_client, EXPORT, excel="on").startswith(b"\xef\xbb\xbfclaim_id,")
        assert not download(alice_client, EXPORT).startswith(b"\xef\xbb\xbf")


@pytest.mark.django_db
class TestCsvRoundTrip:
    @pytest.mark.parametrize("raw", [False, True])
    def test_every_cell_matches_the_database(self, alice_client, seeded, raw):
        params = {"filtered": "1", "raw": "on"} if raw else {"filtered": "1"}
        got = records(download(alice_client, EXPORT, **params))
        visible = Claim.objects.filter(visibility="workspace") | Claim.objects.filter(
            author__username="alice"
        )
        claims = visible.select_related("article", "author", "workspace").order_by(
            "article_id", "start", "end", "id"
        )
        expected = [expected_claim_cells(c, raw=raw) for c in claims]
        assert got == expected
        assert {row["claim_id"] for row in got} >= {str(seeded["untagged"].pk)}

    def test_tricky_values_survive(self, alice_client, seeded):
        got = {row["claim_id"]: row for row in records(download(alice_client, EXPORT, raw="on"))}
        quotes = got[str(seeded["quotes"].pk)]
        assert quotes["claim_text"] == 'He said "we will, of course, comply"'
        assert quotes["note"] == 'Line one\nline "two", with comma'
        assert quotes["source_tags"] == "WSJ citing US officials; Reuters"
        assert quotes["tag_outlets"] == "WSJ; Reuters"
        assert quotes["tag_cited"] == "US officials; "
        assert quotes["anonymous_source"] == "true"
        assert quotes["replies"] == "2"
        assert quotes["article_url"] == "https://example.com/artikel/über-straße?x=1&y=2"
        emoji = got[str(seeded["emoji"].pk)]
        assert emoji["claim_text"] == "Emoji reactions 🚀🔥 spread fast 👍🏽."
        assert got[str(seeded["rtl"].pk)]["claim_text"] == "قال المتحدث إن الوضع مستقر"
        assert got[str(seeded["german"].pk)]["tag_outlets"] == "Der Spiegel"
        assert got[str(seeded["german"].pk)]["anonymous_source"] == "true"


@pytest.mark.django_db
class TestNeutralisation:
    def test_formula_cells_get_a_quote_by_default(self, alice_client, seeded):
        got = {row["claim_id"]: row for row in records(download(alice_client, EXPORT))}
        emoji, rtl, formula = (got[str(seeded[k].pk)] for k in ("emoji", "rtl", "formula"))
        assert emoji["note"] == '\'=HYPERLINK("http://evil")'
        assert rtl["note"] == "'-negative\tand tab"
        assert rtl["source_tags"] == "'@aljazeera"
        assert formula["claim_text"] == "'=SUM(A1:A9) looks like a formula"
        assert formula["source_tags"] == "'+plus"
        for row in got.values():
            for name, value in row.items():
                assert value[:1] not in export.FORMULA_TRIGGERS, (name, value)

    def test_raw_keeps_cells_as_written(self, alice_client, seeded):
        got = {row["claim_id"]: row for row in records(download(alice_client, EXPORT, raw="on"))}
        assert got[str(seeded["emoji"].pk)]["note"] == '=HYPERLINK("http://evil")'
        assert got[str(seeded["formula"].pk)]["source_tags"] == "+plus"

    def test_title_and_tab_and_cr_are_neutralised(self, workspace, alice, alice_client):
        article = make_article(workspace=workspace, user=alice, title="=cmd|' /C calc'!A0")
        made = claim(article, alice, "The first paragraph", tags=["Reuters"], note="\tx")
        Claim.objects.filter(pk=made.pk).update(note="\rcarriage")
        (row,) = records(download(alice_client, EXPORT))
        assert row["article_title"] == "'=cmd|' /C calc'!A0"
        assert row["note"] == "'\rcarriage"


@pytest.mark.django_db
class TestFilters:
    def ids(self, client, url=EXPORT, **params) -> set[int]:
        return {int(row["claim_id"]) for row in records(download(client, url, **params))}

    def pk(self, seeded, *names) -> set[int]:
        return {seeded[name].pk for name in names}

    def test_default_is_tagged_claims_the_user_may_see(self, alice_client, seeded):
        assert self.ids(alice_client) == self.pk(
            seeded, "quotes", "german", "emoji", "rtl", "formula", "plain", "alice_private"
        )

    def test_all_claims(self, alice_client, seeded):
        assert seeded["untagged"].pk in self.ids(alice_client, filtered="1")
        assert seeded["untagged"].pk not in self.ids(alice_client, filtered="1", only_tagged="on")

    def test_articles(self, alice_client, seeded, tricky):
        got = self.ids(alice_client, article=[tricky.pk])
        assert got == self.pk(seeded, "quotes", "german", "emoji", "rtl", "formula")

    def test_tags(self, alice_client, seeded, workspace):
        reuters = SourceTag.objects.get(workspace=workspace, label="Reuters")
        plus = SourceTag.objects.get(workspace=workspace, label="+plus")
        got = self.ids(alice_client, tag=[reuters.pk, plus.pk])
        assert got == self.pk(seeded, "quotes", "emoji", "formula", "alice_private")

    def test_annotators(self, alice_client, seeded, bob):
        assert self.ids(alice_client, annotator=[bob.pk]) == self.pk(
            seeded, "german", "rtl", "plain"
        )

    def test_statuses(self, alice_client, seeded):
        assert self.ids(alice_client, status=["supported", "false"]) == self.pk(
            seeded, "quotes", "formula"
        )

    def test_date_range(self, alice_client, seeded):
        old = seeded["plain"]
        Claim.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(days=10))
        today = seeded["quotes"].created_at.date()
        assert old.pk not in self.ids(alice_client, since=today.isoformat())
        got = self.ids(alice_client, until=(today - timedelta(days=5)).isoformat())
        assert got == {old.pk}
        assert old.pk in self.ids(
            alice_client, since=(today - timedelta(days=10)).isoformat(), until=today.isoformat()
        )

    def test_bad_range_is_a_form_error(self, alice_client, seeded):
        response = alice_client.get(EXPORT, {"since": "2026-02-01", "until": "2026-01-01"})
        assert response.status_code == 400
        assert b"before" in response.content

    def test_unknown_article_is_rejected(self, alice_client, seeded, bob):
        other = make_article(workspace=make_workspace(owner=bob), user=bob)
        assert alice_client.get(EXPORT, {"article": other.pk}).status_code == 400

    def test_article_download(self, alice_client, seeded, tricky):
        url = reverse("annotations:article_export_csv", args=[tricky.pk])
        assert self.ids(alice_client, url) == self.pk(
            seeded, "quotes", "german", "emoji", "rtl", "formula"
        )
        assert seeded["untagged"].pk in self.ids(alice_client, url, only_tagged="0")
        response = alice_client.get(url)
        assert response["Content-Type"].startswith("text/csv; charset=utf-8")
        assert (
            f'filename="sourcemark-article-{tricky.pk}-claims.csv"'
            in (response["Content-Disposition"])
        )


@pytest.mark.django_db
class TestTagsLayout:
    def test_one_row_per_claim_and_tag_in_order_added(self, alice_client, seeded):
        got = records(download(alice_client, EXPORT, layout="tags"))
        quotes = [row for row in got if row["claim_id"] == str(seeded["quotes"].pk)]
        assert [
            (r["source_tag"], r["tag_outlet"], r["tag_cited"], r["tag_anonymous"]) for r in quotes
        ] == [
            ("WSJ citing US officials", "WSJ", "US officials", "true"),
            ("Reuters", "Reuters", "", "false"),
        ]
        assert quotes[0]["note"] == quotes[1]["note"] == 'Line one\nline "two", with comma'
        assert len(got) == ClaimTag.objects.exclude(claim=seeded["bob_private"]).count()

    def test_untagged_claims_get_one_row_with_empty_tag_cells(self, alice_client, seeded):
        got = records(download(alice_client, EXPORT, layout="tags", filtered="1"))
        (untagged,) = [row for row in got if row["claim_id"] == str(seeded["untagged"].pk)]
        assert [
            untagged[k] for k in ("source_tag", "tag_outlet", "tag_cited", "tag_anonymous")
        ] == ["", "", "", ""]

    def test_tag_filter_keeps_only_the_selected_tag_rows(self, alice_client, seeded, workspace):
        reuters = SourceTag.objects.get(workspace=workspace, label="Reuters")
        got = records(download(alice_client, EXPORT, layout="tags", tag=[reuters.pk]))
        assert {row["source_tag"] for row in got} == {"Reuters"}
        assert {int(r["claim_id"]) for r in got} == {
            seeded[k].pk for k in ("quotes", "emoji", "alice_private")
        }


@pytest.mark.django_db
class TestBlockKind:
    def test_kind_of_the_block_where_the_claim_starts(self, workspace, alice, alice_client):
        article = make_bulk_article(workspace=workspace, blocks=8)
        texts = list(article.blocks.order_by("position").values_list("text", flat=True))
        kinds = list(article.blocks.order_by("position").values_list("kind", flat=True))
        total = len("\n\n".join(texts))
        starts = [0, 1, len(texts[0]), len(texts[0]) + 1, len(texts[0]) + 2, 40, 55, total - 1]
        made = []
        for start in starts:
            made.append(
                Claim.objects.create(
                    article=article,
                    workspace=workspace,
                    author=alice,
                    exact="x",
                    start=start,
                    end=start + 1,
                )
            )
        got = {
            int(r["claim_id"]): r["block_kind"]
            for r in records(download(alice_client, EXPORT, filtered="1"))
        }
        for claim_obj in made:
            index = block_index_at(block_texts=texts, offset=claim_obj.start)
            assert got[claim_obj.pk] == kinds[index], claim_obj.start


@pytest.mark.django_db
class TestVisibility:
    def test_private_claims_of_others_and_other_workspaces_are_absent(
        self, alice_client, seeded, bob
    ):
        other_desk = make_workspace(owner=bob)
        other = make_article(workspace=other_desk, user=bob)
        foreign = claim(other, bob, "The first paragraph", tags=["Reuters"])
        alice_ids = {
            int(r["claim_id"]) for r in records(download(alice_client, EXPORT, filtered="1"))
        }
        assert seeded["bob_private"].pk not in alice_ids
        assert seeded["alice_private"].pk in alice_ids
        assert foreign.pk not in alice_ids
        client = Client()  # not the `client` fixture: that one is alice_client
        client.force_login(bob)
        bob_ids = {
            int(r["claim_id"])
            for r in records(
                download(client, EXPORT, workspace=seeded["quotes"].workspace.slug, filtered="1")
            )
        }
        assert seeded["bob_private"].pk in bob_ids and seeded["alice_private"].pk not in bob_ids
        assert foreign.pk not in bob_ids
        other_ids = {
            int(r["claim_id"]) for r in records(download(client, EXPORT, workspace=other_desk.slug))
        }
        assert other_ids == {foreign.pk}
        jsonld = json.loads(download(alice_client, EXPORT, format="jsonld", filtered="1"))
        ids = {item["id"].rsplit("/", 1)[1] for item in jsonld["first"]["items"]}
        assert str(seeded["bob_private"].pk) not in ids and str(foreign.pk) not in ids

    def test_cli_without_as_exports_shared_claims_only(self, seeded, workspace):
        ids = {
            int(r["claim_id"]) for r in records(command(workspace=workspace.slug, all_claims=True))
        }
        assert seeded["alice_private"].pk not in ids and seeded["bob_private"].pk not in ids
        assert seeded["quotes"].pk in ids

    def test_outsider_gets_404_everywhere(self, client, charlie, seeded, workspace, tricky):
        client.force_login(charlie)
        urls = [
            reverse("annotations:export"),
            reverse("annotations:export_download"),
            reverse("annotations:export") + f"?workspace={workspace.slug}",
            reverse("annotations:export_download") + f"?workspace={workspace.slug}",
            reverse("annotations:export_download") + f"?workspace={workspace.slug}&format=jsonld",
            reverse("annotations:article_export_csv", args=[tricky.pk]),
            reverse("annotations:article_export_jsonld", args=[tricky.pk]),
        ]
        for url in urls:
            assert client.get(url).status_code == 404, url
        # A member of another workspace is an outsider here too.
        make_workspace(owner=charlie)
        for url in urls[2:]:
            assert client.get(url).status_code == 404, url

    def test_anonymous_users_are_sent_to_log_in(self, client, seeded, tricky):
        for url in [EXPORT, reverse("annotations:article_export_csv", args=[tricky.pk])]:
            assert client.get(url).status_code == 302


@pytest.mark.django_db
class TestExportPage:
    def test_form_lists_the_workspace_and_preselects_an_article(self, alice_client, seeded, tricky):
        response = alice_client.get(reverse("annotations:export"), {"article": tricky.pk})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'action="/export/download/"' in html
        assert f'name="article" value="{tricky.pk}" checked>' in html
        assert 'name="only_tagged"' in html and "checked" in html
        assert "WSJ citing US officials" in html


@pytest.mark.django_db
class TestJsonLd:
    def test_validates_with_the_w3c_suite(self, alice_client, seeded, tmp_path):
        content = download(alice_client, EXPORT, format="jsonld", filtered="1")
        path = tmp_path / "claims.jsonld"
        path.write_bytes(content)
        for extra in ([], ["--strict-formats"]):
            result = validate(path, *extra)
            assert result.returncode == 0, result.stdout[-3000:]
            assert "RESULT: CONFORMS" in result.stdout

    def test_mapping(self, alice_client, seeded, tricky):
        data = json.loads(download(alice_client, EXPORT, format="jsonld", filtered="1"))
        assert data["type"] == "AnnotationCollection"
        page = data["first"]
        # 8 claims alice may see (9 but bob's private one), then the 2 replies to "quotes".
        assert data["total"] == page["partOf"]["total"] == len(page["items"]) == 9 - 1 + 2
        quotes = next(
            i
            for i in page["items"]
            if i["id"]
            == (f"{settings.SITE_URL}/api/articles/{tricky.pk}/annotations/{seeded['quotes'].pk}")
        )
        assert quotes["creator"] == {"type": "Person", "name": "alice", "nickname": "alice"}
        assert [(b["purpose"], b["value"]) for b in quotes["body"]] == [
            ("commenting", 'Line one\nline "two", with comma'),
            ("tagging", "WSJ citing US officials"),
            ("tagging", "Reuters"),
            ("assessing", "supported"),
        ]
        target, original = quotes["target"]
        # Never moved by a revision: the original target has the same selectors.
        assert original["selector"] == target["selector"]
        assert original["state"]["type"] == "TimeState"
        assert target["source"]["id"] == f"{settings.SITE_URL}/articles/{tricky.pk}/"
        assert target["source"]["via"] == (
            "https://example.com/artikel/%C3%BCber-stra%C3%9Fe?x=1&y=2"
        )
        quote, position = target["selector"]
        claim_obj = seeded["quotes"]
        assert quote == {
            "type": "TextQuoteSelector",
            "exact": claim_obj.exact,
            "prefix": claim_obj.prefix,
            "suffix": claim_obj.suffix,
        }
        assert position == {
            "type": "TextPositionSelector",
            "start": claim_obj.start,
            "end": claim_obj.end,
        }
        assert quotes["created"].endswith("Z") and len(quotes["created"]) == 20

    def test_replies_are_annotations_replying_to_their_claim(
        self, alice_client, client, bob, seeded, tricky
    ):
        quotes, mine = seeded["quotes"], seeded["alice_private"]
        services.add_reply(claim=mine, author=mine.author, body="Only for me")
        data = json.loads(download(alice_client, EXPORT, format="jsonld", filtered="1"))
        replies = [item for item in data["first"]["items"] if item["motivation"] == "replying"]
        claim_iri = f"{settings.SITE_URL}/api/articles/{tricky.pk}/annotations/{quotes.pk}"
        quote_replies = [r for r in replies if r["target"] == claim_iri]
        assert [r["body"] for r in quote_replies] == [
            [
                {
                    "type": "TextualBody",
                    "purpose": "replying",
                    "value": f"Reply {n}",
                    "format": "text/plain",
                }
            ]
            for n in range(2)
        ]
        stored = list(quotes.replies.order_by("created_at", "id"))
        assert [r["id"] for r in quote_replies] == [
            f"{settings.SITE_URL}/claims/{quotes.pk}/#reply-{reply.pk}" for reply in stored
        ]
        assert quote_replies[0]["creator"]["name"] == "alice"
        assert {item["id"] for item in data["first"]["items"]} >= {claim_iri}
        # The CSV keeps counting them.
        csv_rows = {r["claim_id"]: r for r in records(download(alice_client, EXPORT))}
        assert csv_rows[str(quotes.pk)]["replies"] == "2"
        # A reply to a private claim goes only where the claim goes.
        assert any(r["body"][0]["value"] == "Only for me" for r in replies)
        client.force_login(bob)
        theirs = json.loads(download(client, EXPORT, format="jsonld", filtered="1"))
        assert "Only for me" not in json.dumps(theirs)

    def test_empty_export_validates(self, alice_client, workspace, tmp_path):
        content = download(alice_client, EXPORT, format="jsonld")
        assert json.loads(content)["total"] == 0
        path = tmp_path / "empty.jsonld"
        path.write_bytes(content)
        result = validate(path)
        assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.django_db(transaction=True)
class TestStreaming:
    def test_response_is_a_stream(self, alice_client, seeded, tricky):
        for url in [
            EXPORT,
            EXPORT + "?format=jsonld",
            reverse("annotations:article_export_csv", args=[tricky.pk]),
            reverse("annotations:article_export_jsonld", args=[tricky.pk]),
        ]:
            response = alice_client.get(url)
            assert response.streaming is True
            content = response.streaming_content
            assert iter(content) is content  # an iterator, not a list of everything
            assert b"".join(content)
            assert response["Cache-Control"] == "private, no-store"

    def test_header_comes_before_the_query_runs(self, workspace, seeded, django_assert_num_queries):
        options = export.ExportOptions(workspace_id=workspace.pk, workspace_slug=workspace.slug)
        chunks = export.iter_csv(options)
        with django_assert_num_queries(0):
            first = next(chunks)
        assert first == export.csv_header("claims")
        chunks.close()

    def test_closing_the_stream_stops_the_query(self, workspace, alice):
        article = make_bulk_article(workspace=workspace, blocks=250)
        Claim.objects.bulk_create(  # one person cannot highlight the same span twice
            Claim(
                article=article,
                workspace=workspace,
                author=alice,
                exact="Block number",
                note="n" * 200,
                start=0,
                end=12 + n,
            )
            for n in range(3000)
        )
        options = export.ExportOptions(
            workspace_id=workspace.pk, workspace_slug=workspace.slug, only_tagged=False
        )
        chunks = export.iter_csv(options)
        next(chunks)
        next(chunks)  # ~64 KB of rows: the COPY is running
        chunks.close()
        with connection.cursor() as cursor:  # the connection is usable again at once
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY (%%' "
                "AND state = 'active' AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone() == (0,)
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        content = b"".join(export.iter_csv(options))
        assert len(rows(content)) == 3001


@pytest.mark.django_db
class TestCommand:
    @pytest.mark.parametrize(
        ("web", "cli"),
        [
            ({}, {}),
            (
                {"layout": "tags", "raw": "on", "excel": "on", "filtered": "1"},
                {"layout": "tags", "raw": True, "excel": True, "all_claims": True},
            ),
            ({"format": "jsonld", "filtered": "1"}, {"format": "jsonld", "all_claims": True}),
            ({"status": ["supported", "disputed"]}, {"status": ["supported", "disputed"]}),
        ],
    )
    def test_same_bytes_as_the_web_download(
        self, alice_client, seeded, workspace, web, cli, tmp_path
    ):
        from_web = download(alice_client, EXPORT, **web)
        from_cli = command(workspace=workspace.slug, **{"as": "alice"}, **cli)
        assert from_cli == from_web
        path = tmp_path / "out"
        call_command(
            "export_claims",
            "--workspace",
            workspace.slug,
            "--as",
            "alice",
            "-o",
            str(path),
            *_flags(cli),
        )
        assert path.read_bytes() == from_web

    def test_filters_by_label_annotator_article_and_dates(
        self, alice_client, seeded, workspace, tricky, bob
    ):
        reuters = SourceTag.objects.get(workspace=workspace, label="Reuters")
        today = seeded["quotes"].created_at.date().isoformat()
        from_web = download(
            alice_client,
            EXPORT,
            tag=[reuters.pk],
            annotator=[bob.pk],
            article=[tricky.pk],
            since=today,
            until=today,
        )
        from_cli = command(
            workspace=workspace.slug,
            tag=["reuters"],
            annotator=["bob"],
            article=[tricky.pk],
            since=today,
            until=today,
            **{"as": "alice"},
        )
        assert from_cli == from_web

    def test_bad_arguments(self, seeded, workspace, charlie):
        from django.core.management.base import CommandError

        for options in [
            {"workspace": "nope"},
            {"workspace": workspace.slug, "as": "charlie"},
            {"workspace": workspace.slug, "tag": ["No such tag"]},
            {"workspace": workspace.slug, "article": [999999]},
            {"workspace": workspace.slug, "annotator": ["charlie"]},
        ]:
            with pytest.raises(CommandError):
                command(**options)

    def test_a_private_label_is_only_its_owners(self, seeded, workspace, alice, bob):
        from django.core.management.base import CommandError

        claim = Claim.objects.filter(author=alice).first()
        private = services.create_claim(
            article=claim.article, author=alice, exact=claim.exact[:5], visibility="private"
        )
        services.add_tag(claim=private, label="Bild citing John Doe", user=alice)
        for options in [{}, {"as": "bob"}]:
            with pytest.raises(CommandError, match="No source tag"):
                command(workspace=workspace.slug, tag=["bild citing john doe"], **options)
        mine = command(workspace=workspace.slug, tag=["bild citing john doe"], **{"as": "alice"})
        assert "Bild citing John Doe" in mine.decode()


def _flags(options: dict) -> list[str]:
    args = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            args.append(flag)
        elif isinstance(value, list):
            args += [flag, *value]
        else:
            args += [flag, str(value)]
    return args


@pytest.mark.django_db
def test_members_of_several_workspaces_pick_one(client, seeded, alice, workspace):
    second = make_workspace(name="Another desk", owner=make_user())
    add_member(workspace=second, user=alice)
    client.force_login(alice)
    ids = {int(r["claim_id"]) for r in records(download(client, EXPORT, workspace=second.slug))}
    assert ids == set()
    ids = {int(r["claim_id"]) for r in records(download(client, EXPORT, workspace=workspace.slug))}
    assert seeded["quotes"].pk in ids


@pytest.mark.django_db
def test_export_after_a_revision_describes_the_current_text(
    alice_client, workspace, alice, tmp_path
):
    from articles import services as article_services

    text = (
        "Budget passes\n\nThe council approved 12 million for schools on Tuesday.\n\n"
        "The mayor was not available for comment."
    )
    article = make_article(workspace=workspace, user=alice, text=text)
    moved = claim(article, alice, "approved 12 million for schools", tags=["Council minutes"])
    gone = claim(article, alice, "The mayor was not available for comment.", tags=["Staff"])
    article_services.revise_from_text(
        article=article,
        user=alice,
        text=text.replace("12 million", "12.5 million").replace(
            "\n\nThe mayor was not available for comment.", ""
        ),
    )
    by_id = {r["claim_id"]: r for r in records(download(alice_client, EXPORT))}
    assert by_id[str(moved.pk)]["claim_text"] == "approved 12.5 million for schools"
    assert by_id[str(moved.pk)]["anchor_status"] == "anchored"
    new_text = "\n\n".join(article.blocks.values_list("text", flat=True))
    start, end = int(by_id[str(moved.pk)]["start"]), int(by_id[str(moved.pk)]["end"])
    assert new_text[start:end] == "approved 12.5 million for schools"
    orphan = by_id[str(gone.pk)]
    assert (orphan["anchor_status"], orphan["start"], orphan["end"]) == ("orphaned", "", "")
    assert orphan["claim_text"] == "The mayor was not available for comment."
    assert orphan["source_tags"] == "Staff"

    content = download(alice_client, EXPORT, format="jsonld")
    items = {i["id"]: i for i in json.loads(content)["first"]["items"]}
    current, original = items[export.annotation_iri(settings.SITE_URL, article.pk, moved.pk)][
        "target"
    ]
    assert current["selector"][0]["exact"] == "approved 12.5 million for schools"
    assert original["selector"][0]["exact"] == "approved 12 million for schools"
    assert original["selector"][1]["start"] == text.index("approved 12 million")
    assert original["state"]["type"] == "TimeState"
    assert original["state"]["sourceDate"].endswith("Z")
    current, original = items[export.annotation_iri(settings.SITE_URL, article.pk, gone.pk)][
        "target"
    ]
    assert [s["type"] for s in current["selector"]] == ["TextQuoteSelector"]
    assert [s["type"] for s in original["selector"]] == [
        "TextQuoteSelector",
        "TextPositionSelector",
    ]
    path = tmp_path / "revised.jsonld"
    path.write_bytes(content)
    result = validate(path)
    assert result.returncode == 0, result.stdout[-3000:]
