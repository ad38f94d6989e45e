"""Every page passes axe-core (WCAG 2.0/2.1/2.2 A and AA), light and dark, desktop and phone,
English and German: no rule disabled, no node excluded.

axe-core is the npm package's own axe.min.js, kept with the tests (tests/browser/vendor/) and
injected by Playwright into a context with `bypass_csp=True`: the app's Content-Security-Policy
stays as strict as ever and the app never serves the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from factories import add_member, make_seed_article, make_user, make_workspace

from annotations import services as claim_services
from annotations import suggestions
from annotations.models import ClaimStatus, Visibility
from api import services as api_services
from articles import services as article_services
from articles.models import ImportBatch, ImportItem, ImportStatus
from workspaces import services as workspace_services
from workspaces.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# On top of the WCAG tags: two best-practice rules the issue names (every page has one h1,
# headings do not skip levels).
EXTRA_RULES = ["page-has-heading-one", "heading-order"]
RUN_AXE = """
async ([tags, rules]) => {
  const options = { resultTypes: ["violations"] };
  const wcag = await axe.run(document, { ...options, runOnly: { type: "tag", values: tags } });
  const extra = await axe.run(document, { ...options, runOnly: { type: "rule", values: rules } });
  return wcag.violations.concat(extra.violations).map((rule) => ({
    id: rule.id,
    nodes: rule.nodes.map((node) => ({
      target: node.target.join(" "),
      summary: (node.failureSummary || "").split("\\n").slice(0, 3).join(" "),
    })),
  }));
}
"""

FIRST = "Die Beamten sagen, dass die Raketen"
SECOND = "Moskau habe bereits damit begonnen"
THIRD = "Die Vereinigten Staaten sind besorgt"


@dataclass(frozen=True)
class Visit:
    name: str
    path: str
    who: str = "alice"  # alice (owner), bob (editor) or "" (signed out)
    open_claim: int | None = None  # the reading page with this claim's card open


@pytest.fixture
def scene(workspace, alice, bob):
    """A workspace with something on every page: claims by two people (statuses, tags parsed
    into outlet/cited/anonymous, a reply, a private claim), suggestions, two revisions, a
    finished batch, invitations, invite links and an API token."""
    charlie = make_user("charlie")
    article = make_seed_article(workspace=workspace, user=alice)
    first = claim_services.create_claim(article=article, author=alice, exact=FIRST)
    claim_services.add_tag(claim=first, label="WSJ citing US officials", user=alice)
    claim_services.add_tag(claim=first, label="Reuters", user=alice)
    first.refresh_from_db()
    claim_services.update_claim(
        claim=first,
        version=first.version,
        note="Check https://example.org",
        status=ClaimStatus.DISPUTED,
    )
    claim_services.add_reply(claim=first, author=bob, body="Two sources say otherwise.")
    # Overlapping claims: nested marks stack their tints (the darkest case for contrast).
    claim_services.create_claim(article=article, author=bob, exact="Beamten sagen, dass")
    claim_services.create_claim(article=article, author=bob, exact="sagen, dass")
    second = claim_services.create_claim(article=article, author=bob, exact=SECOND)
    claim_services.add_tag(
        claim=second, label="Spiegel unter Berufung auf Regierungskreise", user=bob
    )
    claim_services.create_claim(
        article=article, author=alice, exact=THIRD, visibility=Visibility.PRIVATE
    )
    suggestions.compute_suggestions(article_id=article.pk, actor=alice)
    page = article_services.import_file(
        workspace=workspace,
        user=alice,
        data=(FIXTURES / "de_artikel.html").read_bytes(),
        name="de_artikel.html",
    )
    text = "\n\n".join(block.text for block in page.blocks.order_by("position"))
    article_services.revise_from_text(
        article=page, text=text.replace(".", ". Neu:", 1) + "\n\nEin neuer Absatz.", user=alice
    )
    batch = ImportBatch.objects.create(workspace=workspace, created_by=alice)
    ImportItem.objects.create(
        batch=batch,
        position=0,
        url="https://example.org/a",
        status=ImportStatus.DONE,
        article=page,
    )
    ImportItem.objects.create(
        batch=batch,
        position=1,
        url="https://example.org/b",
        status=ImportStatus.FAILED,
        error="The server gave an unexpected answer (HTTP 404).",
    )
    workspace_services.invite_member(
        workspace=workspace, username="charlie", role=Role.VIEWER, invited_by=alice
    )
    invite = workspace_services.create_invite(
        workspace=workspace, role=Role.EDITOR, days=7, created_by=alice, max_uses=5
    )
    other = make_workspace(name="Wahl 2026", owner=charlie)
    workspace_services.invite_member(
        workspace=other, username="alice", role=Role.EDITOR, invited_by=charlie
    )
    add_member(workspace=other, user=bob, role=Role.VIEWER)
    api_services.create_token(user=alice, name="research notebook", read_only=True)
    tag = first.tags.get(label="Reuters")
    return {
        "article": article,
        "page": page,
        "first": first,
        "batch": batch,
        "invite": invite,
        "tag": tag,
    }


def visits(scene, workspace) -> list[Visit]:
    article, page, first = scene["article"], scene["page"], scene["first"]
    return [
        Visit("library", reverse("articles:library")),
        Visit("reading page, card open", article.get_absolute_url(), open_claim=first.pk),
        Visit("reading page (HTML import)", page.get_absolute_url()),
        Visit("claim page", reverse("annotations:detail", args=[first.pk])),
        Visit("import text", reverse("articles:import")),
        Visit("import web", reverse("articles:import_web")),
        Visit("import batch", reverse("articles:import_batch")),
        Visit("batch progress", scene["batch"].get_absolute_url()),
        Visit("sources", reverse("annotations:tags")),
        Visit("export", reverse("annotations:export")),
        Visit("activity", reverse("workspaces:activity", args=[workspace.pk])),
        Visit("workspace members", reverse("workspaces:members", args=[workspace.pk])),
        Visit(
            "workspace members (editor)",
            reverse("workspaces:members", args=[workspace.pk]),
            who="bob",
        ),
        Visit("workspaces", reverse("workspaces:list")),
        Visit("new workspace", reverse("workspaces:create")),
        Visit("account", reverse("account")),
        Visit("password change", reverse("password_change")),
        Visit("versions", reverse("articles:versions", args=[page.pk]) + "?a=1&b=2"),
        Visit("fix extraction", reverse("articles:fix_extraction", args=[page.pk])),
        Visit("sign in", reverse("login"), who=""),
        Visit("password reset", reverse("password_reset"), who=""),
        Visit("invite link", reverse("invites:join", args=[scene["invite"].token]), who=""),
        Visit("search", reverse("search:search") + "?q=Beamten"),
        Visit("dashboard", reverse("insights:dashboard")),
        Visit("manage a tag", reverse("annotations:manage_tag", args=[scene["tag"].pk])),
        Visit("blind round", reverse("annotations:blind_round", args=[page.pk])),
        Visit("agreement (article)", reverse("annotations:article_agreement", args=[article.pk])),
        Visit("agreement (workspace)", reverse("annotations:workspace_agreement")),
        Visit("curation", reverse("annotations:curation", args=[article.pk])),
    ]


def run_axe(page) -> list[dict]:
    page.add_script_tag(content=AXE_SOURCE)
    return page.evaluate(RUN_AXE, [TAGS, EXTRA_RULES])


def open_card(page, claim_id: int) -> None:
    """Open a claim's card the way a reader does: its mark in the text."""
    page.locator(f'mark[data-annotation-id="{claim_id}"]').first.click()
    page.wait_for_selector(f'.claim-card[data-claim-id="{claim_id}"]')


