import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from factories import SEED_PATH

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_is_clean_when_debug_is_off():
    relaxed_for_tests = {
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    env = {
        **{k: v for k, v in os.environ.items() if k not in relaxed_for_tests},
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "sourcemark.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_a_secret_in_production():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


# A SECRET_KEY too weak for production (issue 9, item 13): refused by `check --deploy` and by the
# web server's application, while commands that sign nothing still run.
STRONG_KEY = "a-long-random-production-secret-key-0123456789-abcdefghijklmnop"
SHORT_KEY = "x"
LOW_VARIETY_KEY = "abab" * 20


def production_env(secret_key: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "sourcemark.example",
    }


def run_python(args: list[str], *, secret_key: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=production_env(secret_key),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("secret_key", "reason"),
    [
        (SHORT_KEY, "it has 1 characters, fewer than 50"),
        (LOW_VARIETY_KEY, "it has 2 distinct characters, fewer than 5"),
        ("django-insecure-" + STRONG_KEY, "Django's placeholder prefix"),
    ],
)
def test_check_deploy_refuses_a_weak_secret_key(secret_key, reason):
    result = run_python(["manage.py", "check", "--deploy"], secret_key=secret_key)
    assert result.returncode != 0
    assert "(sourcemark.E001) SECRET_KEY is too weak for DEBUG=0" in result.stderr
    assert reason in result.stderr


@pytest.mark.parametrize("module", ["config.asgi", "config.wsgi"])
@pytest.mark.parametrize("secret_key", [SHORT_KEY, LOW_VARIETY_KEY])
def test_the_web_application_refuses_a_weak_secret_key(module, secret_key):
    result = run_python(["-c", f"import {module}"], secret_key=secret_key)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is too weak for DEBUG=0" in result.stderr


@pytest.mark.parametrize("module", ["config.asgi", "config.wsgi"])
def test_the_web_application_starts_with_a_strong_secret_key(module):
    result = run_python(
        ["-c", f"import {module}; print({module}.application)"], secret_key=STRONG_KEY
    )
    assert result.returncode == 0, result.stderr
    assert "Handler object" in result.stdout


def test_a_weak_secret_key_is_fine_while_debugging():
    env = {**production_env(SHORT_KEY), "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.asgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_commands_that_sign_nothing_run_with_any_secret_key():
    dry_run = run_python(
        ["manage.py", "import_article", "--dry-run", str(SEED_PATH)], secret_key=SHORT_KEY
    )
    assert dry_run.returncode == 0, dry_run.stderr
    assert json.loads(dry_run.stdout)["language"] == "de"
    # Every command runs the (non-deploy) system checks first: they pass.
    check = run_python(["manage.py", "check"], secret_key=SHORT_KEY)
    assert check.returncode == 0, check.stderr
