"""Operations basics (issue 9, item 14): /healthz, request ids and JSON logs, the image's start
command, health check and release step."""

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STRONG_KEY = "a-long-random-production-secret-key-0123456789-abcdefghijklmnop"
UNREACHABLE_DATABASE = "postgresql://sourcemark@127.0.0.1:1/sourcemark"


# --- /healthz -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_ok_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert queries.captured_queries[0]["sql"] == "SELECT 1"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie


@pytest.mark.django_db
def test_healthz_is_answered_by_ip_over_plain_http_without_login(client, settings):
    """Docker's HEALTHCHECK and load balancers call by address and without TLS or a session."""
    settings.ALLOWED_HOSTS = ["sourcemark.example"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400
    assert client.get("/", HTTP_HOST="sourcemark.example").status_code == 301

    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_only_answers_reads(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` after django.setup() in a fresh process with production settings plus `env`."""
    full_env = {
        **{name: value for name, value in os.environ.items() if name != "LOG_FORMAT"},
        "DEBUG": "0",
        "SECRET_KEY": STRONG_KEY,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ALLOWED_HOSTS": "sourcemark.example",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PROBE = """
import json
from django.test import Client
response = Client().get("/healthz", HTTP_HOST="10.0.0.7", HTTP_X_REQUEST_ID="probe-7")
print(json.dumps({"status": response.status_code, "body": response.json(),
                  "request_id": response["X-Request-ID"]}))
"""


def json_log_lines(stderr: str) -> list[dict]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def test_healthz_is_503_and_logs_why_when_the_database_is_down():
    result = run_django(PROBE, DATABASE_URL=UNREACHABLE_DATABASE, DB_POOL_TIMEOUT="1")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "status": 503,
        "body": {"status": "unavailable", "database": "unreachable"},
        "request_id": "probe-7",
    }
    logged = json_log_lines(result.stderr)
    failure = next(line for line in logged if line["logger"] == "config.health")
    assert failure["level"] == "ERROR"
    assert failure["request_id"] == "probe-7"
    assert "OperationalError" in failure["exc_info"]
    # Django logs the error response after the middleware returned: it still has the id.
    response_log = next(line for line in logged if line["logger"] == "django.request")
    assert response_log["request_id"] == "probe-7"


# --- request ids and logs ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept_and_returned(client):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="Root=1-67891233-abcdef012345")
    assert response["X-Request-ID"] == "Root=1-67891233-abcdef012345"


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", [None, "", "two words", "forged\nline", "x" * 129])
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(client, incoming):
    headers = {} if incoming is None else {"HTTP_X_REQUEST_ID": incoming}
    first = client.get("/accounts/login/", **headers)["X-Request-ID"]
    second = client.get("/accounts/login/", **headers)["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_production_logs_are_json_lines_with_the_request_id():
    result = run_django(PROBE)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == 200
    access = next(
        line for line in json_log_lines(result.stderr) if line["logger"] == "sourcemark.requests"
    )
    assert access["request_id"] == "probe-7"
    assert access["message"] == "GET /healthz 200"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/healthz", 200)
    assert access["level"] == "INFO"
    assert access["timestamp"].endswith("+00:00")


def test_log_format_text_gives_plain_lines_with_the_request_id():
    result = run_django(PROBE, LOG_FORMAT="text")
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"INFO sourcemark\.requests \[probe-7\] GET /healthz 200$", result.stderr, re.MULTILINE
    )
    assert not json_log_lines(result.stderr)


def test_an_unknown_log_format_is_refused():
    result = run_django("", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be one of json, text, got 'xml'" in result.stderr


# --- the image ------------------------------------------------------------------------------


def dockerfile_instruction(name: str) -> str:
    """The last `name` instruction of the runtime stage, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith(name + " ")]
    return lines[-1].removeprefix(name + " ")


def start_command(*, port: int) -> list[str]:
    """The image's CMD on a free local port, run by this virtualenv's Python."""
    program, *args = json.loads(dockerfile_instruction("CMD"))
    return [
        sys.executable,
        "-m",
        program,
        *(arg.replace("0.0.0.0:8000", f"127.0.0.1:{port}") for arg in args),
    ]


def healthcheck_command(*, port: int) -> list[str]:
    healthcheck = dockerfile_instruction("HEALTHCHECK")
    command = json.loads(healthcheck[healthcheck.index("CMD ") + 4 :])
    assert command[0] == "python"
    return [
        sys.executable,
        *(arg.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for arg in command[1:]),
    ]


def test_the_start_command_execs_the_server_and_does_not_migrate():
    command = json.loads(dockerfile_instruction("CMD"))  # exec form: gunicorn is PID 1
    assert command[0] == "gunicorn"
    assert "migrate" not in " ".join(command)
    assert "/healthz" in dockerfile_instruction("HEALTHCHECK")


def test_tests_benchmarks_and_local_files_stay_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {"tests", "bench", ".venv", ".pgdata", ".env", ".git", "dev.py"} <= ignored


def test_compose_migrates_once_before_web_and_requires_a_secret_key():
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    assert 'command: ["python", "manage.py", "migrate", "--noinput"]' in compose
    web = compose[compose.index("\n  web:") :]
    assert re.search(r"migrate:\n\s+condition: service_completed_successfully", web)
    assert re.search(r"SECRET_KEY: \$\{SECRET_KEY:\?[^}]+\}", compose)
    assert "change-me" not in compose


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(secret_key: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secret_key,
        "WEB_CONCURRENCY": "1",
        "ALLOWED_HOSTS": "sourcemark.example",
    }


def test_the_image_server_refuses_to_start_with_a_weak_secret_key():
    result = subprocess.run(
        start_command(port=free_port()),
        cwd=ROOT,
        env=server_env("x"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for DEBUG=0" in result.stderr


def test_the_image_server_passes_its_health_check_and_stops_on_sigterm():
    port = free_port()
    server = subprocess.Popen(
        start_command(port=port),
        cwd=ROOT,
        env=server_env(STRONG_KEY),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                probe = urllib.request.Request(
                    f"http://127.0.0.1:{port}/healthz", headers={"X-Request-ID": "gunicorn-probe"}
                )
                with urllib.request.urlopen(probe, timeout=5) as response:
                    assert response.status == 200
                    assert response.headers["X-Request-ID"] == "gunicorn-probe"
                    break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.5)
        check = subprocess.run(
            healthcheck_command(port=port),
            env=server_env(STRONG_KEY),
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert check.returncode == 0, shlex.join(check.args) + check.stderr
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        # Under the ASGI server too, the app's access line is JSON with the request id.
        access = [
            line
            for line in json_log_lines(server.stdout.read())
            if line["logger"] == "sourcemark.requests"
        ]
        assert access[0]["request_id"] == "gunicorn-probe"
        assert access[0]["message"] == "GET /healthz 200"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
