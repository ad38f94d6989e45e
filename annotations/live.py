"""Live updates between co-annotators: PostgreSQL LISTEN/NOTIFY → Server-Sent Events.

Every change is an `Activity` row; its insert trigger sends NOTIFY sourcemark_activity with
ids only. Each server process keeps ONE listening connection (`Broadcaster`) and wakes the
streams of the articles concerned; each stream then reads the activity rows after its last
event id through the normal visibility rules, so nothing (private claims included) reaches a
browser that the reader could not load as a page. Nothing is shared in memory between
processes: a change made in one process reaches streams in every other one through
PostgreSQL, and a browser that reconnects resumes from its Last-Event-ID against the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections import defaultdict
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import psycopg
from asgiref.sync import (
    async_to_sync,
    iscoroutinefunction,
    markcoroutinefunction,
    sync_to_async,
)
from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.db.models import Max, Q
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.decorators import sync_and_async_middleware

from activity.models import Activity
from workspaces.models import Membership

CHANNEL = "sourcemark_activity"
KEEPALIVE_SECONDS = 15.0
# How often an open stream re-checks that its reader is still a member.
ACCESS_CHECK_SECONDS = 15.0
RETRY_MS = 2000
POLL_RETRY_MS = 5000
BATCH = 200
# Wakes every stream so it re-reads the log (after the listener lost its connection).
RESYNC = -1
# Streams read the log in a few threads of their own, never in the request thread; each
# read takes a pooled connection and gives it back at once, so an idle stream holds none and
# the live machinery never holds more than DB_THREADS.
DB_THREADS = 4
_executor = ThreadPoolExecutor(max_workers=DB_THREADS, thread_name_prefix="sourcemark-live")
# Opening a stream reads the database once (reader, article, catch-up). At most this many
# openings read at once per process; the others wait their turn, up to OPENING_WAIT_SECONDS,
# then are told to come back (a burst of reconnecting browsers must not empty the pool).
OPENING_AT_ONCE = 8
OPENING_WAIT_SECONDS = 10.0
RETRY_AFTER_SECONDS = 5

logger = logging.getLogger(__name__)


class Broadcaster:
    """One LISTEN connection per process, fanning notifications out to article streams."""

    def __init__(self) -> None:
        self._queues: dict[int, set[asyncio.Queue[int]]] = defaultdict(set)
        self.logs: dict[int, ArticleLog] = {}
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.ready = asyncio.Event()

    @property
    def subscriber_count(self) -> int:
        return sum(len(queues) for queues in self._queues.values())

    def subscribe(self, article_id: int) -> asyncio.Queue[int]:
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._loop is not loop:
            self._loop = loop
            self.ready = asyncio.Event()
            self._task = loop.create_task(self._listen())
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1000)
        self._queues[article_id].add(queue)
        self.logs.setdefault(article_id, ArticleLog())
        return queue

    def unsubscribe(self, article_id: int, queue: asyncio.Queue[int]) -> None:
        self._queues[article_id].discard(queue)
        if not self._queues[article_id]:
            del self._queues[article_id]
            self.logs.pop(article_id, None)

    def _wake(self, article_id: int | None, event_id: int) -> None:
        if article_id is None:
            targets = list(self._queues.values())
        else:
            targets = [self._queues.get(article_id, set())]
        for queues in targets:
            for queue in queues:
                with contextlib.suppress(asyncio.QueueFull):  # it re-reads the log anyway
                    queue.put_nowait(event_id)

    def _on_notify(self, payload: dict) -> None:
        if payload.get("article") is None:
            return
        article_id = int(payload["article"])
        if "revoked" in payload:
            # A claim went private: the cached rows' audience is out of date. Its
            # `claim.hidden` row, notified next, wakes the streams.
            if article_id in self.logs:
                self.logs[article_id].forget()
            return
        self._wake(article_id, int(payload["id"]))

    async def _listen(self) -> None:
        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    **listen_connection_params(), autocommit=True
                ) as listener:
                    await listener.execute(f"LISTEN {CHANNEL}")
                    self.ready.set()
                    for log in self.logs.values():  # whatever was missed is re-read
                        log.forget()
                    self._wake(None, RESYNC)
                    delay = 0.5
                    async for notify in listener.notifies():
                        self._on_notify(json.loads(notify.payload))
            except asyncio.CancelledError:
                raise
            except Exception:  # the database went away: retry, streams keep their position
                logger.warning("live listener lost its connection; retrying", exc_info=True)
                self.ready.clear()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 4.0)


broadcaster = Broadcaster()


def listen_connection_params() -> dict:
    """Where the LISTEN connection goes: LISTEN_DATABASE_URL (straight to PostgreSQL when
    requests go through a transaction pooler, which cannot keep a LISTEN), else the default
    database's server."""
    if settings.LISTEN_DATABASE_URL:
        return {"conninfo": settings.LISTEN_DATABASE_URL}
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    return params


class StreamsBusy(Exception):
    """No room for another stream in this process right now: come back later."""


