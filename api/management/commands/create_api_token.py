"""Create a personal API token for a user and print it (on the last line, for scripts).

python manage.py create_api_token USERNAME [--name NAME] [--read-only]
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api import services


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--name",
            default="command line",
            help="What the token is for (default: “command line”).",
        )
        parser.add_argument(
            "--read-only",
            action="store_true",
            help="The token can read but not create, change or delete claims.",
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        try:
            new = services.create_token(
                user=user, name=options["name"], read_only=options["read_only"]
            )
        except services.TokenError as error:
            raise CommandError(str(error)) from None
        access = "read-only" if new.token.read_only else "read and write"
        self.stderr.write(
            f"API token “{new.token.name}” for {user.get_username()} ({access}). "
            "It is not shown again:"
        )
        self.stdout.write(new.secret)