@pytest.fixture
def audit(chromium, live_server):
    contexts = []

    def new_page(*, who, user_by_name, width, scheme, language):
        context = chromium.new_context(
            viewport={"width": width, "height": 900 if width > 600 else 844},
            color_scheme=scheme,
            locale="de-DE" if language == "de" else "en-GB",
            bypass_csp=True,  # lets the test inject axe; the app's CSP is unchanged
        )
        contexts.append(context)
        if who:
            client = Client()
            client.force_login(user_by_name[who])
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield new_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_anywhere(
    audit, live_server, scene, workspace, alice, bob, scheme, width, language
):
    users = {"alice": alice, "bob": bob}
    pages = {}
    found = {}
    for visit in visits(scene, workspace):
        if visit.who not in pages:
            pages[visit.who] = audit(
                who=visit.who, user_by_name=users, width=width, scheme=scheme, language=language
            )
        page = pages[visit.who]
        page.goto(f"{live_server.url}{visit.path}")
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language, visit.name
        if visit.open_claim:
            open_card(page, visit.open_claim)
        violations = run_axe(page)
        if violations:
            found[visit.name] = violations
    report = json.dumps(found, indent=1, ensure_ascii=False)
    counts = {name: sum(len(rule["nodes"]) for rule in rules) for name, rules in found.items()}
    print(f"axe {scheme} {width}px {language}: {counts or 'no violations'}")
    assert not found, report
