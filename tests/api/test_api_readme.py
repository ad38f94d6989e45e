"""The README's "Using the API" Python example runs as written (against the test client, with
a real token, article and quote substituted for the placeholders)."""

import re
import sys
import types
from pathlib import Path

import pytest
from api_helpers import NEW_QUOTE, path_of, token_for

from annotations.models import Claim

pytestmark = pytest.mark.django_db
README = Path(__file__).resolve().parents[2] / "README.md"


def _python_example() -> str:
    section = README.read_text().split("## Using the API", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


class _Response:
    def __init__(self, response):
        self._response = response
        self.headers = response.headers
        self.status_code = response.status_code

    def json(self):
        return self._response.json()

    def raise_for_status(self):
        assert self.status_code < 400, self._response.content


def _requests_module(client):
    """Just what the example uses of `requests`, over Django's test client."""

    class Session:
        def __init__(self):
            self.headers = {}

        def _send(self, method, url, json=None, headers=None):
            import json as json_module

            data = "" if json is None else json_module.dumps(json)
            response = client.generic(
                method,
                path_of(url),
                data,
                content_type="application/json",
                headers={**self.headers, **(headers or {})},
            )
            return _Response(response)

        def get(self, url, **kwargs):
            return self._send("GET", url, **kwargs)

        def post(self, url, **kwargs):
            return self._send("POST", url, **kwargs)

        def put(self, url, **kwargs):
            return self._send("PUT", url, **kwargs)

    return types.SimpleNamespace(Session=Session)


def test_the_readme_python_example_works(client, api_world, monkeypatch, capsys, settings):
    code = (
        _python_example()
        .replace(
            'site, article = "http://127.0.0.1:8000", 1',
            f"site, article = {settings.SITE_URL!r}, {api_world.article.pk}",
        )
        .replace("smk_...", token_for(api_world.alice))
        .replace("the quoted claim", NEW_QUOTE)
    )
    monkeypatch.setitem(sys.modules, "requests", _requests_module(client))
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README
    claim = Claim.objects.get(exact=NEW_QUOTE)
    assert claim.status == "disputed"
    assert [t.label for t in claim.tags.all()] == ["Reuters"]
    printed = capsys.readouterr().out
    assert printed.count(f"{settings.SITE_URL}/api/articles/") == 4  # every claim alice sees
