import asyncio
import contextlib
import json

import pytest
from asgiref.sync import sync_to_async
from django.db import OperationalError, connections
from django.test import AsyncClient
from django.urls import reverse
from factories import make_seed_article

from activity.models import Activity
from annotations import live, services, views
from annotations.models import Claim

QUOTE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"
OTHER = "Moskau habe bereits damit begonnen"


@pytest.fixture
def seed(workspace, alice):
    return make_seed_article(workspace=workspace, user=alice)


@pytest.mark.django_db
def test_every_change_is_logged_with_the_right_audience(seed, alice, bob):
    shared = services.create_claim(article=seed, author=alice, exact=QUOTE)
    secret = services.create_claim(article=seed, author=alice, exact=OTHER, visibility="private")
    services.add_tag(claim=shared, label="WSJ citing US officials", user=alice)
    services.add_reply(claim=shared, author=bob, body="Which officials?")
    services.update_claim(claim=shared, version=shared.version + 1, visibility="private")
    verbs = list(Activity.objects.order_by("id").values_list("verb", "claim_id", "visible_to"))
    assert verbs == [
        # once the claim went private, what the log said of it is alice's alone …
        ("claim.created", shared.pk, alice.pk),
        ("claim.created", secret.pk, alice.pk),
        ("tag.added", shared.pk, alice.pk),
        ("reply.created", shared.pk, alice.pk),
        # … and everyone hears that it went private, but not what it says
        ("claim.hidden", shared.pk, None),
    ]
    assert Activity.objects.get(verb="claim.hidden").summary == ""
    bob_events = live.visible_events(article_id=seed.pk, user=bob, after_id=0)
    assert secret.pk not in [event["claim"] for event in bob_events]
    assert [event["verb"] for event in bob_events] == ["claim.hidden"]
    alice_events = live.visible_events(article_id=seed.pk, user=alice, after_id=0)
    assert secret.pk in [event["claim"] for event in alice_events]


@pytest.mark.django_db
def test_moderation_is_recorded(client, seed, alice, bob):
    claim = services.create_claim(article=seed, author=bob, exact=QUOTE)
    client.force_login(alice)  # alice owns the workspace
    response = client.post(reverse("annotations:delete", args=[claim.pk]))
    assert response.status_code == 302
    row = Activity.objects.get(verb="claim.moderated")
    assert row.actor == alice and "by bob" in row.summary


@pytest.mark.django_db
def test_editor_cannot_moderate_others(client, seed, alice, bob):
    claim = services.create_claim(article=seed, author=alice, exact=QUOTE)
    client.force_login(bob)
    assert client.post(reverse("annotations:delete", args=[claim.pk])).status_code == 404


@pytest.mark.django_db
def test_outsider_gets_404_and_loses_access_mid_stream(client, seed, charlie, bob):
    client.force_login(charlie)
    assert client.get(reverse("annotations:article_events", args=[seed.pk])).status_code == 404
    assert live.visible_events(article_id=seed.pk, user=charlie, after_id=0) is None
    seed.workspace.memberships.filter(user=bob).delete()
    assert live.visible_events(article_id=seed.pk, user=bob, after_id=0) is None


def test_sse_message_format():
    message = live.sse_message({"id": 7, "verb": "claim.created", "claim": 3})
    assert message.startswith("id: 7\nevent: claims-changed\ndata: ")
    assert message.endswith("\n\n")
    assert json.loads(message.split("data: ", 1)[1])["claim"] == 3


@pytest.mark.django_db(transaction=True)
def test_stream_catches_up_then_follows_notify(seed, alice, bob):
    """Catch-up from an event id, then a change made elsewhere arrives through NOTIFY."""
    first = services.create_claim(article=seed, author=alice, exact=QUOTE)
    services.create_claim(article=seed, author=alice, exact=OTHER, visibility="private")

    async def scenario():
        stream = live.event_stream(article_id=seed.pk, user=bob, after_id=0)
        chunks = [await asyncio.wait_for(anext(stream), 5)]
        chunks.append(await asyncio.wait_for(anext(stream), 5))
        await asyncio.wait_for(live.broadcaster.ready.wait(), 5)
        made = await live._in_db_thread(
            services.create_claim, article=seed, author=alice, exact="ukrainische Infrastruktur"
        )
        chunk = await asyncio.wait_for(anext(stream), 5)
        while chunk.startswith(":"):
            chunk = await asyncio.wait_for(anext(stream), 5)
        chunks.append(chunk)
        await stream.aclose()
        return chunks, made

    try:
        chunks, made = asyncio.run(scenario())
    finally:
        live.close_db_threads()
    assert chunks[0].startswith("retry: ")
    assert f'"claim": {first.pk}' in chunks[1]
    assert f'"claim": {made.pk}' in chunks[2]
    assert "Moskau" not in "".join(chunks)
    assert live.broadcaster.subscriber_count == 0


