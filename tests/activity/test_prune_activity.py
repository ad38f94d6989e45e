"""Issue 11: `manage.py prune_activity --older-than 365d` keeps the change log bounded."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from activity.models import Activity, ActivityVerb
from activity.services import prune, record


def aged(*, workspace, days: int) -> Activity:
    row = record(workspace_id=workspace.pk, verb=ActivityVerb.TAG_UPDATED, summary=f"{days}d")
    Activity.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(days=days))
    return row


def test_prune_deletes_only_rows_older_than_the_age_in_batches(workspace):
    old = [aged(workspace=workspace, days=400 + n) for n in range(7)]
    kept = [aged(workspace=workspace, days=days) for days in (0, 30, 364)]
    out = StringIO()
    call_command("prune_activity", "--older-than", "365d", "--batch-size", "3", stdout=out)
    assert "Deleted 7 activity rows older than 365d." in out.getvalue()
    assert set(Activity.objects.values_list("pk", flat=True)) == {row.pk for row in kept}
    assert not Activity.objects.filter(pk__in=[row.pk for row in old]).exists()
    assert prune(older_than=timedelta(days=365)) == 0  # nothing left to do


def test_other_units(workspace):
    aged(workspace=workspace, days=15)
    aged(workspace=workspace, days=1)
    call_command("prune_activity", "--older-than", "2w", stdout=StringIO())
    assert Activity.objects.count() == 1
    call_command("prune_activity", "--older-than", "12h", stdout=StringIO())
    assert Activity.objects.count() == 0


@pytest.mark.parametrize("age", ["365", "d", "-5d", "0d", "1y", ""])
def test_bad_ages_are_a_clear_error_and_delete_nothing(workspace, age):
    aged(workspace=workspace, days=1000)
    with pytest.raises(CommandError, match="older-than"):
        call_command("prune_activity", "--older-than", age, stdout=StringIO())
    assert Activity.objects.count() == 1
