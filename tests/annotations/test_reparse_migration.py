"""The data migration that re-parses existing source tags (issue 14)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from annotations.models import SourceTag
from tests.factories import make_article

migration = importlib.import_module("annotations.migrations.0009_reparse_source_tags")

pytestmark = pytest.mark.django_db


def _tag(workspace, label: str, **fields) -> SourceTag:
    # Rows as the old parser left them: everything in outlet, nothing cited.
    defaults = {"outlet": label, "cited": "", "anonymous": False}
    return SourceTag.objects.create(workspace=workspace, label=label, **{**defaults, **fields})


def test_reparses_outlet_cited_and_anonymous(workspace) -> None:
    told = _tag(workspace, "Western officials told Reuters")
    frame = _tag(workspace, "laut dpa", outlet="", cited="dpa")
    migration.reparse_source_tags(apps, None)
    told.refresh_from_db()
    frame.refresh_from_db()
    assert (told.outlet, told.cited, told.anonymous) == ("Reuters", "Western officials", True)
    assert (frame.outlet, frame.cited, frame.anonymous) == ("dpa", "", False)


def test_manual_anonymous_toggle_wins(workspace) -> None:
    tag = _tag(workspace, "a Pentagon spokesperson", anonymous=False, anonymous_is_manual=True)
    migration.reparse_source_tags(apps, None)
    tag.refresh_from_db()
    assert (tag.outlet, tag.cited, tag.anonymous) == ("", "Pentagon spokesperson", False)


def test_workspace_article_outlets_count_as_media(workspace) -> None:
    make_article(workspace=workspace, outlet="Gemeindebote")
    tag = _tag(workspace, "laut Gemeindebote", outlet="", cited="Gemeindebote")
    migration.reparse_source_tags(apps, None)
    tag.refresh_from_db()
    assert (tag.outlet, tag.cited) == ("Gemeindebote", "")


def test_this_rounds_migration_reparses_with_the_new_shapes(workspace) -> None:
    """Migration 0014 runs the same step again for the phrasings this round's parser reads:
    a tag stored as the previous parser left it is corrected."""
    again = importlib.import_module("annotations.migrations.0014_reparse_source_tags_again")
    credit = _tag(workspace, "dpa/AFP", outlet="", cited="dpa/AFP")
    again.reparse_source_tags(apps, None)
    credit.refresh_from_db()
    assert (credit.outlet, credit.cited, credit.anonymous) == ("dpa/AFP", "", False)