class Admission:
    """How many streams this process may open: LIVE_MAX_STREAMS running or being opened,
    and at most OPENING_AT_ONCE of them reading the database at once."""

    def __init__(self) -> None:
        self.opening = 0
        self._turns: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None

    @contextlib.asynccontextmanager
    async def opening_stream(self):
        """Wait (bounded) for a turn to open one more stream; StreamsBusy when there is no
        room. Once open, the stream counts as a subscriber until it ends."""
        if broadcaster.subscriber_count + self.opening >= settings.LIVE_MAX_STREAMS:
            raise StreamsBusy
        loop = asyncio.get_running_loop()
        if self._turns is None or self._turns[0] is not loop:
            self._turns = (loop, asyncio.Semaphore(OPENING_AT_ONCE))
        turns = self._turns[1]
        self.opening += 1
        try:
            try:
                await asyncio.wait_for(turns.acquire(), OPENING_WAIT_SECONDS)
            except TimeoutError:
                raise StreamsBusy from None
            try:
                yield
            finally:
                turns.release()
        finally:
            self.opening -= 1


admission = Admission()


def come_back_later() -> HttpResponse:
    """No room for a stream now (or the database is away): EventSource clients retry."""
    response = HttpResponse(
        "Live updates are busy right now; retrying shortly.\n",
        status=503,
        content_type="text/plain",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _is_event_stream(request) -> bool:
    if not request.path_info.endswith("/events/"):
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name == "annotations:article_events"


@sync_and_async_middleware
def stream_admission(get_response):
    """Middleware: admit an event stream before anything reads the database for it (the
    session, the user): at most LIVE_MAX_STREAMS per process, and OPENING_AT_ONCE opening
    at a time; the others wait a little, then get 503 with Retry-After instead of queueing
    for the pool until it times out (a 500).

    Sync as well as async, so an ordinary request never changes thread or event loop here:
    the middleware below it is sync, so under ASGI the request is already on a thread, and
    under WSGI an async-only middleware would start an event loop for every request. Only an
    event stream goes to the event loop to wait for its turn (under ASGI the server's loop;
    the rest of the chain then runs back on the request's thread)."""

    is_async = iscoroutinefunction(get_response)
    respond = get_response if is_async else sync_to_async(get_response, thread_sensitive=True)

    async def admit(request):
        try:
            async with admission.opening_stream():
                return await respond(request)
        except StreamsBusy:
            return come_back_later()

    if is_async:

        async def middleware(request):
            if request.method != "GET" or not _is_event_stream(request):
                return await get_response(request)
            return await admit(request)

        return markcoroutinefunction(middleware)

    def sync_middleware(request):
        if request.method != "GET" or not _is_event_stream(request):
            return get_response(request)
        return async_to_sync(admit)(request)

    return sync_middleware


def latest_event_id(*, article_id: int) -> int:
    return Activity.objects.filter(article_id=article_id).aggregate(last=Max("id"))["last"] or 0


def has_access(*, article_id: int, user) -> bool:
    return Membership.objects.filter(user=user, workspace__articles__id=article_id).exists()


def log_rows(*, article_id: int, after_id: int) -> list[dict]:
    """Every activity row of an article after `after_id`, with its audience (at most BATCH)."""
    rows = (
        Activity.objects.filter(article_id=article_id, id__gt=after_id)
        .select_related("actor")
        .order_by("id")[:BATCH]
    )
    return [_row_dict(row) for row in rows]


def _row_dict(row: Activity) -> dict:
    return {
        "id": row.id,
        "verb": row.verb,
        "actor": row.actor.get_username() if row.actor else "",
        "actor_id": row.actor_id,
        "claim": row.claim_id,
        "summary": row.summary,
        "visible_to": row.visible_to_id,
    }


def event_for(row: dict, *, user) -> dict | None:
    """What a reader is told of a log row, or None when it is not theirs to see."""
    if row["visible_to"] is not None and row["visible_to"] != user.pk:
        return None
    return {
        "id": row["id"],
        "verb": row["verb"],
        "actor": row["actor"],
        "mine": row["actor_id"] == user.pk,
        "claim": row["claim"],
        "summary": row["summary"],
    }


class ArticleLog:
    """The recent log of one article, shared by all of its streams in this process: one
    query per change, however many readers are connected."""

    KEEP = 500

    def __init__(self) -> None:
        self.rows: list[dict] = []  # ascending ids
        self.covered_from: int | None = None  # rows hold every row with id > covered_from
        self.lock = asyncio.Lock()
        self.generation = 0  # bumped by forget(): a read begun before it is not kept

    def forget(self) -> None:
        """Drop the cached rows (their audience changed, or notifications were missed)."""
        self.rows = []
        self.covered_from = None
        self.generation += 1

    @property
    def last_id(self) -> int:
        return self.rows[-1]["id"] if self.rows else (self.covered_from or 0)

    async def after(self, *, article_id: int, after_id: int, wanted_id: int) -> list[dict]:
        """Rows after `after_id`; reads the database only when the shared copy lacks them
        (the first stream woken by a change reads, the others find the rows here)."""
        async with self.lock:
            while True:
                cached = self.covered_from is not None and after_id >= self.covered_from
                if cached and self.last_id >= wanted_id:
                    break
                start = self.last_id if cached else after_id
                generation = self.generation
                fetched = await _in_db_thread(log_rows, article_id=article_id, after_id=start)
                if generation != self.generation:  # an audience changed meanwhile: read again
                    continue
                if cached:
                    self.rows += fetched
                else:
                    self.rows, self.covered_from = fetched, after_id
                if len(self.rows) > self.KEEP:
                    self.covered_from = self.rows[-self.KEEP - 1]["id"]
                    self.rows = self.rows[-self.KEEP :]
                break
            return [row for row in self.rows if row["id"] > after_id][:BATCH]


def visible_events(*, article_id: int, user, after_id: int) -> list[dict] | None:
    """Events after `after_id` the user may see, or None when they lost access (the WSGI
    polling answer; visibility is filtered in SQL so a batch is never all others' rows)."""
    if not has_access(article_id=article_id, user=user):
        return None
    rows = (
        Activity.objects.filter(article_id=article_id, id__gt=after_id)
        .filter(Q(visible_to__isnull=True) | Q(visible_to=user))
        .select_related("actor")
        .order_by("id")[:BATCH]
    )
    return [event_for(_row_dict(row), user=user) for row in rows]


def sse_message(event: dict) -> str:
    return f"id: {event['id']}\nevent: claims-changed\ndata: {json.dumps(event)}\n\n"


def polling_response(events: list[dict]) -> str:
    """The whole answer of a WSGI server: the new events, then "come back in a few seconds"."""
    return f"retry: {POLL_RETRY_MS}\n\n" + "".join(sse_message(event) for event in events)


def _with_fresh_connection(function, kwargs):
    # These threads live as long as the process: a connection kept between reads would be
    # one the pool cannot lend, and after a database restart a dead one. Give it back at once
    # (with the pool that is cheap; the pool checks a connection before lending it again).
    try:
        return function(**kwargs)
    finally:
        connections.close_all()


async def _in_db_thread(function, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(
        _executor, _with_fresh_connection, function, kwargs
    )


def close_db_threads() -> None:
    """Close the database connections the live threads hold (tests, shutdown)."""
    barrier = threading.Barrier(DB_THREADS)

    def close() -> None:
        barrier.wait(timeout=5)  # one task per thread: each closes its own connection
        connections.close_all()

    for future in [_executor.submit(close) for _ in range(DB_THREADS)]:
        future.result(timeout=10)


async def event_stream(
    *, article_id: int, user, after_id: int, backlog: list[dict] | None = None
) -> AsyncIterator[str]:
    """The events of one article for one reader, from `after_id` on, as they happen.

    `backlog`: the events after `after_id` already read (visible_events) when the stream
    was opened. The catch-up is always read that way, filtered in SQL by who may see each
    row *now*: the shared log is only for following along from the present.
    """
    queue = broadcaster.subscribe(article_id)
    try:
        yield f"retry: {RETRY_MS}\n: connected\n\n"
        while True:
            if backlog is None:
                backlog = await _in_db_thread(
                    visible_events, article_id=article_id, user=user, after_id=after_id
                )
                if backlog is None:
                    yield "event: access-lost\ndata: {}\n\n"
                    return
            for event in backlog:
                after_id = event["id"]
                yield sse_message(event)
            if len(backlog) < BATCH:
                break
            backlog = None
        following = _follow(article_id=article_id, user=user, after_id=after_id, queue=queue)
        async with contextlib.aclosing(following):
            async for message in following:
                yield message
    except DatabaseError:
        # The database went away: end the stream; the browser reconnects with its
        # Last-Event-ID and is told to come back until the database answers again.
        logger.warning("live stream of article %s ended: database error", article_id, exc_info=True)
    finally:
        broadcaster.unsubscribe(article_id, queue)


async def _follow(*, article_id: int, user, after_id: int, queue) -> AsyncIterator[str]:
    """After the catch-up: wake on NOTIFY, read the shared log, send what the user may see."""
    log = broadcaster.logs[article_id]
    wanted_id = 0
    access_checked = asyncio.get_running_loop().time()
    while True:
        rows = await log.after(article_id=article_id, after_id=after_id, wanted_id=wanted_id)
        for row in rows:
            after_id = row["id"]
            event = event_for(row, user=user)
            if event is not None:
                yield sse_message(event)
        if len(rows) == BATCH:
            continue
        try:
            wanted_id = await asyncio.wait_for(queue.get(), timeout=KEEPALIVE_SECONDS)
        except TimeoutError:
            yield ": keep-alive\n\n"
            wanted_id = 0
        while not queue.empty():  # one read of the log covers every pending wake-up
            wanted_id = max(wanted_id, queue.get_nowait())
        now = asyncio.get_running_loop().time()
        if now - access_checked > ACCESS_CHECK_SECONDS:
            access_checked = now
            if not await _in_db_thread(has_access, article_id=article_id, user=user):
                yield "event: access-lost\ndata: {}\n\n"
                return
