"""Issue 11: tag use counters kept by the database (migration 0009).

SourceTag.shared_claim_count counts shared claims carrying a tag; PrivateTagUse counts each
author's private claims carrying it. Every path that changes which claims carry a tag, or a
claim's visibility, must leave them equal to a count from scratch.
"""

from __future__ import annotations

import pytest
from factories import make_seed_article, make_user

from annotations import selectors, services
from annotations.models import Claim, ClaimTag, PrivateTagUse, SourceTag

FIRST = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"
SECOND = "Moskau habe bereits damit begonnen"


def true_counts(workspace) -> dict:
    """{tag label (owner id): (shared uses, {author id: private uses})} counted from scratch."""
    counts = {}
    for tag in SourceTag.objects.filter(workspace=workspace):
        links = ClaimTag.objects.filter(tag=tag).select_related("claim")
        shared = sum(1 for link in links if link.claim.visibility == "workspace")
        private: dict[int, int] = {}
        for link in links:
            if link.claim.visibility != "workspace":
                private[link.claim.author_id] = private.get(link.claim.author_id, 0) + 1
        counts[(tag.label, tag.owner_id)] = (shared, private)
    return counts


def kept_counts(workspace) -> dict:
    counts = {}
    for tag in SourceTag.objects.filter(workspace=workspace):
        private = dict(PrivateTagUse.objects.filter(tag=tag).values_list("author_id", "uses"))
        counts[(tag.label, tag.owner_id)] = (tag.shared_claim_count, private)
    return counts


def assert_counters_true(workspace) -> None:
    assert kept_counts(workspace) == true_counts(workspace)
    assert not PrivateTagUse.objects.filter(uses=0).exists()


@pytest.fixture
def seed(workspace, alice):
    return make_seed_article(workspace=workspace, user=alice)


@pytest.fixture
def claims(seed, alice, bob):
    shared = services.create_claim(article=seed, author=alice, exact=FIRST)
    private = services.create_claim(article=seed, author=bob, exact=SECOND, visibility="private")
    return shared, private


def shared_count(label: str) -> int:
    return SourceTag.objects.get(label=label, owner__isnull=True).shared_claim_count


