"""URLs for benchmarks only: the app's URLs plus a trivial template view as the baseline."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from .urls import urlpatterns as app_urlpatterns


@require_GET
def trivial(request):
    return render(request, "bench/trivial.html", {"title": "Trivial", "message": "Hello"})


urlpatterns = [path("bench/trivial/", trivial), *app_urlpatterns]
