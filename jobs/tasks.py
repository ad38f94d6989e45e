"""The queue's own periodic task (procrastinate imports every app's ``tasks`` module)."""

from __future__ import annotations

from .queue import app
from .stalled import retry_stalled_jobs


@app.periodic(cron="* * * * *", periodic_id="retry_stalled_jobs")
@app.task(name="jobs.retry_stalled_jobs", queueing_lock="retry_stalled_jobs", pass_context=True)
async def retry_stalled(context, timestamp: int) -> None:
    await retry_stalled_jobs(context.app)
