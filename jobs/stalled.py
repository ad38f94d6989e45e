"""Jobs whose worker died (killed, machine lost) stay "doing" forever unless someone retries
them: every worker does so when it starts and once a minute (the periodic task below)."""

from __future__ import annotations

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
