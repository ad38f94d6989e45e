"""`manage.py suggest_sources FILE [--language] --json`: a contract used by evaluations.

No test here is marked django_db: the command must run without touching the database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

TEXTS = Path(__file__).resolve().parent / "attribution_texts"
FIELDS = {"start", "end", "quote", "cue", "cue_start", "cue_end", "outlet", "cited", "anonymous"}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("suggest_sources", *args, stdout=out)
    return out.getvalue()


def test_json_lines_with_the_contract_fields() -> None:
    path = TEXTS / "senate-budget.en.txt"
    text = path.read_text(encoding="utf-8")
    lines = run(str(path), "--json").splitlines()
    assert len(lines) >= 5
    for line in lines:
        record = json.loads(line)
        assert record.keys() >= FIELDS
        assert text[record["start"] : record["end"]] == record["quote"]
    records = [json.loads(line) for line in lines]
    assert any(r["outlet"] == "Reuters" and r["anonymous"] for r in records)


def test_language_is_detected_or_given(tmp_path: Path) -> None:
    german = (TEXTS / "bahnstreik.de.txt").read_text(encoding="utf-8")
    path = tmp_path / "a.txt"
    path.write_text(german, encoding="utf-8")
    detected = run(str(path), "--json")
    given = run(str(path), "--language", "de", "--json")
    assert detected == given
    assert '"outlet": "dpa"' in detected


def test_byte_order_mark_is_not_counted(tmp_path: Path) -> None:
    text = "Der Sprecher sagte, die Lage sei ernst."
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    record = json.loads(run(str(path), "--json"))
    assert text[record["start"] : record["end"]] == "die Lage sei ernst"
    assert (record["cited"], record["anonymous"]) == ("Sprecher", True)


def test_readable_output_without_json() -> None:
    out = run(str(TEXTS / "bahnstreik.de.txt"))
    assert "Spiegel citing Konzernkreise (anonymous)" in out


def test_bad_files_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.txt"), "--json")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Der Sprecher sagte, es sei schön.".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run(str(latin), "--json")
