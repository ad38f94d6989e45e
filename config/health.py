"""`/healthz`: is this process up and can it reach its database?

Answered by a middleware at the top of the stack rather than through the URLconf, because the
callers — Docker's HEALTHCHECK, a load balancer, an orchestrator — reach the container by its
address (`127.0.0.1:8000`, a pod IP) and over plain HTTP: further down, ALLOWED_HOSTS would
answer 400 and SECURE_SSL_REDIRECT a 301. Nothing here reads a session, a user or a cookie,
and the answer says only "ok" or "unavailable".
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

HEALTHZ_PATH = "/healthz"

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: the database did not answer")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTHZ_PATH:
            return healthz(request)
        return self.get_response(request)
