"""Creating an account through an invite link (or openly, when OPEN_SIGNUP allows it) and
resetting a forgotten password by email."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from factories import make_user

from workspaces import services
from workspaces.models import Invite, Membership, Role
from workspaces.selectors import SESSION_KEY

pytestmark = [pytest.mark.django_db]
ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "pale-orange-kite-42"
User = get_user_model()


@pytest.fixture
def invite(workspace, alice):
    return services.create_invite(workspace=workspace, role=Role.EDITOR, days=7, created_by=alice)


def signup_url(invite) -> str:
    return reverse("invites:signup", args=[invite.token])


def signup_data(**changes) -> dict:
    return {
        "username": "dora",
        "email": "dora@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **changes,
    }


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


class TestSignUpThroughAnInvite:
    def test_end_to_end(self, client, invite, workspace):
        # The invite link, opened signed out, leads to "Create an account".
        page = client.get(invite.get_absolute_url())
        assert signup_url(invite) in page.content.decode()
        form = client.get(signup_url(invite))
        assert form.status_code == 200
        assert "You join <strong>Fact-check desk</strong> as <strong>editor</strong>" in (
            form.content.decode()
        )
        response = client.post(signup_url(invite), signup_data())
        assert response.status_code == 302
        assert response["Location"] == reverse("articles:library")
        dora = User.objects.get(username="dora")
        assert dora.email == "dora@example.org" and dora.check_password(NEW_PASSWORD)
        assert Membership.objects.get(user=dora).workspace == workspace
        assert Membership.objects.get(user=dora).role == Role.EDITOR
        invite.refresh_from_db()
        assert invite.uses == 1
        # Signed in, working in the workspace.
        assert client.session[SESSION_KEY] == workspace.pk
        library = client.get(response["Location"])
        assert library.context["user"] == dora
        assert library.context["current_workspace"] == workspace
        assert messages_of(library) == ["Welcome, dora: you joined Fact-check desk as editor."]
        # And the password works for the next sign-in.
        client.logout()
        assert client.login(username="dora", password=NEW_PASSWORD)

    def test_email_is_optional(self, client, invite):
        assert client.post(signup_url(invite), signup_data(email="")).status_code == 302
        assert User.objects.get(username="dora").email == ""

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"username": "ALICE"}, "username", "A user with that username already exists."),
            (
                {"password1": "12345678", "password2": "12345678"},
                "password2",
                "This password is too common.",
            ),
            (
                {"password1": "short", "password2": "short"},
                "password2",
                "This password is too short.",
            ),
            ({"password2": "something-else-entirely"}, "password2", "The two password fields didn"),
            ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ],
        ids=["taken-name", "common-password", "short-password", "mismatch", "bad-email"],
    )
    def test_invalid_input_is_refused_and_kept(self, client, invite, changes, field, message):
        response = client.post(signup_url(invite), signup_data(**changes))
        assert response.status_code == 400
        errors = " ".join(response.context["form"].errors[field])
        assert message in errors
        content = response.content.decode()
        assert "field-error" in content
        if field != "username":
            assert 'value="dora"' in content  # what was typed is kept
        assert not User.objects.filter(username="dora").exists()
        assert User.objects.count() == 2  # alice and bob

    @pytest.mark.parametrize(
        "change",
        [
            {"revoked_at": timezone.now()},
            {"expires_at": timezone.now() - timedelta(seconds=1)},
            {"max_uses": 1, "uses": 1},
        ],
        ids=["revoked", "expired", "used-up"],
    )
    def test_only_a_valid_invite_makes_accounts(self, client, invite, change):
        Invite.objects.filter(pk=invite.pk).update(**change)
        for response in (
            client.get(signup_url(invite)),
            client.post(signup_url(invite), signup_data()),
        ):
            assert response.status_code == 410
        assert not User.objects.filter(username="dora").exists()

    def test_unknown_token_is_404(self, client):
        response = client.post("/invite/nope/signup/", signup_data())
        assert response.status_code == 404
        assert not User.objects.filter(username="dora").exists()

    def test_link_used_up_meanwhile_creates_no_account(self, client, workspace, alice):
        invite = services.create_invite(
            workspace=workspace, role=Role.VIEWER, days=1, max_uses=1, created_by=alice
        )
        page = client.get(signup_url(invite))  # the form was open while someone else joined
        assert page.status_code == 200
        services.accept_invite(invite=invite, user=make_user("erin"))
        response = client.post(signup_url(invite), signup_data())
        assert response.status_code == 410
        assert not User.objects.filter(username="dora").exists()

    def test_signed_in_visitor_goes_to_the_join_page(self, client, charlie, invite):
        client.force_login(charlie)
        response = client.get(signup_url(invite))
        assert response.status_code == 302
        assert response["Location"] == invite.get_absolute_url()


class TestOpenSignUp:
    def test_off_by_default(self, client, settings):
        assert settings.OPEN_SIGNUP is False
        assert client.get(reverse("signup")).status_code == 404
        assert client.post(reverse("signup"), signup_data()).status_code == 404
        assert not User.objects.filter(username="dora").exists()
        assert reverse("signup") not in client.get(reverse("login")).content.decode()

    def test_on_when_the_setting_allows_it(self, client, settings):
        settings.OPEN_SIGNUP = True
        assert reverse("signup") in client.get(reverse("login")).content.decode()
        response = client.post(reverse("signup"), signup_data())
        assert response.status_code == 302
        assert response["Location"] == reverse("workspaces:list")
        dora = User.objects.get(username="dora")
        assert not Membership.objects.filter(user=dora).exists()
        assert client.get(response["Location"]).context["user"] == dora

    def test_weak_password_refused(self, client, settings):
        settings.OPEN_SIGNUP = True
        response = client.post(reverse("signup"), signup_data(password1="dora", password2="dora"))
        assert response.status_code == 400
        assert not User.objects.filter(username="dora").exists()


class TestPasswordReset:
    @pytest.fixture
    def dora(self):
        user = make_user("dora")
        user.email = "dora@example.org"
        user.save()
        return user

    def test_linked_from_the_sign_in_page(self, client):
        content = client.get(reverse("login")).content.decode()
        assert f'href="{reverse("password_reset")}"' in content
        assert client.get(reverse("password_reset")).status_code == 200

    def test_email_is_sent_and_its_link_sets_a_new_password(self, client, dora):
        response = client.post(reverse("password_reset"), {"email": "DORA@example.org"})
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
        assert len(mail.outbox) == 1
        email = mail.outbox[0]
        assert email.to == ["dora@example.org"]
        assert email.subject == "Reset your Sourcemark password"
        link = re.search(r"http://testserver(/accounts/reset/\S+/)", email.body).group(1)
        form = client.get(link, follow=True)
        assert form.status_code == 200 and form.context["validlink"]
        set_password_url = form.redirect_chain[-1][0]
        done = client.post(
            set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        assert done["Location"] == reverse("password_reset_complete")
        dora.refresh_from_db()
        assert dora.check_password(NEW_PASSWORD)
        # The link works once.
        again = client.get(link, follow=True)
        assert not again.context["validlink"]
        assert "This link cannot be used" in again.content.decode()

    def test_no_user_enumeration(self, client, dora):
        known = client.post(reverse("password_reset"), {"email": "dora@example.org"})
        unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
        assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
        assert len(mail.outbox) == 1  # only the real account got an email
        page = client.get(known["Location"])
        assert "If an account has that email address" in page.content.decode()

    def test_pages_work_signed_out(self, client):
        for name in ("password_reset", "password_reset_done", "password_reset_complete"):
            assert client.get(reverse(name)).status_code == 200, name
        bad = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))
        assert bad.status_code == 200 and not bad.context["validlink"]


class TestAccountPage:
    def test_linked_from_the_header(self, alice_client):
        content = alice_client.get(reverse("articles:library")).content.decode()
        assert f'href="{reverse("account")}"' in content

    def test_set_the_email_used_for_resets(self, alice_client, alice):
        page = alice_client.get(reverse("account"))
        assert "you cannot reset a forgotten password yourself" in page.content.decode()
        response = alice_client.post(reverse("account"), {"email": " Alice@Example.ORG "})
        assert response.status_code == 302
        alice.refresh_from_db()
        assert alice.email == "Alice@example.org"
        alice_client.logout()
        alice_client.post(reverse("password_reset"), {"email": "alice@example.org"})
        assert mail.outbox[0].to == ["Alice@example.org"]

    def test_invalid_email_is_refused_and_kept(self, alice_client, alice):
        response = alice_client.post(reverse("account"), {"email": "alice at example"})
        assert response.status_code == 400
        assert 'value="alice at example"' in response.content.decode()
        alice.refresh_from_db()
        assert alice.email == ""

    def test_remove_the_email(self, alice_client, alice):
        alice.email = "alice@example.org"
        alice.save()
        response = alice_client.post(reverse("account"), {"email": ""}, follow=True)
        assert messages_of(response) == ["Email address removed."]
        alice.refresh_from_db()
        assert alice.email == ""

    def test_change_password(self, client, alice):
        from factories import PASSWORD

        client.force_login(alice)
        response = client.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert response["Location"] == reverse("password_change_done")
        alice.refresh_from_db()
        assert alice.check_password(NEW_PASSWORD)
        wrong = client.post(
            reverse("password_change"),
            {
                "old_password": "nope",
                "new_password1": "x",
                "new_password2": "x",
            },
        )
        assert wrong.status_code == 200 and wrong.context["form"].errors


def _settings_value(name: str, **env) -> str:
    environment = {**os.environ, **env}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--verbosity",
            "0",
            "-c",
            f"from django.conf import settings; print(settings.{name})",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({"EMAIL_HOST": ""}, "django.core.mail.backends.console.EmailBackend"),
        ({"EMAIL_HOST": "smtp.example.org"}, "django.core.mail.backends.smtp.EmailBackend"),
    ],
    ids=["console-by-default", "smtp-with-host"],
)
def test_email_backend_follows_the_environment(env, backend):
    assert _settings_value("EMAIL_BACKEND", **env) == backend


def test_smtp_settings_come_from_the_environment():
    env = {
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_USE_SSL": "1",
        "DEFAULT_FROM_EMAIL": "desk@example.org",
    }
    assert _settings_value("EMAIL_PORT", **env) == "465"
    assert _settings_value("EMAIL_USE_TLS", **env) == "False"
    assert _settings_value("DEFAULT_FROM_EMAIL", **env) == "desk@example.org"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "EMAIL_USE_SSL": "1", "EMAIL_USE_TLS": "1"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "only one of EMAIL_USE_TLS and EMAIL_USE_SSL" in result.stderr
