"""Every URL of the site, and who may use it.

The table below names each URL pattern with the request to make and the status expected for
alice (owner of the workspace), bob (editor in it) and charlie (signed in, not a member).
`test_every_url_is_in_the_table` walks the URLconf: a new URL fails the suite until it is
added here, with its expected statuses. Anything belonging to a workspace is a 404 for
charlie, never a 403; signed-out visitors are sent to sign in, except on the few pages that
name their own `signed_out` status (an invite link, creating an account).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from factories import make_seed_article, make_user

from annotations import services as claim_services
from annotations import suggestions
from annotations.models import Suggestion
from api import services as api_services
from workspaces import services as workspace_services
from workspaces.models import Membership, Role

QUOTE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"
NEW_QUOTE = "Moskau habe bereits damit begonnen"  # a passage nobody has highlighted yet

# Not ours to police: Django's admin (its own staff checks), signing in and out, and Django's
# password-reset pages (tests/workspaces/test_accounts.py).
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
EXCLUDED_PREFIXES = ("static/", "media/", "__debug__/")


@dataclass
class World:
    workspace: object
    alice: object
    bob: object
    charlie: object
    article: object
    block: object
    claim: object
    tag: object
    other_tag: object
    tag_change: object
    reply: object
    invite: object
    bob_membership: object
    charlie_invitation: object
    api_token: object
    suggestion: object = None


@dataclass(frozen=True)
class Case:
    method: str
    args: Callable[[World], list] = lambda w: []
    data: Callable[[World], dict] = field(default=lambda w: {})
    alice: int = 200
    bob: int = 200
    charlie: int = 404
    # None: a signed-out visitor is sent to sign in; else the status they get.
    signed_out: int | None = None
    # The view hands its database connection back (a long-lived stream): it cannot run inside
    # the test's transaction, so this row runs in a transactional test.
    transactional: bool = False


def _article(w):
    return [w.article.pk]


def _alices_batch(w):
    from articles.models import ImportBatch

    batch, _ = ImportBatch.objects.get_or_create(workspace=w.workspace, created_by=w.alice)
    return [batch.pk]


def _claim(w):
    return [w.claim.pk]


def _workspace(w):
    return [w.workspace.pk]


TABLE: dict[str, Case] = {
    # Library and import work on the current workspace: charlie has none and is told so (200).
    "articles:library": Case("get", charlie=200),
    "articles:import": Case("get", charlie=200),
    "articles:import_web": Case("get", charlie=200),
    "articles:import_batch": Case("get", charlie=200),
    # An empty line fails as a row (200); without a workspace to import into: 403.
    "articles:import_batch_item": Case("post", data=lambda w: {"index": 0, "url": ""}, charlie=403),
    # A batch's progress page is its importer's alone (alice's here): everyone else 404.
    "articles:import_batch_status": Case("get", _alices_batch, bob=404),
    "articles:detail": Case("get", _article),
    "articles:change_block_kind": Case(
        "post",
        lambda w: [w.article.pk, w.block.pk],
        lambda w: {"kind": "caption"},
        alice=302,
        bob=302,
    ),
    "articles:rename": Case(
        "post", _article, lambda w: {"title": "A better title"}, alice=302, bob=302
    ),
    # Revisions: members read the versions; writers make new ones and fix extraction.
    "articles:versions": Case("get", _article),
    "articles:upload_version": Case(
        "post",
        _article,
        lambda w: {"text": "A headline\n\nA new version of the text."},
        alice=302,
        bob=302,
    ),
    # The seed article has no address: the page says so (a message) and goes back.
    "articles:check_for_updates": Case("post", _article, alice=302, bob=302),
    "articles:fix_extraction": Case("get", _article),
    "articles:apply_fix": Case(
        "post", _article, lambda w: {"action": "merge", "position": 0}, alice=302, bob=302
    ),
    # Claims: any writer creates; only the author edits, tags or deletes (others: 404).
    "annotations:create": Case(
        "post", _article, lambda w: {"exact": NEW_QUOTE}, alice=201, bob=201
    ),
    "annotations:article_events": Case("get", _article, transactional=True),
    "annotations:detail": Case("get", _claim),
    "annotations:update": Case(
        "post",
        _claim,
        lambda w: {"version": w.claim.version, "status": "supported"},
        alice=302,
        bob=404,
    ),
    "annotations:delete": Case("post", _claim, alice=302, bob=404),
    "annotations:add_tag": Case(
        "post", _claim, lambda w: {"source_tag": "AP citing officials"}, alice=302, bob=404
    ),
    "annotations:remove_tag": Case("post", lambda w: [w.claim.pk, w.tag.pk], alice=302, bob=404),
    "annotations:reattach": Case(
        "post", _claim, lambda w: {"exact": NEW_QUOTE}, alice=302, bob=404
    ),
    "annotations:add_reply": Case("post", _claim, lambda w: {"body": "Agreed."}, 302, 302),
    "annotations:update_reply": Case(
        "post", lambda w: [w.reply.pk], lambda w: {"body": "Edited."}, alice=302, bob=404
    ),
    "annotations:delete_reply": Case("post", lambda w: [w.reply.pk], alice=302, bob=404),
    # Suggested claims: writers compute, accept and dismiss them; outsiders (and viewers,
    # test_a_viewer_gets_404_on_suggestion_urls) get 404.
    "annotations:suggest": Case("post", _article, alice=302, bob=302),
    "annotations:decide_suggestions": Case(
        "post",
        _article,
        lambda w: {"label": w.suggestion.proposed_label, "action": "dismiss"},
        alice=302,
        bob=302,
    ),
    "annotations:accept_suggestion": Case("post", lambda w: [w.suggestion.pk], alice=302, bob=302),
    "annotations:dismiss_suggestion": Case("post", lambda w: [w.suggestion.pk], alice=302, bob=302),
    # Source tags of the current workspace (charlie: the "no workspace" page / no tags).
    "annotations:tags": Case("get", charlie=200),
    "annotations:tag_suggestions": Case("get", charlie=200),
    # Renaming or merging asks for confirmation first (200); an editor manages only tags no
    # one else's claim carries (404 for alice's), an owner any shared tag.
    "annotations:manage_tag": Case("get", lambda w: [w.tag.pk], alice=200, bob=404),
    "annotations:rename_tag": Case(
        "post", lambda w: [w.tag.pk], lambda w: {"label": "Reuters"}, alice=200, bob=404
    ),
    "annotations:merge_tag": Case(
        "post", lambda w: [w.tag.pk], lambda w: {"into": w.other_tag.pk}, alice=200, bob=404
    ),
    "annotations:undo_tag_change": Case("post", lambda w: [w.tag_change.pk], alice=302, bob=404),
    "annotations:tag_anonymous": Case(
        "post", lambda w: [w.tag.pk], lambda w: {"anonymous": "true"}, alice=302, bob=404
    ),
    # Claim search works on the current workspace: charlie has none and is told so (200).
    "search:search": Case("get", data=lambda w: {"q": "Beamten", "tag": w.tag.pk}, charlie=200),
    # Export: of the current workspace (charlie has none: 404) or of one article.
    "annotations:export": Case("get"),
    "annotations:export_download": Case("get"),
    "annotations:export_articles": Case("get"),
    "annotations:article_export_csv": Case("get", _article),
    "annotations:article_export_jsonld": Case("get", _article),
    # Blind rounds, agreement and curation are the owner's; an assigned annotator says done.
    # The article has shared claims, so starting a round is refused (400, with the reason),
    # and nobody is assigned: "done" is a 404 even for alice.
    "annotations:blind_round": Case(
        "post", _article, lambda w: {"annotator": [w.alice.pk, w.bob.pk]}, alice=400, bob=404
    ),
    "annotations:blind_done": Case("post", _article, alice=404, bob=404),
    "annotations:article_agreement": Case("get", _article, bob=404),
    "annotations:workspace_agreement": Case(
        "get", data=lambda w: {"workspace": w.workspace.slug}, bob=404
    ),
    "annotations:curation": Case("get", _article, bob=404),
    # alice's claim is no passage two annotators highlighted: nothing to adopt (404).
    "annotations:curation_adopt": Case(
        "post", lambda w: [w.article.pk, w.claim.pk], alice=404, bob=404
    ),
    "annotations:curation_merge": Case(
        "post", lambda w: [w.article.pk, w.claim.pk], alice=404, bob=404
    ),
    # Workspaces: anyone signed in lists theirs and creates one.
    "workspaces:list": Case("get", charlie=200),
    "workspaces:create": Case("get", charlie=200),
    "workspaces:switch": Case(
        "post", data=lambda w: {"workspace": w.workspace.pk}, alice=302, bob=302
    ),
    "workspaces:members": Case("get", _workspace),
    "workspaces:activity": Case("get", _workspace),
    # The Sources dashboard is the current workspace's; charlie has none (a page saying so).
    "insights:dashboard": Case("get", charlie=200),
    "insights:chart_csv": Case("get", lambda w: ["mix"]),
    "insights:chart_svg": Case("get", lambda w: ["status"]),
    "insights:article_summary": Case("get", _article),
    # alice is the last owner: leaving is refused with a message (302 back to the page).
    "workspaces:leave": Case("post", _workspace, alice=302, bob=302),
    # Owner-only: an editor gets 404 like an outsider.
    "workspaces:add_member": Case(
        "post",
        _workspace,
        lambda w: {"username": "charlie", "role": "viewer"},
        alice=302,
        bob=404,
    ),
    # A personal invitation: only charlie (the invitee) answers it; only owners withdraw it.
    "workspaces:accept_invitation": Case(
        "post", lambda w: [w.charlie_invitation.pk], alice=404, bob=404, charlie=302
    ),
    "workspaces:decline_invitation": Case(
        "post", lambda w: [w.charlie_invitation.pk], alice=404, bob=404, charlie=302
    ),
    "workspaces:withdraw_invitation": Case(
        "post", lambda w: [w.workspace.pk, w.charlie_invitation.pk], alice=302, bob=404
    ),
    "workspaces:change_role": Case(
        "post",
        lambda w: [w.workspace.pk, w.bob_membership.pk],
        lambda w: {"role": "viewer"},
        alice=302,
        bob=404,
    ),
    "workspaces:remove_member": Case(
        "post", lambda w: [w.workspace.pk, w.bob_membership.pk], alice=302, bob=404
    ),
    "workspaces:create_invite": Case(
        "post", _workspace, lambda w: {"role": "editor", "days": 7}, alice=302, bob=404
    ),
    "workspaces:revoke_invite": Case(
        "post", lambda w: [w.workspace.pk, w.invite.pk], alice=302, bob=404
    ),
    # The token is the permission: whoever holds a valid link sees where it leads (members
    # are told they are in already). Unknown tokens are 404 (tests/workspaces/test_invites).
    # Signed out, it offers to sign in or to create an account.
    "invites:join": Case("get", lambda w: [w.invite.token], charlie=200, signed_out=200),
    # Creating an account through a link: the signed-in are sent back to the link.
    "invites:signup": Case(
        "get", lambda w: [w.invite.token], alice=302, bob=302, charlie=302, signed_out=200
    ),
    # One's own account: the email address, changing the password.
    "account": Case("get", charlie=200),
    "password_change": Case("get", charlie=200),
    "password_change_done": Case("get", charlie=200),
    # API tokens on one's account page: anyone signed in makes their own (shown once: 201);
    # only its owner revokes one (alice's here).
    "api_token_create": Case(
        "post", data=lambda w: {"name": "script"}, alice=201, bob=201, charlie=201
    ),
    "api_token_revoke": Case("post", lambda w: [w.api_token.pk], alice=302, bob=404),
    # /api/ takes bearer tokens only: a browser session gets 401 (tests/api has the table for
    # tokens); its OpenAPI description is public.
    "api:article_annotations": Case(
        "get", _article, alice=401, bob=401, charlie=401, signed_out=401
    ),
    "api:annotation": Case(
        "get",
        lambda w: [w.article.pk, w.claim.pk],
        alice=401,
        bob=401,
        charlie=401,
        signed_out=401,
    ),
    "api:workspace_annotations": Case(
        "get", lambda w: [w.workspace.slug], alice=401, bob=401, charlie=401, signed_out=401
    ),
    "api:schema": Case("get", charlie=200, signed_out=200),
    # Open sign-up is off unless settings.OPEN_SIGNUP (tests/workspaces/test_accounts.py).
    "signup": Case("get", alice=404, bob=404, charlie=404, signed_out=404),
    # The header's language switch (Django's set_language): anyone, signed in or not; it only
    # sets the language cookie and goes back (tests/test_i18n.py).
    "set_language": Case(
        "post",
        data=lambda w: {"language": "de", "next": "/"},
        alice=302,
        bob=302,
        charlie=302,
        signed_out=302,
    ),
}


def _routed_names() -> tuple[set[str], list[str]]:
    """Names of every routed URL (with namespaces), and the patterns that have no name."""
    names: set[str] = set()
    unnamed: list[str] = []

    def walk(patterns, namespace: str, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(EXCLUDED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                if pattern.namespace in EXCLUDED_NAMESPACES:
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, route)
            elif isinstance(pattern, URLPattern):
                if not pattern.name:
                    unnamed.append(route)
                elif namespace + pattern.name not in EXCLUDED_NAMES:
                    names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "", "")
    return names, unnamed


def test_every_url_is_in_the_table():
    names, unnamed = _routed_names()
    assert not unnamed, f"Name these URL patterns so the table can cover them: {unnamed}"
    missing = sorted(names - set(TABLE))
    assert not missing, (
        f"Add these URLs to TABLE in {__name__} with the status each user should get: {missing}"
    )


def test_the_table_names_only_routed_urls():
    names, _ = _routed_names()
    stale = sorted(set(TABLE) - names)
    assert not stale, f"These URLs are no longer routed; remove them from TABLE: {stale}"


@pytest.fixture
def world(workspace, alice, bob, charlie) -> World:
    article = make_seed_article(workspace=workspace, user=alice)
    claim = claim_services.create_claim(
        article=article, author=alice, exact=QUOTE, start_utf16=None, end_utf16=None
    )
    tag = claim_services.add_tag(claim=claim, label="Reuters citing US officials", user=alice)
    other_tag = claim_services.add_tag(claim=claim, label="WSJ", user=alice)
    other_tag = claim_services.rename_tag(tag=other_tag, label="WSJ", actor=alice)
    reply = claim_services.add_reply(claim=claim, author=alice, body="Source?")
    claim.refresh_from_db()
    invite = workspace_services.create_invite(
        workspace=workspace, role=Role.EDITOR, days=7, created_by=alice
    )
    charlie_invitation = workspace_services.invite_member(
        workspace=workspace, username="charlie", role=Role.VIEWER, invited_by=alice
    )
    return World(
        workspace=workspace,
        alice=alice,
        bob=bob,
        charlie=charlie,
        article=article,
        block=article.blocks.order_by("position").first(),
        claim=claim,
        tag=tag,
        other_tag=other_tag,
        tag_change=other_tag.change,
        reply=reply,
        invite=invite,
        charlie_invitation=charlie_invitation,
        bob_membership=Membership.objects.get(workspace=workspace, user=bob),
        api_token=api_services.create_token(user=alice, name="script").token,
        suggestion=_first_suggestion(article),
    )


def _first_suggestion(article):
    suggestions.compute_suggestions(article_id=article.pk)
    return Suggestion.objects.filter(article=article).order_by("start").first()


def _request(client, name: str, case: Case, world: World):
    names, _ = _routed_names()
    if name not in names:
        pytest.fail(f"{name} is in the table but not routed")
    url = reverse(name, args=case.args(world))
    response = getattr(client, case.method)(url, case.data(world))
    if getattr(response, "streaming", False):
        if response.get("Content-Type", "").startswith("text/event-stream"):
            response.close()  # a live stream never ends: its status is what counts
        else:
            b"".join(response.streaming_content)
    return response


def _check_status(client, world, name: str, who: str) -> None:
    case = TABLE[name]
    client.force_login(getattr(world, who))
    response = _request(client, name, case, world)
    expected = getattr(case, who)
    assert response.status_code == expected, (
        f"{case.method.upper()} {name} as {who}: {response.status_code}, expected {expected}"
    )
    if expected == 302 and who == "charlie":
        assert "/accounts/login/" not in response["Location"]


WHO = ["alice", "bob", "charlie"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(n for n, case in TABLE.items() if not case.transactional))
def test_status_for_each_user(client, world, name, who):
    _check_status(client, world, name, who)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(n for n, case in TABLE.items() if case.transactional))
def test_status_for_each_user_outside_a_transaction(client, world, name, who):
    _check_status(client, world, name, who)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TABLE))
def test_signed_out_visitors_are_sent_to_sign_in(client, world, name):
    response = _request(client, name, TABLE[name], world)
    if TABLE[name].signed_out is not None:
        assert response.status_code == TABLE[name].signed_out
        return
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_a_viewer_gets_404_on_owner_urls(client, world):
    viewer = make_user("dora")
    Membership.objects.create(workspace=world.workspace, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    for name, case in TABLE.items():
        if name.startswith("workspaces:") and case.bob == 404:
            response = _request(client, name, case, world)
            assert response.status_code == 404, name


@pytest.mark.django_db
def test_a_viewer_gets_404_on_suggestion_urls(client, world):
    viewer = make_user("dora")
    Membership.objects.create(workspace=world.workspace, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    for name, case in TABLE.items():
        if "suggest" in name and name != "annotations:tag_suggestions":
            response = _request(client, name, case, world)
            assert response.status_code == 404, name
    assert Suggestion.objects.filter(article=world.article, state="open").count() > 1
