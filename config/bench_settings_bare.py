"""Benchmark-only settings: the baseline "bare Django template view" of bench/floor.py.

The same settings as the app, but no middleware, no context processors and a URLconf with
only the trivial template view: what Django itself costs to render a template, served by
the same server (gunicorn with uvicorn workers) on the same machine in the same run.
"""

from .settings import *  # noqa: F403
from .settings import TEMPLATES

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "config.bench_bare_urls"
TEMPLATES = [{**TEMPLATES[0], "OPTIONS": {**TEMPLATES[0]["OPTIONS"], "context_processors": []}}]
