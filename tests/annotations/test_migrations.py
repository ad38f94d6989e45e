"""Migration 0008 on existing data: private tags get their owners, duplicate claims merge."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("annotations", "0007_activity_moved")
AFTER = ("annotations", "0008_private_tags_unique_claims_tag_changes")


@pytest.fixture
def executor():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    executor.loader.build_graph()
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_tags_and_claims_are_migrated(executor):
    old = executor.loader.project_state([BEFORE]).apps
    user = old.get_model("auth", "User")
    alice, bob, carol = (user.objects.create(username=name) for name in ("alice", "bob", "carol"))
    workspace = old.get_model("workspaces", "Workspace").objects.create(name="Desk", slug="desk")
    article = old.get_model("articles", "Article").objects.create(
        workspace=workspace, title="T", source="paste"
    )
    claim_model = old.get_model("annotations", "Claim")
    tag_model = old.get_model("annotations", "SourceTag")
    claim_tag = old.get_model("annotations", "ClaimTag")
    reply = old.get_model("annotations", "Reply")

    def claim(author, start, visibility="workspace", note=""):
        return claim_model.objects.create(
            article=article,
            workspace=workspace,
            author=author,
            exact="x" * (10 - start),
            start=start,
            end=10,
            visibility=visibility,
            note=note,
        )

    def tag(label, created_by, *claims):
        made = tag_model.objects.create(workspace=workspace, label=label, created_by=created_by)
        for each in claims:
            claim_tag.objects.create(claim=each, tag=made)
        return made

    shared_claim, alice_private = claim(alice, 0), claim(alice, 1, "private")
    bob_private = claim(bob, 2, "private")
    twin_a, twin_b = claim(carol, 3, note="first"), claim(carol, 3, note="second")
    shared = tag("Reuters", alice, shared_claim, alice_private)
    secret = tag("Bild citing John Doe", alice, alice_private)
    both = tag("Insiders", alice, alice_private, bob_private)
    unused = tag("Draft", bob)
    on_twins = tag("AP", carol, twin_a, twin_b)
    only_twin_b = tag("AFP", carol, twin_b)
    reply.objects.create(claim=twin_b, author=alice, body="Source?")

    executor.migrate([AFTER])
    new = MigrationExecutor(connection).loader.project_state([AFTER]).apps
    tags = new.get_model("annotations", "SourceTag").objects
    assert tags.get(pk=shared.pk).owner_id is None
    assert tags.get(pk=secret.pk).owner_id == alice.pk
    assert tags.get(pk=unused.pk).owner_id == bob.pk
    # Used on private claims of two people: one private tag each, same label.
    insiders = {t.owner_id: t for t in tags.filter(label="Insiders")}
    assert set(insiders) == {alice.pk, bob.pk} and insiders[alice.pk].pk == both.pk
    claims = new.get_model("annotations", "Claim").objects
    assert [t.pk for t in claims.get(pk=bob_private.pk).tags.all()] == [insiders[bob.pk].pk]
    # Twins merged into the first: tags, replies and both notes kept.
    assert not claims.filter(pk=twin_b.pk).exists()
    kept = claims.get(pk=twin_a.pk)
    assert sorted(kept.tags.values_list("pk", flat=True)) == sorted([on_twins.pk, only_twin_b.pk])
    assert kept.note == "first\n\nsecond" and kept.replies.count() == 1
