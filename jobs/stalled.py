"""Jobs whose worker died (killed, machine lost) stay "doing" forever unless someone retries
them: every worker does so when it starts and then every half JOB_STALLED_SECONDS."""

from __future__ import annotations

import asyncio
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


async def retry_stalled_jobs(worker_app) -> int:
    """Put back every job whose worker has sent no heartbeat for ``JOB_STALLED_SECONDS``."""
    stalled = await worker_app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.JOB_STALLED_SECONDS
    )
    count = 0
    for job in stalled:
        logger.warning("retrying job %s (%s): its worker stopped", job.id, job.task_name)
        await worker_app.job_manager.retry_job(job)
        count += 1
    return count


async def keep_retrying_stalled_jobs(worker_app) -> None:
    """Run beside the worker until cancelled."""
    while True:
        await asyncio.sleep(max(1.0, settings.JOB_STALLED_SECONDS / 2))
        try:
            await retry_stalled_jobs(worker_app)
        except Exception:  # the database away for a moment: try again next round
            logger.exception("could not look for stalled jobs")