@pytest.mark.django_db
class TestCounters:
    def test_adding_and_removing_tags(self, workspace, claims, alice, bob):
        shared, private = claims
        tag = services.add_tag(claim=shared, label="Reuters", user=alice)
        assert shared_count("Reuters") == 1
        mine = services.add_tag(claim=private, label="dpa", user=bob)
        assert PrivateTagUse.objects.get(tag=mine, author=bob).uses == 1
        assert SourceTag.objects.get(pk=mine.pk).shared_claim_count == 0
        assert_counters_true(workspace)
        services.remove_tag(claim=shared, tag_id=tag.pk, user=alice)
        services.remove_tag(claim=private, tag_id=mine.pk, user=bob)
        assert shared_count("Reuters") == 0
        assert not PrivateTagUse.objects.exists()
        assert_counters_true(workspace)

    def test_visibility_changes_move_the_count(self, workspace, claims, alice, bob):
        shared, private = claims
        services.add_tag(claim=shared, label="Reuters", user=alice)
        services.add_tag(claim=private, label="Reuters", user=bob)
        assert shared_count("Reuters") == 1
        private.refresh_from_db()
        services.update_claim(claim=private, version=private.version, visibility="workspace")
        assert shared_count("Reuters") == 2
        assert_counters_true(workspace)
        shared.refresh_from_db()
        services.update_claim(claim=shared, version=shared.version, visibility="private")
        assert shared_count("Reuters") == 1
        assert PrivateTagUse.objects.get(author=alice).uses == 1
        assert_counters_true(workspace)

    def test_deleting_claims_users_and_tags(self, workspace, claims, alice, bob):
        shared, private = claims
        services.add_tag(claim=shared, label="Reuters", user=alice)
        services.add_tag(claim=private, label="AFP", user=bob)
        services.delete_claim(claim=Claim.objects.get(pk=shared.pk), actor=alice)
        assert shared_count("Reuters") == 0
        assert_counters_true(workspace)
        bob.delete()  # his private claim and its use row go with him, in any order
        assert not PrivateTagUse.objects.exists()
        assert_counters_true(workspace)

    def test_merge_and_undo(self, workspace, seed, alice, bob):
        first = services.create_claim(article=seed, author=alice, exact=FIRST)
        second = services.create_claim(article=seed, author=bob, exact=SECOND)
        third = services.create_claim(
            article=seed, author=bob, exact="Raketen", visibility="private"
        )
        source = services.add_tag(claim=first, label="Reuters", user=alice)
        services.add_tag(claim=second, label="Reuters", user=bob)
        target = services.add_tag(claim=second, label="Reuters staff", user=bob)
        services.add_tag(claim=third, label="Reuters", user=bob)
        assert shared_count("Reuters") == 2
        merged = services.merge_tags(source=source, target=target, actor=alice)
        # `second` carried both: it counts once; bob's private claim moved along.
        assert SourceTag.objects.get(pk=merged.pk).shared_claim_count == 2
        assert PrivateTagUse.objects.get(tag=merged, author=bob).uses == 1
        assert_counters_true(workspace)
        services.undo_tag_change(change=merged.change)
        assert shared_count("Reuters") == 2
        assert shared_count("Reuters staff") == 1
        assert_counters_true(workspace)

    def test_rename_keeps_counts(self, workspace, claims, alice):
        tag = services.add_tag(claim=claims[0], label="Reuters", user=alice)
        services.rename_tag(tag=tag, label="Reuters (wire)", actor=alice)
        assert shared_count("Reuters (wire)") == 1
        assert_counters_true(workspace)

    def test_recount_repairs_counters(self, workspace, claims, alice, bob):
        services.add_tag(claim=claims[0], label="Reuters", user=alice)
        services.add_tag(claim=claims[1], label="AFP", user=bob)
        SourceTag.objects.update(shared_claim_count=7)
        PrivateTagUse.objects.all().delete()
        services.recount_tag_uses(workspace_id=workspace.pk)
        assert_counters_true(workspace)
        assert shared_count("Reuters") == 1


@pytest.mark.django_db
class TestUsesAsTheReaderSees:
    def test_private_uses_count_only_for_their_author(self, workspace, seed, alice, bob):
        shared = services.create_claim(article=seed, author=alice, exact=FIRST)
        hidden = services.create_claim(
            article=seed, author=alice, exact=SECOND, visibility="private"
        )
        services.add_tag(claim=shared, label="Reuters", user=alice)
        services.add_tag(claim=hidden, label="Reuters", user=alice)
        uses = {
            tag.label: tag.uses
            for tag in selectors.tags_with_counts(workspace_id=workspace.pk, user=alice)
        }
        assert uses == {"Reuters": 2}
        uses = {
            tag.label: tag.uses
            for tag in selectors.tags_with_counts(workspace_id=workspace.pk, user=bob)
        }
        assert uses == {"Reuters": 1}

    def test_most_used_first(self, workspace, seed, alice, bob):
        first = services.create_claim(article=seed, author=alice, exact=FIRST)
        second = services.create_claim(article=seed, author=bob, exact=SECOND)
        services.add_tag(claim=first, label="AFP", user=alice)
        services.add_tag(claim=first, label="Reuters", user=alice)
        services.add_tag(claim=second, label="Reuters", user=bob)
        labels = [
            tag.label
            for tag in selectors.tag_suggestions(workspace_id=workspace.pk, user=bob, query="")
        ]
        assert labels == ["Reuters", "AFP"]

    def test_an_unused_shared_tag_is_seen_only_by_its_creator(self, workspace, seed, alice, bob):
        claim = services.create_claim(article=seed, author=alice, exact=FIRST)
        tag = services.add_tag(claim=claim, label="Reuters", user=alice)
        services.remove_tag(claim=claim, tag_id=tag.pk, user=alice)
        outsider = make_user()
        seen = {
            user.pk: [
                t.label for t in selectors.tags_with_counts(workspace_id=workspace.pk, user=user)
            ]
            for user in (alice, bob, outsider)
        }
        assert seen == {alice.pk: ["Reuters"], bob.pk: [], outsider.pk: []}
