"""Issue 11: the Sources page at a newsroom's size: a page of tags at a time (keyset, most
used first), a filter box, and the tag to merge into typed or picked from suggestions instead
of a menu of every tag in every row."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import make_seed_article

from annotations import selectors, services
from annotations.models import SourceTag, TagChange

FIRST = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"
SECOND = "Moskau habe bereits damit begonnen"
PAGE = selectors.TAGS_PER_PAGE


def make_tags(*, workspace, user, uses: list[int], prefix: str = "Outlet") -> list[SourceTag]:
    """Shared tags created by `user` with these use counters (as the triggers keep them)."""
    tags = SourceTag.objects.bulk_create(
        SourceTag(workspace=workspace, label=f"{prefix} {n:03d}", created_by=user)
        for n in range(len(uses))
    )
    for tag, count in zip(tags, uses, strict=True):
        SourceTag.objects.filter(pk=tag.pk).update(shared_claim_count=count)
    return tags


def labels(html: str) -> list[str]:
    return re.findall(r'<span class="tag-chip[^"]*">([^<]+)</span>', html)


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a class="button" href="([^"]+)" rel="{rel}">', html)
    return found[1].replace("&amp;", "&") if found else None


def expected_order(workspace) -> list[str]:
    tags = SourceTag.objects.filter(workspace=workspace)
    return [t.label for t in sorted(tags, key=lambda t: (-t.shared_claim_count, t.label))]


@pytest.mark.django_db
class TestPages:
    def test_pages_follow_each_other_most_used_first_and_back(self, alice_client, workspace, alice):
        # Many ties: the order within one count is by label, across page boundaries too.
        make_tags(workspace=workspace, user=alice, uses=[n % 4 for n in range(PAGE * 2 + 7)])
        url = reverse("annotations:tags")
        first = alice_client.get(url).content.decode()
        assert link(first, "prev") is None
        second = alice_client.get(url + link(first, "next")).content.decode()
        third = alice_client.get(url + link(second, "next")).content.decode()
        assert link(third, "next") is None
        seen = labels(first) + labels(second) + labels(third)
        assert [len(labels(page)) for page in (first, second, third)] == [PAGE, PAGE, 7]
        assert seen == expected_order(workspace)
        back = alice_client.get(url + link(third, "prev")).content.decode()
        assert labels(back) == labels(second)
        assert labels(alice_client.get(url + link(back, "prev")).content.decode()) == labels(first)

    def test_a_page_costs_the_same_queries_however_many_tags(self, alice_client, workspace, alice):
        url = reverse("annotations:tags")
        make_tags(workspace=workspace, user=alice, uses=[1] * (PAGE + 1))
        counts = []
        for more in (0, PAGE * 3):
            make_tags(workspace=workspace, user=alice, uses=[2] * more, prefix="More")
            with CaptureQueriesContext(connection) as first:
                html = alice_client.get(url).content.decode()
            with CaptureQueriesContext(connection) as deeper:
                alice_client.get(url + link(html, "next"))
            counts.append((len(first), len(deeper)))
        assert counts[0] == counts[1]
        assert counts[0][1] == counts[0][0] + 1  # the row the link names

    def test_a_link_to_a_tag_that_is_gone_lands_on_the_first_page(
        self, alice_client, workspace, alice
    ):
        tags = make_tags(workspace=workspace, user=alice, uses=[1] * (PAGE + 3))
        url = reverse("annotations:tags")
        for stale in (f"?after={tags[0].pk + 10_000}", "?before=abc", "?after=-1"):
            response = alice_client.get(url + stale)
            assert response.status_code == 200
            assert labels(response.content.decode()) == expected_order(workspace)[:PAGE]

    def test_an_outsider_never_pages_into_other_workspaces(self, client, workspace, alice, charlie):
        tags = make_tags(workspace=workspace, user=alice, uses=[3, 2, 1])
        client.force_login(charlie)
        html = client.get(reverse("annotations:tags") + f"?after={tags[0].pk}").content.decode()
        assert labels(html) == []


@pytest.mark.django_db
class TestFilter:
    def test_the_filter_matches_label_outlet_and_cited_source(self, alice_client, workspace, alice):
        seed = make_seed_article(workspace=workspace, user=alice)
        claim = services.create_claim(article=seed, author=alice, exact=FIRST)
        for label in ("WSJ citing US officials", "Reuters", "AFP citing Pentagon sources"):
            services.add_tag(claim=claim, label=label, user=alice)
        url = reverse("annotations:tags")
        assert labels(alice_client.get(url, {"q": "wsj"}).content.decode()) == [
            "WSJ citing US officials"
        ]
        assert labels(alice_client.get(url, {"q": "pentagon"}).content.decode()) == [
            "AFP citing Pentagon sources"
        ]
        html = alice_client.get(url, {"q": "Bloomberg"}).content.decode()
        assert labels(html) == [] and "No tag matches “Bloomberg”." in html

    def test_typing_swaps_only_the_results(self, alice_client, workspace, alice):
        make_tags(workspace=workspace, user=alice, uses=[1] * (PAGE + 2), prefix="Agency")
        response = alice_client.get(
            reverse("annotations:tags"),
            {"q": "agency"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="tag-results",
        )
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="tag-results"') and "<html" not in html
        # The next page keeps the filter.
        assert "q=agency" in link(html, "next") and "after=" in link(html, "next")

    def test_the_filter_keeps_a_private_tag_private(self, client, workspace, alice, bob):
        seed = make_seed_article(workspace=workspace, user=alice)
        secret = services.create_claim(
            article=seed, author=alice, exact=FIRST, visibility="private"
        )
        services.add_tag(claim=secret, label="Bild citing informant John Doe", user=alice)
        client.force_login(bob)
        assert labels(client.get(reverse("annotations:tags"), {"q": "Doe"}).content.decode()) == []


@pytest.fixture
def tagged(workspace, alice, bob):
    seed = make_seed_article(workspace=workspace, user=alice)
    hers = services.create_claim(article=seed, author=alice, exact=FIRST)
    his = services.create_claim(article=seed, author=bob, exact=SECOND)
    return {
        "wsj": services.add_tag(claim=hers, label="WSJ", user=alice),
        "journal": services.add_tag(claim=his, label="Wall Street Journal", user=bob),
        "hers": hers,
        "his": his,
    }


@pytest.mark.django_db
class TestMergeByLabel:
    def test_the_typed_label_asks_to_merge_into_that_tag(self, alice_client, tagged):
        merge = reverse("annotations:merge_tag", args=[tagged["wsj"].pk])
        response = alice_client.post(merge, {"into_label": "  wall street JOURNAL "})
        html = response.content.decode()
        assert "Merge “WSJ” into “Wall Street Journal”?" in html
        # The confirmation names the target by id: what was confirmed is what is merged.
        assert f'name="into" value="{tagged["journal"].pk}"' in html
        alice_client.post(merge, {"into": tagged["journal"].pk, "confirm": "yes"})
        assert not SourceTag.objects.filter(pk=tagged["wsj"].pk).exists()
        assert list(tagged["hers"].tags.all()) == [tagged["journal"]]
        assert TagChange.objects.get().summary == "Merged “WSJ” into “Wall Street Journal”"

    def test_an_unknown_label_is_explained_and_changes_nothing(self, alice_client, tagged):
        merge = reverse("annotations:merge_tag", args=[tagged["wsj"].pk])
        response = alice_client.post(merge, {"into_label": "Bloomberg"}, follow=True)
        assert "There is no tag “Bloomberg” to merge into" in response.content.decode()
        response = alice_client.post(merge, {"into_label": "  "}, follow=True)
        assert "Choose the tag to merge into." in response.content.decode()
        # Its own label is no target either.
        response = alice_client.post(merge, {"into_label": "wsj"}, follow=True)
        assert "There is no tag “wsj” to merge into" in response.content.decode()
        assert SourceTag.objects.filter(pk=tagged["wsj"].pk).exists()

    def test_someone_elses_private_tag_is_no_target(self, client, workspace, alice, bob, tagged):
        secret = services.create_claim(
            article=tagged["hers"].article, author=alice, exact="Raketen", visibility="private"
        )
        services.add_tag(claim=secret, label="Informant Doe", user=alice)
        own = services.add_tag(claim=tagged["his"], label="AFP", user=bob)
        client.force_login(bob)
        merge = reverse("annotations:merge_tag", args=[own.pk])
        response = client.post(merge, {"into_label": "Informant Doe"}, follow=True)
        assert "There is no tag “Informant Doe” to merge into" in response.content.decode()

    def test_of_a_shared_and_a_private_tag_of_one_label_the_same_kind_is_meant(
        self, workspace, alice, tagged
    ):
        private = SourceTag.objects.create(
            workspace=workspace, label="Wall Street Journal", owner=alice, created_by=alice
        )
        mine = SourceTag.objects.create(
            workspace=workspace, label="WSJ draft", owner=alice, created_by=alice
        )
        shared, label = tagged["wsj"], "wall street journal"
        assert selectors.merge_target(source=mine, user=alice, label=label) == private
        assert selectors.merge_target(source=shared, user=alice, label=label) == tagged["journal"]

    def test_suggestions_for_the_merge_field_leave_out_the_tag_itself(self, alice_client, tagged):
        url = reverse("annotations:tag_suggestions")
        html = alice_client.get(
            url, {"into_label": "w", "exclude": tagged["wsj"].pk}
        ).content.decode()
        assert 'value="Wall Street Journal"' in html and 'value="WSJ"' not in html
        assert alice_client.get(url, {"into_label": "w", "exclude": "x"}).status_code == 200


@pytest.mark.django_db
def test_marking_a_tag_anonymous_returns_to_the_same_page(alice_client, tagged):
    url = reverse("annotations:tag_anonymous", args=[tagged["wsj"].pk])
    back = "?q=W&after=5&done=3&next=https://evil.example/"
    response = alice_client.post(url, {"anonymous": "true", "back": back})
    assert response["Location"] == reverse("annotations:tags") + "?q=W&after=5"
    response = alice_client.post(url, {"anonymous": "false"})
    assert response["Location"] == reverse("annotations:tags")
    tagged["wsj"].refresh_from_db()
    assert tagged["wsj"].anonymous is False
