"""A request id on every request, its log lines and its response.

The id comes from a trusted proxy's `X-Request-ID` when that is a sane token (so one id follows
a request through proxy, app and logs), else a new uuid4. It lives in a context variable, which
asgiref carries into the threads that run sync views under ASGI, and `RequestIdLogFilter` adds it
to every log record. The middleware also writes one access-log line per request, replacing the
web server's (plain text, id-less) access log.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

REQUEST_ID_HEADER = "X-Request-ID"
NO_REQUEST = "-"
# Letters, digits and a few separators, as proxies and tracing systems use: never a newline or a
# quote that could forge a log line.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:=+/-]{1,128}")

request_id_var: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)
access_log = logging.getLogger("sourcemark.requests")


def request_id_from(header: str | None) -> str:
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    # Async as well as sync: it takes the mode of the middleware below it, so it never adds
    # a change between the event loop and a thread of its own.
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self._acall(request)
        request_id, started = self._start(request)
        return self._finish(request, self.get_response(request), request_id, started)

    async def _acall(self, request):
        request_id, started = self._start(request)
        return self._finish(request, await self.get_response(request), request_id, started)

    def _start(self, request) -> tuple[str, float]:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        # Not reset on the way out: Django logs error responses (django.request) after the
        # middleware chain returns, and a streamed body is produced later still; both should
        # carry the id. Every request sets its own, and under ASGI each has its own context.
        request_id_var.set(request_id)
        return request_id, time.perf_counter()

    def _finish(self, request, response, request_id: str, started: float):
        response[REQUEST_ID_HEADER] = request_id
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
        return response


class RequestIdLogFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request), for both log formats."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True
