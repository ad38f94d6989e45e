"""Server-Timing header (devtools and bench/ read it), and the one cleaner of request values."""

import time

from django.shortcuts import render


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
        return response


# --------------------------------------------------------------------------------------------
# Request values PostgreSQL can store
# --------------------------------------------------------------------------------------------

NUL = "\x00"


def _without_nul(data):
    """A copy of a QueryDict/MultiValueDict without U+0000 in keys and values (or itself)."""
    if not any(
        NUL in key or any(NUL in value for value in values if isinstance(value, str))
        for key, values in data.lists()
    ):
        return data
    clean = data.copy()
    clean.clear()
    for key, values in data.lists():
        clean.setlist(
            key.replace(NUL, ""),
            [value.replace(NUL, "") if isinstance(value, str) else value for value in values],
        )
    if hasattr(data, "_mutable"):
        clean._mutable = data._mutable
    return clean


class CleanInputMiddleware:
    """One cleaner for every request value: U+0000 never reaches a view.

    PostgreSQL text cannot hold U+0000 and no person types it, so it is removed from every
    GET and POST key and value and every uploaded file's name: the rest of what was typed is
    kept. A NUL in the path cannot be removed without changing which page is asked for, so
    that is answered with a clear 400 page. (Invalid UTF-8, e.g. a lone surrogate's bytes,
    is already decoded by Django to U+FFFD, which PostgreSQL stores.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            return render(request, "bad_address.html", status=400)
        request.GET = _without_nul(request.GET)
        if request.method == "POST":
            request.POST = _without_nul(request.POST)
            for _, uploads in request.FILES.lists():
                for upload in uploads:
                    if NUL in (upload.name or ""):
                        upload.name = upload.name.replace(NUL, "")
            request._files = _without_nul(request.FILES)
        return self.get_response(request)
