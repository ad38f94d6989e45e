"""Running background jobs in tests.

* ``drain_jobs()``: run the queued jobs in this process, on the test's own connection (so a
  test in a transaction sees them), through the registered task functions and the retry rule.
* ``WorkerProcess``: the real thing, ``manage.py run_worker`` as a subprocess against the
  test database (tests that use it need ``transactional_db``, so their rows are committed).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from jobs.queue import RetryLater, app, max_attempts

ROOT = Path(__file__).resolve().parents[1]


def queued_jobs(task_name: str | None = None) -> list[dict]:
    query = "SELECT id, task_name, args, status, attempts FROM procrastinate_jobs"
    query += " WHERE status = 'todo'" + (" AND task_name = %s" if task_name else "")
    with connection.cursor() as cursor:
        cursor.execute(query + " ORDER BY id", [task_name] if task_name else [])
        columns = [column[0] for column in cursor.description]
        jobs = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for job in jobs:  # Django's connection reads jsonb as text
        if isinstance(job["args"], str):
            job["args"] = json.loads(job["args"])
    return jobs


def drain_jobs() -> list[tuple[str, int]]:
    """Run every queued job to its end, retrying RetryLater as the worker would (without the
    wait); returns (task name, attempts) per job."""
    done = []
    for job in queued_jobs():
        func = app.tasks[job["task_name"]].func.__wrapped__
        attempt = 1
        while True:
            try:
                func(attempt=attempt, **job["args"])
            except RetryLater:
                if attempt < max_attempts():
                    attempt += 1
                    continue
            break
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE procrastinate_jobs SET status = 'succeeded' WHERE id = %s", [job["id"]]
            )
        done.append((job["task_name"], attempt))
    return done


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or ""
    if host.startswith("/"):
        return f"postgresql://{auth}@/{db['NAME']}?host={quote(host)}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgresql://{auth}@{host}{port}/{db['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "1",
        "ARTICLE_FETCH_ALLOWED_ADDRESSES": "127.0.0.1",
        "JOB_RETRY_SECONDS": "1",
        "JOB_HEARTBEAT_SECONDS": "1",
        "JOB_STALLED_SECONDS": "4",
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "text",
        **extra,
    }


class WorkerProcess:
    def __init__(self, **env: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "run_worker", "--concurrency", "2"],
            cwd=ROOT,
            env=process_env(**env),
        )

    def kill(self) -> None:
        """Die at once, as on a lost machine: no chance to give its jobs back."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def __enter__(self) -> WorkerProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_for(condition, *, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.2)


def finish_web_import(client, response):
    """After a POST that queued an import (a redirect to its batch page): run the jobs and
    answer with that page as the person would next see it."""
    location = response.get("Location", "") if response.status_code == 302 else ""
    if not location.startswith("/articles/import/batch/"):
        return response
    drain_jobs()
    return client.get(location)
