"""URLs of the bare baseline server (config/bench_settings_bare.py): one template view."""

from django.urls import path

from .bench_urls import trivial

urlpatterns = [path("bench/trivial/", trivial)]
