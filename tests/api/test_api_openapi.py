"""The OpenAPI description at /api/schema/: valid OpenAPI 3.1, and it names every API URL."""

import re

import pytest
from django.urls import get_resolver
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_schema_is_public_and_valid_openapi(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    document = response.json()
    validate(document)  # raises on any error
    assert document["openapi"].startswith("3.1")


def test_schema_describes_every_api_url(client):
    paths = set(client.get("/api/schema/").json()["paths"])
    api = next(r for r in get_resolver().url_patterns if str(r.pattern) == "api/")
    routes = {
        "/api/" + re.sub(r"<(?:int|slug):(\w+)>", r"{\1}", str(p.pattern)) for p in api.url_patterns
    }
    renamed = {
        route.replace("{pk}", "{article_id}").replace("{claim_pk}", "{claim_id}")
        for route in routes
    }
    assert renamed == paths


def test_schema_only_answers_get(client):
    response = client.post("/api/schema/")
    assert response.status_code == 405
