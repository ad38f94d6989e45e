"""Accounts in Chromium: someone without an account signs up through an invite link, and
someone invited by username accepts from the header badge."""

import pytest
from django.contrib.auth import get_user_model

from workspaces import services
from workspaces.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch_problems(page) -> list[str]:
    problems = []  # console errors, e.g. Content-Security-Policy violations
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and "favicon" not in (msg.location or {}).get("url", "")
            and problems.append(msg.text)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_sign_up_through_an_invite_link(chromium, live_server, workspace, alice):
    invite = services.create_invite(workspace=workspace, role=Role.EDITOR, days=7, created_by=alice)
    context = chromium.new_context()  # signed out: no session cookie
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        problems = _watch_problems(page)
        page.goto(live_server.url + invite.get_absolute_url())
        assert page.get_by_role("heading", level=1).inner_text() == "Join Fact-check desk"
        page.get_by_role("link", name="Create an account").click()
        page.get_by_label("Username").fill("dora")
        page.get_by_label("Email (optional)").fill("dora@example.org")
        page.get_by_label("Password", exact=True).fill("pale-orange-kite-42")
        page.get_by_label("Password confirmation").fill("pale-orange-kite-42")
        page.get_by_role("button", name="Create account and join").click()
        page.wait_for_url(f"{live_server.url}/")
        assert "you joined Fact-check desk as editor" in page.locator(".messages").inner_text()
        assert "dora" in page.locator(".site-user").inner_text()
        nav = page.get_by_role("navigation", name="Main")
        assert nav.get_by_role("link", name="Import").is_visible()  # an editor here
        dora = get_user_model().objects.get(username="dora")
        assert Membership.objects.get(user=dora).workspace == workspace
        assert problems == []
    finally:
        context.close()


def test_accept_an_invitation_from_the_header(
    browser_page_for, live_server, workspace, alice, charlie
):
    services.invite_member(
        workspace=workspace, username="charlie", role=Role.VIEWER, invited_by=alice
    )
    page = browser_page_for(charlie)
    problems = _watch_problems(page)
    page.goto(live_server.url + "/")
    page.locator(".site-user").get_by_role("link", name="Invitations 1").click()
    page.get_by_role("button", name="Accept and join Fact-check desk").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "You joined Fact-check desk as viewer" in page.locator(".messages").inner_text()
    assert page.locator(".workspace-name").inner_text() == "Fact-check desk"
    assert page.locator(".site-user").get_by_role("link", name="Invitations").count() == 0
    assert Membership.objects.get(user=charlie).role == Role.VIEWER
    assert problems == []
