"""A script creates, tags, updates and deletes a claim through the API (HTTP, bearer token,
one server process) while bob's browser on the article (another server process) sees each
change live, without reloading."""

import json
import urllib.error
import urllib.request

import pytest
from browser_helpers import marked_text
from django.conf import settings
from factories import make_seed_article
from test_live_browser import open_as, two_servers  # noqa: F401 - two_servers is a fixture

from api import services as api_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
QUOTE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"
JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def api(method: str, url: str, *, token: str, body=None, **headers):
    """What a script does: plain HTTP with a bearer token. Returns (status, headers, JSON)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": JSONLD,
            "Content-Type": JSONLD,
            **headers,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, response.headers, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{method} {url}: {error.code} {error.read()[:500]!r}") from None


def test_a_script_changes_a_claim_and_a_browser_sees_each_change_live(
    chromium,
    two_servers,  # noqa: F811 - the fixture imported above
    workspace,
    alice,
    bob,
):
    article = make_seed_article(workspace=workspace, user=alice)
    script_server, browser_server = two_servers
    token = api_services.create_token(user=alice, name="live test").secret
    context, page = open_as(chromium, bob, browser_server)
    try:
        page.goto(browser_server + article.get_absolute_url())
        page.wait_for_selector('#live-status[data-state="live"]')

        # 1. The script creates a claim: bob's page shows its mark.
        annotation = {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "body": [{"type": "TextualBody", "purpose": "tagging", "value": "Fox News"}],
            "target": {
                "source": f"{settings.SITE_URL}/articles/{article.pk}/",
                "selector": {"type": "TextQuoteSelector", "exact": QUOTE},
            },
        }
        container = f"{script_server}/api/articles/{article.pk}/annotations/"
        status, headers, created = api("POST", container, token=token, body=annotation)
        assert status == 201
        claim_id = int(headers["Location"].rsplit("/", 1)[1])
        iri = f"{script_server}/api/articles/{article.pk}/annotations/{claim_id}"
        page.wait_for_selector(f'mark[data-annotation-id="{claim_id}"]', timeout=3000)
        assert marked_text(page, claim_id) == QUOTE
        item = f'li.claim-item[data-claim-id="{claim_id}"]'
        page.wait_for_selector(item, timeout=3000)
        assert "fox news" in page.get_attribute(item, "data-tags").lower()

        # 2. It tags it once more and changes the status: the panel follows.
        _, headers, current = api("GET", iri, token=token)
        current["body"] = [
            {"type": "TextualBody", "purpose": "tagging", "value": "Fox News"},
            {"type": "TextualBody", "purpose": "tagging", "value": "WSJ citing US officials"},
            {"type": "TextualBody", "purpose": "assessing", "value": "disputed"},
        ]
        status, headers, _ = api(
            "PUT", iri, token=token, body=current, **{"If-Match": headers["ETag"]}
        )
        assert status == 200
        page.wait_for_selector(f'{item}[data-status="disputed"]', timeout=3000)
        assert "wsj citing us officials" in page.get_attribute(item, "data-tags").lower()

        # 3. It updates the claim again (status, one tag removed).
        _, headers, current = api("GET", iri, token=token)
        current["body"] = [
            {"type": "TextualBody", "purpose": "tagging", "value": "WSJ citing US officials"},
            {"type": "TextualBody", "purpose": "assessing", "value": "supported"},
        ]
        api("PUT", iri, token=token, body=current, **{"If-Match": headers["ETag"]})
        page.wait_for_selector(f'{item}[data-status="supported"]', timeout=3000)
        assert "fox news" not in page.get_attribute(item, "data-tags").lower()

        # 4. It deletes the claim: the mark and the panel entry go.
        status, _, _ = api("DELETE", iri, token=token)
        assert status == 204
        page.wait_for_selector(
            f'mark[data-annotation-id="{claim_id}"]', state="detached", timeout=3000
        )
        page.wait_for_selector(item, state="detached", timeout=3000)
        # All of it without a reload.
        assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    finally:
        context.close()
