"""Benchmarks only (config.bench_settings): how many SQL queries a response took, and their
time, as a `db;dur=<ms>;desc="<n> queries"` entry of the Server-Timing header (bench/scale.py).

Django's execute wrappers hang on one connection object, which under ASGI need not be the one
the view uses; so every cursor of the process counts into the request's context instead
(sync_to_async carries context variables into the threads the view runs in). Statements run
with psycopg's own `cursor.copy()` (the CSV export's COPY) are not counted.
"""

import time
from contextvars import ContextVar

from django.db.backends import utils

_counter: ContextVar[list | None] = ContextVar("bench_query_counter", default=None)
_execute_with_wrappers = utils.CursorWrapper._execute_with_wrappers


def _counting_execute(self, sql, params, many, executor):
    counter = _counter.get()
    if counter is None:
        return _execute_with_wrappers(self, sql, params, many, executor)
    started = time.perf_counter()
    try:
        return _execute_with_wrappers(self, sql, params, many, executor)
    finally:
        counter[0] += 1
        counter[1] += time.perf_counter() - started


utils.CursorWrapper._execute_with_wrappers = _counting_execute


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = [0, 0.0]
        token = _counter.set(counter)
        try:
            response = self.get_response(request)
        finally:
            _counter.reset(token)
        timing = response.get("Server-Timing", "")
        entry = f'db;dur={counter[1] * 1000:.2f};desc="{counter[0]} queries"'
        response["Server-Timing"] = f"{timing}, {entry}" if timing else entry
        return response
