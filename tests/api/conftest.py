from dataclasses import dataclass

import pytest
from api_helpers import PRIVATE_QUOTE, QUOTE, VIEWER_ROLE, token_for
from factories import add_member, make_seed_article, make_user

from annotations import services as claim_services
from api import services as api_services


@dataclass
class ApiWorld:
    workspace: object
    article: object
    alice: object
    bob: object
    charlie: object
    viewer: object
    claim: object  # alice's, shared, tagged
    private: object  # alice's, private
    bob_claim: object
    tokens: dict


@pytest.fixture
def api_world(workspace, alice, bob, charlie) -> ApiWorld:
    viewer = make_user("dora")
    add_member(workspace=workspace, user=viewer, role=VIEWER_ROLE)
    article = make_seed_article(workspace=workspace, user=alice)
    claim = claim_services.create_claim(article=article, author=alice, exact=QUOTE)
    claim_services.add_tag(claim=claim, label="WSJ citing US officials", user=alice)
    private = claim_services.create_claim(
        article=article, author=alice, exact=PRIVATE_QUOTE, visibility="private"
    )
    bob_claim = claim_services.create_claim(
        article=article, author=bob, exact="Teheran", visibility="workspace"
    )
    claim.refresh_from_db()
    old = api_services.create_token(user=alice, name="old")
    api_services.revoke_token(token=old.token)
    revoked = old.secret
    tokens = {
        "alice": token_for(alice),
        "bob": token_for(bob),
        "charlie": token_for(charlie),
        "viewer": token_for(viewer),
        "revoked": revoked,
        "none": None,
        "alice_read_only": token_for(alice, read_only=True),
    }
    return ApiWorld(
        workspace=workspace,
        article=article,
        alice=alice,
        bob=bob,
        charlie=charlie,
        viewer=viewer,
        claim=claim,
        private=private,
        bob_claim=bob_claim,
        tokens=tokens,
    )
