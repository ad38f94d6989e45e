"""Running ../shared/w3c/validate.py (the W3C test material's checker) on a document."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from factories import SHARED

VALIDATOR = SHARED / "w3c" / "validate.py"


def validator_python() -> str:
    for candidate in (sys.executable, shutil.which("python3")):
        if (
            candidate
            and subprocess.run(
                [candidate, "-c", "import jsonschema, referencing"], capture_output=True
            ).returncode
            == 0
        ):
            return candidate
    pytest.skip("the W3C checker needs jsonschema (pip install 'jsonschema>=4.18')")


def validate_document(document, tmp_path, *extra: str) -> str:
    """Assert the document passes the W3C checker (also with --strict-formats)."""
    if not VALIDATOR.exists():
        pytest.skip(f"{VALIDATOR} is missing")
    path = tmp_path / "document.jsonld"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    for flags in ([], ["--strict-formats"]):
        result = subprocess.run(
            [validator_python(), str(VALIDATOR), str(path), *flags, *extra],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
        assert "RESULT: CONFORMS" in result.stdout
    return result.stdout
