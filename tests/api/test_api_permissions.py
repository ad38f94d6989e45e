"""The permission table, extended to the API: what each caller gets on each API request.

alice owns the workspace, bob edits in it, charlie is not a member, "viewer" (dora) may only
read; "revoked" is alice's revoked token and "none" sends no token. What is not yours is a
404 (never a 403); without a usable token it is 401 with `WWW-Authenticate: Bearer`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from api_helpers import annotation_url, call, container, new_annotation

pytestmark = pytest.mark.django_db

WHO = ["alice", "bob", "charlie", "viewer", "revoked", "none"]


@dataclass(frozen=True)
class Case:
    method: str
    url: Callable
    expected: dict[str, int]
    body: Callable = field(default=lambda w: None)
    if_match: bool = False


def _statuses(alice, bob, charlie, viewer, revoked=401, none=401) -> dict[str, int]:
    return dict(zip(WHO, [alice, bob, charlie, viewer, revoked, none], strict=True))


def _workspace_container(w):
    return f"/api/workspaces/{w.workspace.slug}/annotations/"


def _put_body(w):
    return {
        "type": "Annotation",
        "body": {"type": "TextualBody", "purpose": "assessing", "value": "supported"},
        "target": {
            "source": f"http://127.0.0.1:8000/articles/{w.article.pk}/",
            "selector": {"type": "TextQuoteSelector", "exact": w.claim.exact},
        },
    }


TABLE = {
    "read the article's container": Case(
        "get", lambda w: container(w.article), _statuses(200, 200, 404, 200)
    ),
    "read the workspace's container": Case(
        "get", _workspace_container, _statuses(200, 200, 404, 200)
    ),
    "create in the article's container": Case(
        "post",
        lambda w: container(w.article),
        _statuses(201, 201, 404, 404),
        body=lambda w: new_annotation(w.article),
    ),
    # A read-only container: 405 for anyone with a token (it says nothing of the workspace).
    "post to the workspace's container": Case(
        "post",
        _workspace_container,
        _statuses(405, 405, 405, 405),
        body=lambda w: new_annotation(w.article),
    ),
    "read alice's shared claim": Case(
        "get", lambda w: annotation_url(w.claim), _statuses(200, 200, 404, 200)
    ),
    "read alice's private claim": Case(
        "get", lambda w: annotation_url(w.private), _statuses(200, 404, 404, 404)
    ),
    "replace alice's shared claim": Case(
        "put",
        lambda w: annotation_url(w.claim),
        _statuses(200, 404, 404, 404),
        body=_put_body,
        if_match=True,
    ),
    "delete alice's shared claim": Case(
        "delete", lambda w: annotation_url(w.claim), _statuses(204, 404, 404, 404)
    ),
    # alice owns the workspace: removing bob's claim is moderation.
    "delete bob's claim": Case(
        "delete", lambda w: annotation_url(w.bob_claim), _statuses(204, 204, 404, 404)
    ),
    "delete alice's private claim": Case(
        "delete", lambda w: annotation_url(w.private), _statuses(204, 404, 404, 404)
    ),
}


def _etag(client, world, url) -> str:
    response = call(client, "get", url, token=world.tokens["alice"])
    return response["ETag"]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_api_status_for_each_caller(client, api_world, name, who):
    case = TABLE[name]
    url = case.url(api_world)
    headers = {"If-Match": _etag(client, api_world, url)} if case.if_match else {}
    response = call(
        client, case.method, url, token=api_world.tokens[who], body=case.body(api_world), **headers
    )
    expected = case.expected[who]
    assert response.status_code == expected, (
        f"{case.method.upper()} {name} as {who}: {response.status_code}, expected {expected}: "
        f"{response.content[:300]!r}"
    )
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")
        if who == "revoked":
            assert 'error="invalid_token"' in response["WWW-Authenticate"]
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"


def test_a_signed_in_browser_session_is_not_enough(client, api_world):
    """/api/ takes bearer tokens only: a session cookie (and so a forged cross-site request)
    gets 401, which is why the API needs no CSRF token."""
    client.force_login(api_world.alice)
    response = client.post(
        container(api_world.article),
        new_annotation(api_world.article),
        content_type="application/ld+json",
    )
    assert response.status_code == 401
    assert client.get(container(api_world.article)).status_code == 401


def test_other_authorization_schemes_are_refused(client, api_world):
    response = client.get(
        container(api_world.article), headers={"Authorization": "Basic YWxpY2U6c2VjcmV0"}
    )
    assert response.status_code == 401
    assert 'error="invalid_request"' in response["WWW-Authenticate"]


def test_a_token_of_a_deactivated_user_is_refused(client, api_world):
    api_world.bob.is_active = False
    api_world.bob.save()
    response = call(client, "get", container(api_world.article), token=api_world.tokens["bob"])
    assert response.status_code == 401


def test_read_only_token_reads_but_never_writes(client, api_world):
    token = api_world.tokens["alice_read_only"]
    assert call(client, "get", container(api_world.article), token=token).status_code == 200
    for method, url in [
        ("post", container(api_world.article)),
        ("put", annotation_url(api_world.claim)),
        ("delete", annotation_url(api_world.claim)),
    ]:
        response = call(
            client, method, url, token=token, body={"type": "Annotation"}, **{"If-Match": "*"}
        )
        assert response.status_code == 403, method
        assert 'error="insufficient_scope"' in response["WWW-Authenticate"]


def test_a_removed_member_loses_access_at_once(client, api_world):
    from workspaces.models import Membership

    Membership.objects.filter(user=api_world.bob).delete()
    response = call(client, "get", container(api_world.article), token=api_world.tokens["bob"])
    assert response.status_code == 404