@pytest.mark.django_db(transaction=True)
def test_streams_of_one_article_share_one_read_per_change(seed, alice, bob, monkeypatch):
    reads = []
    original = live.log_rows

    def counting_log_rows(**kwargs):
        reads.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(live, "log_rows", counting_log_rows)
    start = live.latest_event_id(article_id=seed.pk)

    async def scenario():
        streams = [
            live.event_stream(article_id=seed.pk, user=user, after_id=start)
            for user in (alice, bob, bob, bob)
        ]
        for stream in streams:  # "retry" line
            await asyncio.wait_for(anext(stream), 5)
        pending = [asyncio.ensure_future(anext(stream)) for stream in streams]
        await asyncio.wait_for(live.broadcaster.ready.wait(), 5)
        await asyncio.sleep(0.2)
        reads.clear()
        await live._in_db_thread(
            services.create_claim, article=seed, author=alice, exact=OTHER, visibility="private"
        )
        await live._in_db_thread(services.create_claim, article=seed, author=alice, exact=QUOTE)
        received = await asyncio.wait_for(asyncio.gather(*pending), 5)
        for stream in streams:
            await stream.aclose()
        return received

    try:
        received = asyncio.run(scenario())
    finally:
        live.close_db_threads()
    # alice first hears of her private claim; bob's streams skip it and get the shared one.
    assert '"verb": "claim.created"' in received[0]
    assert all("Moskau" not in chunk for chunk in received[1:])
    assert all('"mine": false' in chunk for chunk in received[1:])
    # two changes, four streams: at most one read per change (plus one for a late waker)
    assert len(reads) <= 3


async def _next_event(stream) -> str:
    chunk = await asyncio.wait_for(anext(stream), 5)
    while chunk.startswith(":"):
        chunk = await asyncio.wait_for(anext(stream), 5)
    return chunk


async def _replay(stream, *, quiet: float = 1.0) -> str:
    """Everything a stream sends until it has nothing more to say for `quiet` seconds."""
    chunks = []
    with contextlib.suppress(TimeoutError, StopAsyncIteration):
        while True:
            chunk = await asyncio.wait_for(anext(stream), quiet)
            chunks.append(chunk.decode() if isinstance(chunk, bytes) else chunk)
    await stream.aclose()
    return "".join(chunks)


def _make_private(*, claim_id: int) -> None:
    claim = Claim.objects.get(pk=claim_id)
    services.update_claim(claim=claim, version=claim.version, visibility="private")


@pytest.mark.django_db(transaction=True)
def test_claim_made_private_is_not_replayed_from_the_cached_log(seed, alice, bob):
    """With a stream open (so this process caches the article's log), a shared claim is
    tagged, then made private: a stream resuming from before it must not replay the quote
    or the tag to anyone but the author, and the cached log must not keep the old audience."""
    start = live.latest_event_id(article_id=seed.pk)

    async def scenario():
        watcher = live.event_stream(article_id=seed.pk, user=bob, after_id=start)
        await asyncio.wait_for(anext(watcher), 5)
        await asyncio.wait_for(live.broadcaster.ready.wait(), 5)
        claim = await live._in_db_thread(
            services.create_claim, article=seed, author=alice, exact=QUOTE
        )
        await live._in_db_thread(
            services.add_tag, claim=claim, label="WSJ citing US officials", user=alice
        )
        heard = [await _next_event(watcher), await _next_event(watcher)]
        await live._in_db_thread(_make_private, claim_id=claim.pk)
        heard.append(await _next_event(watcher))
        cached = [dict(row) for row in live.broadcaster.logs[seed.pk].rows]
        replays = {
            user.username: await _replay(
                live.event_stream(article_id=seed.pk, user=user, after_id=start)
            )
            for user in (bob, alice)
        }
        client = AsyncClient()
        await client.aforce_login(bob)
        for resume in ({"headers": {"Last-Event-ID": str(start)}}, {"data": {"since": start}}):
            response = await client.get(_events_url(seed), **resume)
            replays[f"bob via the view, {next(iter(resume))}"] = await _replay(
                response.streaming_content
            )
        await sync_to_async(connections.close_all)()
        await watcher.aclose()
        return claim, heard, cached, replays

    try:
        claim, heard, cached, replays = asyncio.run(scenario())
    finally:
        live.close_db_threads()
    # bob heard it live while it was shared, then that it went private
    assert [json.loads(chunk.split("data: ", 1)[1])["verb"] for chunk in heard] == [
        "claim.created",
        "tag.added",
        "claim.hidden",
    ]
    for name in ("bob", "bob via the view, headers", "bob via the view, data"):
        replay = replays[name]
        assert '"verb": "claim.hidden"' in replay
        assert '"verb": "claim.created"' not in replay
        assert '"verb": "tag.added"' not in replay
        assert "Raketen" not in replay and "WSJ" not in replay
    assert '"verb": "claim.created"' in replays["alice"]
    assert '"verb": "tag.added"' in replays["alice"]
    for row in cached:
        if row["claim"] == claim.pk and row["verb"] != "claim.hidden":
            assert row["visible_to"] == alice.pk
    assert live.broadcaster.subscriber_count == 0


