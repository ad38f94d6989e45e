"""Run the background job worker: ``manage.py run_worker`` (dev.py run starts one)."""

from __future__ import annotations

import asyncio

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.queue import app
from jobs.stalled import keep_retrying_stalled_jobs, retry_stalled_jobs


class Command(BaseCommand):
    help = "Run queued background jobs (imports, re-fetches, …) until stopped (SIGINT/SIGTERM)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency",
            type=int,
            default=settings.JOB_WORKER_CONCURRENCY,
            help="Jobs run at the same time (default JOB_WORKER_CONCURRENCY).",
        )

    def handle(self, *args, concurrency: int, **options):
        asyncio.run(self._run(concurrency=max(1, concurrency)))

    async def _run(self, *, concurrency: int) -> None:
        # The web processes queue jobs on Django's connection; the worker needs its own
        # asynchronous one (LISTEN/NOTIFY wake-ups, heartbeats).
        worker_app = app.with_connector(app.connector.get_worker_connector())
        async with worker_app.open_async():
            await retry_stalled_jobs(worker_app)
            watcher = asyncio.create_task(keep_retrying_stalled_jobs(worker_app))
            try:
                await worker_app.run_worker_async(
                    concurrency=concurrency,
                    update_heartbeat_interval=settings.JOB_HEARTBEAT_SECONDS,
                    stalled_worker_timeout=settings.JOB_STALLED_SECONDS,
                    # What users see lives in the apps' own rows (e.g. ImportItem): a job
                    # that succeeded is not kept; failed ones stay for inspection.
                    delete_jobs="successful",
                )
            finally:
                watcher.cancel()
