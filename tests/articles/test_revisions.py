"""New revisions of an article: blocks replaced, kinds carried, claims moved or orphaned."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from factories import make_article

from activity.models import Activity
from annotations import services as claims
from annotations.anchoring import canonical_text
from annotations.models import AnchorStatus, Claim
from articles import services
from articles.models import ArticleRevision, Block, BlockKind, RevisionSource
from articles.segmentation import Segment

TEXT = (
    "Minister resigns after report\n\n"
    "The minister resigned on Friday after a report found 40 errors in the accounts.\n\n"
    "Her office declined to comment. Opposition leaders called for an inquiry.\n\n"
    "Follow us on social media for more news."
)


def text_of(article) -> str:
    return canonical_text(block_texts=list(article.blocks.values_list("text", flat=True)))


def claim_on(article, user, quote: str) -> Claim:
    text = text_of(article)
    start = text.index(quote)
    return claims.create_claim(
        article=article,
        author=user,
        exact=quote,
        prefix=text[max(0, start - 32) : start],
        suffix=text[start + len(quote) : start + len(quote) + 32],
        start_utf16=start,
        end_utf16=start + len(quote),
    )


@pytest.fixture
def article(workspace, alice):
    return make_article(workspace=workspace, user=alice, text=TEXT)


def new_version(article, text: str, user=None):
    return services.revise_from_text(article=article, text=text, user=user)


@pytest.mark.django_db
def test_new_version_moves_claims_and_orphans_deleted_sentences(article, alice):
    edited = claim_on(article, alice, "a report found 40 errors in the accounts")
    deleted = claim_on(article, alice, "Her office declined to comment.")
    claims.add_tag(claim=deleted, label="Reuters citing officials", user=alice)
    claims.add_reply(claim=deleted, author=alice, body="Check this")
    claims.update_claim(
        claim=deleted,
        version=Claim.objects.get(pk=deleted.pk).version,
        note="Asked twice",
        status="disputed",
    )
    result = new_version(
        article,
        TEXT.replace("40 errors", "41 errors").replace("Her office declined to comment. ", ""),
    )
    assert (result.reanchored, result.orphaned) == (1, 1)
    article.refresh_from_db()
    assert article.text_version == 2
    edited.refresh_from_db()
    assert edited.exact == "a report found 41 errors in the accounts"
    assert text_of(article)[edited.start : edited.end] == edited.exact
    assert edited.text_version == 2 and edited.anchor_status == AnchorStatus.ANCHORED
    assert edited.text_changed_at is not None
    assert edited.original_exact == "a report found 40 errors in the accounts"
    assert edited.original_text_version == 1
    deleted.refresh_from_db()
    assert deleted.anchor_status == AnchorStatus.ORPHANED
    assert deleted.exact == "Her office declined to comment."
    assert [t.label for t in deleted.tags.all()] == ["Reuters citing officials"]
    assert deleted.replies.count() == 1 and deleted.note == "Asked twice"
    assert deleted.status == "disputed"
    assert Claim.objects.count() == 2
    assert list(article.revisions.values_list("number", flat=True)) == [1, 2]
    assert Activity.objects.filter(article_id=article.pk, summary__startswith="Version 2").exists()


@pytest.mark.django_db
def test_unchanged_text_makes_no_revision(article, alice):
    claim = claim_on(article, alice, "Her office declined to comment.")
    result = new_version(article, TEXT)
    assert not result.changed
    article.refresh_from_db()
    assert article.text_version == 1
    assert Claim.objects.get(pk=claim.pk).original_text_version is None


@pytest.mark.django_db
def test_revision_keeps_blocks_metadata_and_original(article, alice):
    new = TEXT.replace("Friday", "Thursday")
    new_version(article, new, user=alice)
    first, second = article.revisions.order_by("number")
    assert first.blocks[1]["text"].startswith("The minister resigned on Friday")
    assert first.source == RevisionSource.PASTE
    assert second.blocks[1] == {
        "kind": BlockKind.PARAGRAPH,
        "kind_is_manual": False,
        "text": "The minister resigned on Thursday after a report found 40 errors in the accounts.",
    }
    assert second.original == new and second.imported_by == alice
    assert second.canonical_text() == text_of(article)


@pytest.mark.django_db
def test_kind_fixed_by_hand_carries_over_to_unchanged_blocks(article, alice):
    footer = article.blocks.get(text__startswith="Follow us")
    services.change_block_kind(block=footer, kind=BlockKind.BOILERPLATE, user=alice)
    office = article.blocks.get(text__startswith="Her office")
    services.change_block_kind(block=office, kind=BlockKind.CAPTION, user=alice)
    new_version(article, TEXT.replace("Opposition leaders", "Two opposition leaders"))
    footer = article.blocks.get(text__startswith="Follow us")
    assert footer.kind == BlockKind.BOILERPLATE and footer.kind_is_manual
    # The edited block is new text: its kind comes from segmentation again.
    office = article.blocks.get(text__startswith="Her office")
    assert not office.kind_is_manual


@pytest.mark.django_db
def test_failed_reanchoring_rolls_back_the_revision(article, alice, monkeypatch):
    claim_on(article, alice, "Her office declined to comment.")

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("annotations.revisions.reanchor", broken)
    with pytest.raises(RuntimeError):
        new_version(article, TEXT.replace("Friday", "Thursday"))
    article.refresh_from_db()
    assert article.text_version == 1
    assert "Friday" in text_of(article)
    assert not ArticleRevision.objects.filter(article=article, number=2).exists()


@pytest.mark.django_db
def test_two_claims_landing_on_one_passage_are_both_kept(article, alice):
    claim_on(article, alice, "Opposition leaders called for an inquiry.")
    claim_on(article, alice, "Opposition leaders called for an inquiry")
    result = new_version(article, TEXT.replace("an inquiry.", "an inquiry"))
    assert result.reanchored == 2


@pytest.mark.django_db
def test_edit_blocks_directly(article, alice):
    segments = [Segment(b.kind, b.text) for b in article.blocks.order_by("position")]
    result = services.create_revision(
        article=article,
        segments=segments[:-1],
        user=alice,
        source=RevisionSource.EDIT,
    )
    assert result.revision.number == 2
    assert Block.objects.filter(article=article).count() == 3


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_command_revision_of(article, alice, tmp_path):
    claim_on(article, alice, "a report found 40 errors in the accounts")
    claim_on(article, alice, "Her office declined to comment.")
    claim_on(article, alice, "Opposition leaders called for an inquiry.")
    source = tmp_path / "v2.txt"
    source.write_text(
        TEXT.replace("40", "14").replace("Her office declined to comment. ", ""), encoding="utf-8"
    )
    lines = run("import_article", str(source), "--revision-of", str(article.pk))
    assert lines == [f"/articles/{article.pk}/", "re-anchored 2, orphaned 1"]
    article.refresh_from_db()
    assert article.title == "Minister resigns after report" and article.text_version == 2
    assert article.revisions.get(number=2).file_name == "v2.txt"
    # The same text again: nothing to do.
    again = run("import_article", str(source), "--revision-of", str(article.pk))
    assert again == [f"/articles/{article.pk}/", "unchanged"]
    assert article.revisions.count() == 2


@pytest.mark.django_db
def test_command_revision_of_needs_one_source_and_a_real_article(article, tmp_path):
    source = tmp_path / "v2.txt"
    source.write_text(TEXT, encoding="utf-8")
    with pytest.raises(CommandError, match="exactly one SOURCE"):
        run("import_article", str(source), str(source), "--revision-of", str(article.pk))
    with pytest.raises(CommandError, match="No article"):
        run("import_article", str(source), "--revision-of", "999999")


@pytest.mark.django_db
def test_pasting_an_article_the_workspace_has_offers_a_new_revision(alice_client, article, alice):
    from django.urls import reverse

    url = reverse("articles:import")
    new_text = TEXT.replace("40 errors", "42 errors")
    claim_on(article, alice, "a report found 40 errors in the accounts")
    asked = alice_client.post(url, {"text": new_text})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "New revision of “Minister resigns after report”" in page
    assert f'name="duplicate_of" value="{article.pk}"' in page
    assert article.workspace.articles.count() == 1  # nothing saved while asking

    done = alice_client.post(
        url, {"text": new_text, "duplicate": "revision", "duplicate_of": article.pk}
    )
    assert done.status_code == 302 and done["Location"] == article.get_absolute_url()
    article.refresh_from_db()
    assert article.text_version == 2
    assert Claim.objects.get().exact == "a report found 42 errors in the accounts"

    separate = alice_client.post(url, {"text": new_text, "duplicate": "new"})
    assert separate.status_code == 302
    assert article.workspace.articles.count() == 2


@pytest.mark.django_db
def test_importing_a_known_address_offers_a_new_revision(
    alice_client, workspace, alice, monkeypatch
):
    from types import SimpleNamespace

    from django.urls import reverse

    address = "https://news.example.test/minister"
    article = make_article(workspace=workspace, user=alice, text=TEXT, url=address)
    html = (
        "<html><body><article><h1>Minister resigns after report</h1>"
        + "".join(f"<p>{p}</p>" for p in TEXT.replace("Friday", "Thursday").split("\n\n")[1:3])
        + "</article></body></html>"
    )
    monkeypatch.setattr(
        services,
        "fetch_page",
        lambda *, url: SimpleNamespace(url=url, body=html.encode(), content_type="text/html"),
    )
    url = reverse("articles:import_web")
    asked = alice_client.post(url, {"url": address})
    assert asked.status_code == 200 and "New revision of" in asked.content.decode()
    done = alice_client.post(
        url, {"url": address, "duplicate": "revision", "duplicate_of": article.pk}
    )
    assert done.status_code == 302
    article.refresh_from_db()
    assert article.text_version == 2 and article.revisions.get(number=2).source == "url"
    # Another workspace's article is never the one revised.
    other = alice_client.post(
        url, {"url": address, "duplicate": "revision", "duplicate_of": 999999}
    )
    assert "no longer in this workspace" in other.content.decode()
