"""Settings for benchmark servers only (bench/_common.py BENCH_ENV): the app's settings plus
a middleware that reports each response's query count in its Server-Timing header."""

from .settings import *  # noqa: F403
from .settings import MIDDLEWARE

# Outermost, so it counts the queries of every other middleware too and can add to the
# Server-Timing header that config.middleware.ServerTimingMiddleware sets.
MIDDLEWARE = ["config.bench_middleware.QueryCountMiddleware", *MIDDLEWARE]
