import re

import pytest
from django.urls import reverse
from factories import add_member, make_article, make_bulk_article, make_seed_article, make_workspace

from articles.models import Block

LIBRARY = reverse("articles:library")


def kind_url(article, block):
    return reverse("articles:change_block_kind", args=[article.pk, block.pk])


@pytest.mark.django_db
class TestLibrary:
    def test_lists_newest_first_with_counts(self, alice_client, workspace, alice):
        seed = make_seed_article(workspace=workspace, user=alice)
        newer = make_article(workspace=workspace, user=alice, outlet="Daily Example")
        html = alice_client.get(LIBRARY).content.decode()
        assert html.index(newer.title) < html.index(seed.title)
        assert "Fox News (German translation)" in html
        # The seed has 13 paragraphs, 5 captions, 2 related, 3 boilerplate blocks.
        assert "13 paragraphs" in html and "5 captions" in html
        assert "2 related" in html and "3 boilerplate" in html
        assert "DE" in html

    def test_full_text_search_uses_the_article_language(self, alice_client, workspace, alice):
        make_seed_article(workspace=workspace, user=alice)
        make_article(workspace=workspace, user=alice)
        # German stemming: "Raketen" (plural) finds "Rakete"; English article does not match.
        html = alice_client.get(LIBRARY, {"q": "Rakete"}).content.decode()
        assert "Laut Bericht treibt Russland" in html
        assert "A headline about things" not in html
        html = alice_client.get(LIBRARY, {"q": "officials"}).content.decode()
        assert "A headline about things" in html
        assert "Laut Bericht" not in html
        html = alice_client.get(LIBRARY, {"q": "nonexistentword"}).content.decode()
        assert "No articles match" in html

    def test_search_survives_odd_input(self, alice_client, workspace, alice):
        make_article(workspace=workspace, user=alice)
        for query in ['"unbalanced', "a & | ! (", "-", "'; drop table", "x" * 500]:
            assert alice_client.get(LIBRARY, {"q": query}).status_code == 200

    def test_filters_by_outlet_and_language(self, alice_client, workspace, alice):
        make_seed_article(workspace=workspace, user=alice)
        make_article(workspace=workspace, user=alice, outlet="Daily Example")
        html = alice_client.get(LIBRARY, {"outlet": "Daily Example"}).content.decode()
        assert "A headline about things" in html and "Laut Bericht" not in html
        html = alice_client.get(LIBRARY, {"language": "de"}).content.decode()
        assert "Laut Bericht" in html and "A headline about things" not in html

    def test_pagination(self, alice_client, workspace):
        for number in range(23):
            make_bulk_article(workspace=workspace, blocks=2, title=f"Story {number:02d}")
        first = alice_client.get(LIBRARY).content.decode()
        assert "Story 22" in first and "Story 02" not in first
        older = re.search(r'href="\?before=(\d+)" rel="next"', first)
        assert older and 'rel="prev"' not in first
        second = alice_client.get(LIBRARY, {"before": older.group(1)}).content.decode()
        assert "Story 02" in second and "Story 00" in second and "Story 22" not in second
        assert 'rel="next"' not in second and 'rel="prev"' in second
        # Old page-numbered links and stale or odd cursors still answer.
        assert "Story 02" in alice_client.get(LIBRARY, {"page": 2}).content.decode()
        for params in ({"page": "999"}, {"before": "1"}, {"after": "x"}, {"before": "-5"}):
            assert alice_client.get(LIBRARY, params).status_code == 200

    def test_htmx_search_returns_the_results_fragment(self, alice_client, workspace, alice):
        make_article(workspace=workspace, user=alice)
        response = alice_client.get(
            LIBRARY, {"q": "officials"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="library-results"
        )
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="library-results"')
        assert "<html" not in html

    def test_other_workspaces_are_not_listed(self, client, charlie, workspace, alice):
        make_article(workspace=workspace, user=alice)
        make_workspace(name="Charlie's", owner=charlie)
        client.force_login(charlie)
        html = client.get(LIBRARY).content.decode()
        assert "A headline about things" not in html
        assert "No articles yet" in html

    @pytest.mark.parametrize("count", [1, 30])
    def test_query_count_is_constant(
        self, alice_client, workspace, count, django_assert_max_num_queries
    ):
        for number in range(count):
            make_bulk_article(workspace=workspace, blocks=5, title=f"Story {number}")
        with django_assert_max_num_queries(6):
            assert alice_client.get(LIBRARY).status_code == 200
        with django_assert_max_num_queries(6):
            assert alice_client.get(LIBRARY, {"q": "block"}).status_code == 200


@pytest.mark.django_db
class TestReadingPage:
    def test_every_block_has_its_kind(self, alice_client, workspace, alice):
        article = make_seed_article(workspace=workspace, user=alice)
        html = alice_client.get(article.get_absolute_url()).content.decode()
        kinds = re.findall(r'data-block-kind="(\w+)"', html)
        expected = list(article.blocks.order_by("position").values_list("kind", flat=True))
        assert kinds == expected
        assert len(kinds) == 24
        assert 'lang="de"' in html
        assert re.search(r'<span class="block-label"[^>]*>Caption</span>', html)
        assert re.search(r'<span class="block-label"[^>]*>Related</span>', html)
        # Boilerplate is collapsed: a <details> without the open attribute.
        assert re.search(r'<details class="block block--boilerplate"[^>]*>', html)
        assert "<details open" not in html

    def test_text_is_escaped(self, alice_client, workspace, alice):
        article = make_article(
            workspace=workspace,
            user=alice,
            text="Headline <b>bold</b>\n\nBody with <script>alert(1)</script> & more.",
        )
        html = alice_client.get(article.get_absolute_url()).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more." in html

    def test_security_headers(self, alice_client, workspace, alice):
        article = make_article(workspace=workspace, user=alice)
        response = alice_client.get(article.get_absolute_url())
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert "<script>" not in response.content.decode()  # no inline script at all

    @pytest.mark.parametrize("blocks", [3, 300])
    def test_query_count_is_constant(
        self, alice_client, workspace, blocks, django_assert_max_num_queries
    ):
        article = make_bulk_article(workspace=workspace, blocks=blocks)
        with django_assert_max_num_queries(8):  # first view renders and caches the blocks
            response = alice_client.get(article.get_absolute_url())
        assert response.content.decode().count("data-block-kind=") == blocks
        with django_assert_max_num_queries(5):  # later views reuse the cached rendering
            response = alice_client.get(article.get_absolute_url())
        assert response.content.decode().count("data-block-kind=") == blocks

    def test_outsider_gets_404(self, client, charlie, workspace, alice):
        article = make_article(workspace=workspace, user=alice)
        client.force_login(charlie)
        assert client.get(article.get_absolute_url()).status_code == 404
        assert client.get("/articles/999999/").status_code == 404


@pytest.mark.django_db
class TestChangeBlockKind:
    def test_htmx_change_returns_the_block_and_is_stored_as_manual(
        self, client, bob, workspace, alice
    ):
        article = make_seed_article(workspace=workspace, user=alice)
        block = article.blocks.get(position=5)
        client.force_login(bob)
        response = client.post(
            kind_url(article, block), {"kind": "paragraph"}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        html = response.content.decode()
        expected_start = f'<div class="block block--paragraph" id="block-{block.pk}"'
        assert html.lstrip().startswith(expected_start)
        assert "<html" not in html
        block.refresh_from_db()
        assert block.kind == "paragraph"
        assert block.kind_is_manual
        assert block.kind_changed_by == bob

    def test_plain_post_redirects_back(self, alice_client, workspace, alice):
        article = make_article(workspace=workspace, user=alice)
        block = article.blocks.get(position=2)
        response = alice_client.post(kind_url(article, block), {"kind": "caption"})
        assert response.status_code == 302
        assert response["Location"] == f"/articles/{article.pk}/#block-{block.pk}"

    def test_unknown_kind_is_refused(self, alice_client, workspace, alice):
        article = make_article(workspace=workspace, user=alice)
        block = article.blocks.get(position=1)
        response = alice_client.post(kind_url(article, block), {"kind": "advert"})
        assert response.status_code == 400
        block.refresh_from_db()
        assert block.kind == "paragraph" and not block.kind_is_manual

    def test_outsider_and_viewer_get_404(self, client, charlie, workspace, alice):
        article = make_article(workspace=workspace, user=alice)
        block = article.blocks.get(position=1)
        client.force_login(charlie)
        assert client.post(kind_url(article, block), {"kind": "caption"}).status_code == 404
        add_member(workspace=workspace, user=charlie, role="viewer")
        assert client.post(kind_url(article, block), {"kind": "caption"}).status_code == 404
        block.refresh_from_db()
        assert block.kind == "paragraph"

    def test_block_of_another_article_is_404(self, alice_client, workspace, alice):
        first = make_article(workspace=workspace, user=alice)
        second = make_article(workspace=workspace, user=alice)
        block = second.blocks.get(position=1)
        assert alice_client.post(kind_url(first, block), {"kind": "caption"}).status_code == 404

    def test_get_is_not_allowed(self, alice_client, workspace, alice):
        article = make_article(workspace=workspace, user=alice)
        block = article.blocks.get(position=1)
        assert alice_client.get(kind_url(article, block)).status_code == 405

    def test_csrf_is_enforced(self, alice, workspace):
        from django.test import Client

        article = make_article(workspace=workspace, user=alice)
        block = article.blocks.get(position=1)
        csrf_client = Client(enforce_csrf_checks=True)
        csrf_client.force_login(alice)
        response = csrf_client.post(kind_url(article, block), {"kind": "caption"})
        assert response.status_code == 403
        assert Block.objects.get(pk=block.pk).kind == "paragraph"


@pytest.mark.django_db
def test_resegmentation_keeps_manual_kinds(workspace, alice):
    from articles import services

    article = make_seed_article(workspace=workspace, user=alice)
    fixed = article.blocks.get(position=5)  # a related teaser
    services.change_block_kind(block=fixed, kind="paragraph", user=alice)
    other = article.blocks.get(position=6)  # a caption, set wrong without the manual flag
    Block.objects.filter(pk=other.pk).update(kind="paragraph")
    changed = services.resegment_article(article=article)
    assert changed == 1
    assert article.blocks.get(position=5).kind == "paragraph"
    assert article.blocks.get(position=6).kind == "caption"
