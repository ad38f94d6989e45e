"""Background jobs of the articles app (found by procrastinate's autodiscovery)."""

from __future__ import annotations

from jobs.queue import task

from . import imports


@task(name=imports.IMPORT_ITEM_TASK)
def import_item(*, item_id: int, attempt: int) -> None:
    imports.run_item(item_id=item_id, attempt=attempt)
