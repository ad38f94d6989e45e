import os
from functools import wraps
from inspect import iscoroutinefunction

from asgiref.sync import sync_to_async
from django.core.asgi import get_asgi_application
from django.core.handlers import base, exception

from config.checks import refuse_weak_secret_key
from config.startup import freeze_startup_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def convert_exception_to_response(get_response):
    """Django's, except that under ASGI an error page is rendered in the request's own
    thread (Django ticket #36027, fixed upstream after 5.2; not in any 5.2.x release).

    Django 5.2 renders it on the event loop's shared executor instead. Error pages read the
    database (the DEBUG page and templates read `request.user`); a connection taken there
    belongs to no request, is never given back to the pool, and after a database restart
    a few failed requests left every worker's pool empty for good (every request then
    waited DB_POOL_TIMEOUT seconds and failed). In the request's thread it is closed with
    the request's own connection when the request finishes.
    """
    if not iscoroutinefunction(get_response):
        return exception.convert_exception_to_response(get_response)

    @wraps(get_response)
    async def inner(request):
        try:
            return await get_response(request)
        except Exception as exc:
            return await sync_to_async(exception.response_for_exception)(request, exc)

    return inner


base.convert_exception_to_response = convert_exception_to_response
application = get_asgi_application()
freeze_startup_objects()
# The web server never runs `check --deploy`: refuse to serve with a guessable SECRET_KEY.
refuse_weak_secret_key()
