"""The middleware chain changes between threads and event loops as little as it can
(config/settings.py MIDDLEWARE; live.stream_admission, config/request_id.py)."""

import pytest
from asgiref.sync import AsyncToSync
from django.urls import reverse
from factories import make_seed_article

from annotations import live


@pytest.fixture
def async_to_sync_calls(monkeypatch):
    calls = []
    original = AsyncToSync.__call__

    def counting(self, *args, **kwargs):
        calls.append(self.awaitable)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(AsyncToSync, "__call__", counting)
    return calls


def test_an_ordinary_request_under_wsgi_starts_no_event_loop(
    alice_client, workspace, async_to_sync_calls
):
    response = alice_client.get(reverse("articles:library"))
    assert response.status_code == 200
    assert response["X-Request-ID"]
    assert async_to_sync_calls == []


def test_an_event_stream_under_wsgi_still_waits_for_admission(
    alice_client, workspace, alice, settings, monkeypatch
):
    article = make_seed_article(workspace=workspace, user=alice)
    settings.LIVE_MAX_STREAMS = 1
    monkeypatch.setattr(live.admission, "opening", 1)  # one stream is opening already
    response = alice_client.get(reverse("annotations:article_events", args=[article.pk]))
    assert response.status_code == 503
    assert response["Retry-After"] == str(live.RETRY_AFTER_SECONDS)
