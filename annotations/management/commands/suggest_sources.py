"""Suggest attributed claims in a text file, one JSON object per line (no database needed).

    python manage.py suggest_sources FILE [--language de|en] --json

Each line: {"start", "end", "quote", "cue", "cue_start", "cue_end", "outlet", "cited",
"anonymous", "resolved"}; offsets are character offsets into the file's text (UTF-8, a BOM is
skipped and not counted; line ends are counted as they are). Without --json a readable table
is printed instead.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.attribution import LANGUAGES, suggest
from articles.language import detect_language


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not UTF-8 text (byte {error.start}).") from None
    return text


class Command(BaseCommand):
    help = "Suggest attributed claims (cue, outlet, cited source) in a UTF-8 text file."
    # Runs once per document in evaluations: no system checks, no database.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="a UTF-8 .txt file")
        parser.add_argument("--language", choices=LANGUAGES, help="detected when not given")
        parser.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args, **options) -> None:
        text = read_text(options["file"])
        language = options["language"] or detect_language(text=text)
        suggestions = suggest(text=text, language=language)
        for suggestion in suggestions:
            if options["json"]:
                self.stdout.write(json.dumps(suggestion.as_dict(), ensure_ascii=False))
            else:
                source = " citing ".join(p for p in (suggestion.outlet, suggestion.cited) if p)
                anonymous = " (anonymous)" if suggestion.anonymous else ""
                self.stdout.write(
                    f"{suggestion.start}-{suggestion.end} [{suggestion.cue}] "
                    f"{source}{anonymous}: {suggestion.quote[:80]}"
                )
