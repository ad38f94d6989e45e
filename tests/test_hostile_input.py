"""Hostile input never gives a 500: every URL, GET and POST, every parameter any view reads.

The strings a browser, a script or an attacker can send that a view might not expect: NUL
(PostgreSQL text cannot hold U+0000), "%00", the UTF-8 bytes of a lone surrogate (invalid
UTF-8; Django decodes them to U+FFFD), right-to-left marks, markup, very long values, numbers
that are not numbers. config.middleware.CleanInputMiddleware strips U+0000 from every value,
key and uploaded file name, and answers a NUL in the path with a 400 page.

Requests are built as raw bytes (a Python str with a lone surrogate cannot be sent over HTTP:
what arrives is its UTF-8-style bytes), the way a hand-written client would send them.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, quote_from_bytes

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from test_url_permissions import TABLE, _routed_names, world  # noqa: F401  (world: fixture)

ROOT = Path(__file__).resolve().parents[1]
APPS = ("workspaces", "articles", "annotations", "config", "ratelimits", "insights")

NAMED_HOSTILE = [
    "\x00",
    "Reuters\x00citing",
    "%00",
    "\ud800",  # a lone surrogate: sent as its bytes ED A0 80, which are not UTF-8
    "\udfff\ud800",
    "\u202eevil\u202c\u200f",
    "<script>alert(1)</script>",
    "x" * 20_000,
    "𝕏" * 3_000,
    "' OR 1=1 --",
    "../../../../etc/passwd",
    "\r\n\t\x0b\x1b",
    "\ufeff",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "",
    " ",
]

# Sent to every parameter of every URL; the property test draws from all of them and more.
EVERY_URL_HOSTILE = [
    "\x00",
    "Reuters\x00citing",
    "%00",
    "\ud800",
    "\u202eevil\u202c\u200f",
    "<script>alert(1)</script>",
    "x" * 20_000,
    "99999999999999999999999",
]

hostile_text = st.one_of(
    st.sampled_from(NAMED_HOSTILE),
    st.text(st.characters(exclude_categories=()), max_size=60),
    st.text(st.sampled_from(["\x00", "a", "%", "\ud800", "\u202e", "<", "9"]), max_size=300),
)


def _request_parameters() -> list[str]:
    """Every GET/POST name a view reads: from the views' source and the project's forms."""
    names = {"username", "password", "next", "page", "source_tag", "since", "article"}
    pattern = re.compile(r"request\.(?:GET|POST)(?:\.get|\.getlist)?[\[(]\"(\w+)\"")
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            names.update(pattern.findall(path.read_text(encoding="utf-8")))

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.split(".")[0] in APPS:
                names.update(sub.base_fields)
            walk(sub)

    get_resolver().url_patterns  # imports every view, and so every form  # noqa: B018
    walk(forms.Form)
    return sorted(names)


def _encode(value: str) -> str:
    # What a client sends for a str holding a lone surrogate: its (invalid) UTF-8 bytes.
    return quote_from_bytes(value.encode("utf-8", "surrogatepass"), safe="")


def _form_body(data: dict[str, str]) -> str:
    return "&".join(f"{_encode(key)}={_encode(str(value))}" for key, value in data.items())


def _urls() -> list[str]:
    names, _ = _routed_names()
    return sorted(names | {"login", "logout"})


def _path(name: str, w) -> str:
    case = TABLE.get(name)
    return reverse(name, args=case.args(w) if case else [])


def _baseline(name: str, w) -> dict:
    case = TABLE.get(name)
    return {key: str(value) for key, value in (case.data(w) if case else {}).items()}


def _send(client, method: str, path: str, data: dict):
    body = _form_body(data)
    if method == "get":
        response = client.get(f"{path}?{body}")
    else:
        response = client.post(path, body, content_type="application/x-www-form-urlencoded")
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


@pytest.fixture
def raised_limits(settings):
    """This file is about input, not rate limits: keep the limiter running, out of reach."""
    settings.RATE_LIMITS = {
        scope: (1_000_000, window)
        for scope, (_, window) in getattr(settings, "RATE_LIMITS", {}).items()
    }


PARAMETERS = _request_parameters()


def test_the_parameter_list_covers_the_views():
    # A sanity check on the scan: names read through request.GET/POST and through forms.
    for name in (
        "q",
        "outlet",
        "note",
        "label",
        "body",
        "source_tag",
        "workspace",
        "urls",
        "username",
        "role",
        "exact",
        "version",
        "into",
    ):
        assert name in PARAMETERS


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", _urls())
def test_named_hostile_strings_in_every_parameter(
    client,
    world,  # noqa: F811  (the fixture imported above)
    raised_limits,
    name,
    method,
):
    client.force_login(world.alice)
    path = _path(name, world)
    for value in EVERY_URL_HOSTILE:
        data = {**_baseline(name, world), **dict.fromkeys(PARAMETERS, value)}
        response = _send(client, method, path, data)
        assert response.status_code < 500, (name, method, value[:40], response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", _urls())
def test_property_no_view_answers_500(client, world, raised_limits, name, method):  # noqa: F811
    """Each parameter is either left as a valid request would send it or made hostile, so
    that validation of one field does not stop the view from reaching the next."""
    client.force_login(world.alice)
    path = _path(name, world)
    baseline = _baseline(name, world)

    @hypothesis_settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({key: st.none() | hostile_text for key in PARAMETERS}))
    def check(choice):
        data = dict(baseline)
        data.update({key: value for key, value in choice.items() if value is not None})
        response = _send(client, method, path, data)
        assert response.status_code < 500, (name, method, response.status_code)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["\x00", "abc\x00def", "\ud800", "\u202e<b>"])
def test_hostile_invite_tokens_in_the_path(client, world, value):  # noqa: F811
    client.force_login(world.charlie)
    response = client.get(f"/invite/{_encode(value)}/")
    assert response.status_code in {400, 404}
    if "\x00" in value:
        assert response.status_code == 400
        assert b"cannot be part of a web address" in response.content


# The places the issue found giving 500 for a NUL byte: each now keeps what was typed,
# less the NUL that PostgreSQL cannot store.


@pytest.mark.django_db
@pytest.mark.parametrize("parameter", ["q", "outlet", "language"])
def test_library_filters_with_nul(client, world, parameter):  # noqa: F811
    client.force_login(world.alice)
    response = client.get("/", {parameter: "Fox\x00News"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_library_search_with_nul_finds_what_the_text_without_it_finds(client, world):  # noqa: F811
    client.force_login(world.alice)
    plain = client.get("/", {"q": "Raketen"})
    hostile = client.get("/", {"q": "Rake\x00ten"})
    assert hostile.status_code == 200
    assert world.article.title in hostile.content.decode()
    assert plain.content.decode().count(world.article.title) == (
        hostile.content.decode().count(world.article.title)
    )


@pytest.mark.django_db
def test_tag_suggestions_with_nul(client, world):  # noqa: F811
    client.force_login(world.alice)
    response = client.get("/tags/suggestions/", {"source_tag": "Reu\x00ters"})
    assert response.status_code == 200
    assert "Reuters citing US officials" in response.content.decode()


@pytest.mark.django_db
def test_export_workspace_parameter_with_nul(client, world):  # noqa: F811
    client.force_login(world.alice)
    for url in ("/export/", "/export/download/"):
        response = client.get(url, {"workspace": f"{world.workspace.slug}\x00"})
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)


@pytest.mark.django_db
def test_note_with_nul_is_saved_without_it(client, world):  # noqa: F811
    client.force_login(world.alice)
    response = client.post(
        f"/claims/{world.claim.pk}/edit/",
        {"version": world.claim.version, "note": "Checked\x00 with the agency."},
    )
    assert response.status_code == 302
    world.claim.refresh_from_db()
    assert world.claim.note == "Checked with the agency."


@pytest.mark.django_db
def test_tag_label_reply_and_rename_with_nul(client, world):  # noqa: F811
    client.force_login(world.alice)
    claim = world.claim
    assert client.post(f"/claims/{claim.pk}/tags/", {"source_tag": "AFP\x00"}).status_code == 302
    assert claim.tags.filter(label="AFP").exists()
    assert client.post(f"/claims/{claim.pk}/replies/", {"body": "O\x00K"}).status_code == 302
    assert claim.replies.filter(body="OK").exists()
    response = client.post(
        f"/tags/{world.tag.pk}/rename/", {"label": "Reuters\x00 (wire)", "confirm": "yes"}
    )
    assert response.status_code == 302
    world.tag.refresh_from_db()
    assert world.tag.label == "Reuters (wire)"


@pytest.mark.django_db
def test_claim_with_nul_in_the_quote(client, world):  # noqa: F811
    client.force_login(world.alice)
    response = client.post(
        f"/articles/{world.article.pk}/claims/", {"exact": "Moskau habe\x00 bereits"}
    )
    assert response.status_code in {201, 400}


@pytest.mark.django_db
def test_nul_in_an_uploaded_file_name_is_dropped(client, world):  # noqa: F811
    client.force_login(world.alice)
    upload = SimpleUploadedFile(
        "notes\x00.txt", b"A headline\n\nA paragraph of text.", "text/plain"
    )
    response = client.post("/articles/import/", {"file": upload, "title": "Up\x00load"})
    assert response.status_code == 302
    assert world.workspace.articles.filter(title="Upload").exists()


@pytest.mark.django_db
def test_invalid_utf8_arrives_as_replacement_characters(client, world):  # noqa: F811
    client.force_login(world.alice)
    response = client.post(
        f"/claims/{world.claim.pk}/replies/",
        f"body={quote('Lone ')}%ED%A0%80{quote(' surrogate')}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert world.claim.replies.filter(body="Lone \ufffd\ufffd\ufffd surrogate").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["0", "home", "articles:library", "//evil.example/"])
def test_switching_workspace_with_a_next_that_is_not_a_path(client, world, target):  # noqa: F811
    # Found by the property test: redirect() took "0" for a view name and failed with a 500.
    client.force_login(world.alice)
    response = client.post("/workspaces/switch/", {"workspace": world.workspace.pk, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
