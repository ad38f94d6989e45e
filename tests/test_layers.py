"""The layer rule: jobs ← ratelimits ← workspaces ← activity ← articles ← annotations ← reading
(← config).

A lower app never imports a higher one, not even inside a function. The contract is in
pyproject.toml ([tool.importlinter]); import-linter reads every import statement, so a
function-level import that hides a cycle breaks it too.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_import_linter(*, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command;"
            " sys.exit(lint_imports_command())",
            "--no-cache",
            "--no-logo",
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_apps_import_only_the_layers_below_them():
    result = run_import_linter(cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_inside_a_function_breaks_the_contract(tmp_path):
    """The contract really is checked: copy the apps, hide an upward import in a function."""
    for name in [
        "jobs",
        "ratelimits",
        "workspaces",
        "activity",
        "articles",
        "annotations",
        "insights",
        "search",
        "reading",
        "api",
        "config",
    ]:
        subprocess.run(["cp", "-r", str(ROOT / name), str(tmp_path / name)], check=True)
    subprocess.run(["cp", str(ROOT / "pyproject.toml"), str(tmp_path)], check=True)
    selectors = tmp_path / "workspaces" / "selectors.py"
    selectors.write_text(
        selectors.read_text()
        + "\n\ndef hidden():\n    from annotations.models import Claim\n\n    return Claim\n"
    )
    result = run_import_linter(cwd=tmp_path)
    assert result.returncode != 0
    assert "workspaces.selectors -> annotations.models" in result.stdout
