from django.core.management.base import BaseCommand

from ratelimits import limiter


class Command(BaseCommand):
    help = (
        "Delete rate-limit logs whose hits have all left their window. Requests also prune "
        "as they go; run this from cron on a quiet site to keep the table small."
    )

    def handle(self, *args, **options):
        total = 0
        while deleted := limiter.prune():
            total += deleted
        self.stdout.write(f"Deleted {total} expired rate-limit logs.")
