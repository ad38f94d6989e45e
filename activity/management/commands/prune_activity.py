"""Retention for the change log: `manage.py prune_activity --older-than 365d`."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser

from activity import services

UNITS = {"d": "days", "w": "weeks", "h": "hours"}
AGE = re.compile(r"^\s*(\d{1,6})\s*([dwh])\s*$", re.IGNORECASE)


def parse_age(value: str) -> timedelta:
    """ "365d", "52w" or "48h" as a timedelta; anything else is a clear error."""
    match = AGE.match(value or "")
    if match is None:
        raise CommandError(
            f"--older-than takes a number and a unit, e.g. 365d, 52w or 48h (got {value!r})."
        )
    number, unit = int(match.group(1)), match.group(2).lower()
    if number == 0:
        raise CommandError("--older-than must be more than 0.")
    return timedelta(**{UNITS[unit]: number})


class Command(BaseCommand):
    help = "Delete activity rows older than the given age, in batches (e.g. --older-than 365d)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", required=True, help="e.g. 365d, 52w or 48h")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="rows deleted per transaction (default 5000)",
        )

    def handle(self, *args, **options) -> None:
        age = parse_age(options["older_than"])
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        deleted = services.prune(older_than=age, batch_size=options["batch_size"])
        self.stdout.write(
            f"Deleted {deleted} activity row{'s' if deleted != 1 else ''} "
            f"older than {options['older_than'].strip()}."
        )