def _lent_connections() -> int:
    stats = connections["default"].pool.get_stats()
    return stats["pool_size"] - stats["pool_available"]


@pytest.mark.django_db(transaction=True)
def test_waiting_streams_hold_no_pooled_connection(seed, alice, bob):
    """Streams read in short sections through the live threads and give the connection
    back at once: however many wait, they leave the pool to the requests."""
    start = live.latest_event_id(article_id=seed.pk)
    connections.close_all()
    baseline = _lent_connections()

    async def scenario():
        streams = [
            live.event_stream(article_id=seed.pk, user=user, after_id=start)
            for user in (alice, bob, bob, bob, bob, bob)
        ]
        for stream in streams:
            await asyncio.wait_for(anext(stream), 5)
        pending = [asyncio.ensure_future(anext(stream)) for stream in streams]
        await asyncio.wait_for(live.broadcaster.ready.wait(), 5)
        await asyncio.sleep(0.3)
        waiting_before_change = _lent_connections()
        await live._in_db_thread(services.create_claim, article=seed, author=alice, exact=QUOTE)
        await asyncio.wait_for(asyncio.gather(*pending), 5)
        pending = [asyncio.ensure_future(anext(stream)) for stream in streams]
        await asyncio.sleep(0.3)
        waiting_after_change = _lent_connections()
        for task in pending:
            task.cancel()
        return waiting_before_change, waiting_after_change

    try:
        waiting_before_change, waiting_after_change = asyncio.run(scenario())
    finally:
        live.close_db_threads()
    assert waiting_before_change == baseline
    assert waiting_after_change == baseline


def _events_url(article) -> str:
    return reverse("annotations:article_events", args=[article.pk])


@pytest.mark.django_db(transaction=True)
def test_streams_beyond_the_cap_are_told_to_come_back(settings, seed, bob):
    settings.LIVE_MAX_STREAMS = 2
    start = live.latest_event_id(article_id=seed.pk)

    async def scenario():
        client = AsyncClient()
        await client.aforce_login(bob)
        streams = [
            live.event_stream(article_id=seed.pk, user=bob, after_id=start) for _ in range(2)
        ]
        for stream in streams:
            await asyncio.wait_for(anext(stream), 5)
        refused = await client.get(_events_url(seed))
        await streams[0].aclose()
        admitted = await client.get(_events_url(seed))
        first_chunk = await asyncio.wait_for(anext(admitted.streaming_content), 5)
        await streams[1].aclose()
        await sync_to_async(connections.close_all)()
        return refused, admitted, first_chunk

    try:
        refused, admitted, first_chunk = asyncio.run(scenario())
    finally:
        live.close_db_threads()
    assert refused.status_code == 503
    assert refused["Retry-After"] == str(live.RETRY_AFTER_SECONDS)
    assert admitted.status_code == 200 and first_chunk.startswith(b"retry: ")
    assert live.broadcaster.subscriber_count == 0 and live.admission.opening == 0


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_streams_waits_its_turn_then_is_told_to_come_back(seed, bob, monkeypatch):
    """Opening a stream reads the database: only a few at once per process; the others
    wait a little, then get 503 + Retry-After rather than a pool timeout's 500."""
    monkeypatch.setattr(live, "OPENING_WAIT_SECONDS", 0.2)

    async def scenario():
        client = AsyncClient()
        await client.aforce_login(bob)
        turns = [live.admission.opening_stream() for _ in range(live.OPENING_AT_ONCE)]
        for turn in turns:  # every turn is taken (a burst of openings in progress)
            await turn.__aenter__()
        busy = await client.get(_events_url(seed))
        for turn in turns:
            await turn.__aexit__(None, None, None)
        free = await client.get(_events_url(seed))
        await sync_to_async(connections.close_all)()
        return busy, free

    busy, free = asyncio.run(scenario())
    assert busy.status_code == 503 and busy["Retry-After"]
    assert free.status_code == 200
    assert live.admission.opening == 0


@pytest.mark.django_db(transaction=True)
def test_a_stream_opened_while_the_database_is_away_is_told_to_come_back(seed, bob, monkeypatch):
    def database_away(request, pk, *, release_connection):
        raise OperationalError("couldn't get a connection after 10.00 sec")

    async def scenario():
        client = AsyncClient()
        await client.aforce_login(bob)
        monkeypatch.setattr(views, "_open_event_stream", database_away)
        response = await client.get(_events_url(seed))
        await sync_to_async(connections.close_all)()
        return response

    response = asyncio.run(scenario())
    assert response.status_code == 503 and response["Retry-After"]
    assert live.admission.opening == 0
