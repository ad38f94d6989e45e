"""The ASGI entry point (config/asgi.py): what uvicorn runs in development and production."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import middleware as auth_middleware
from django.db import OperationalError, connections
from django.test import AsyncClient
from django.urls import reverse

import config.asgi  # noqa: F401  (its error handling is what is tested)


@pytest.mark.django_db(transaction=True)
def test_an_error_page_gives_its_database_connection_back(settings, bob, monkeypatch):
    """A request whose first database read fails (a pooled connection PostgreSQL dropped)
    gets an error page that reads request.user again. That read must use the request's own
    connection, which goes back to the pool; in Django 5.2's shared executor it took one
    that nobody ever gave back, and a few such requests emptied the pool for good."""
    settings.DEBUG = True  # the debug page shows the user
    real_get_user = auth_middleware.get_user
    failed_once = set()

    def first_read_fails(request):
        if id(request) not in failed_once:
            failed_once.add(id(request))
            raise OperationalError("server closed the connection unexpectedly")
        return real_get_user(request)

    monkeypatch.setattr(auth_middleware, "get_user", first_read_fails)
    pool = connections["default"].pool

    def lent() -> int:
        stats = pool.get_stats()
        return stats["pool_size"] - stats["pool_available"]

    async def scenario():
        client = AsyncClient(raise_request_exception=False)
        await client.aforce_login(bob)
        before = lent()
        statuses = [(await client.get(reverse("articles:library"))).status_code for _ in range(5)]
        after = lent()
        await sync_to_async(connections.close_all)()
        return statuses, before, after

    statuses, before, after = asyncio.run(scenario())
    assert statuses == [500] * 5
    assert after <= before + 1  # at most the request thread's own, reused every time
