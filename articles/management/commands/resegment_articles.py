"""Classify the blocks of text imports again, with the current segmentation rules.

    python manage.py resegment_articles [ARTICLE_ID ...] [--workspace SLUG]

Run it after the rules in articles/segmentation.py changed. Only articles imported as text
(pasted, .txt files, the demo) are classified again: the kinds of saved pages and URLs come
from the page's markup, which is not stored. Kinds fixed by hand stay as they are.
"""

from django.core.management.base import BaseCommand, CommandError

from articles import services
from articles.models import Article


class Command(BaseCommand):
    help = "Classify the blocks of text-imported articles again; kinds fixed by hand stay."

    def add_arguments(self, parser):
        parser.add_argument("article_ids", nargs="*", type=int, metavar="ARTICLE_ID")
        parser.add_argument("--workspace", default="", help="only this workspace's articles")

    def handle(self, *args, **options):
        articles = Article.objects.filter(source__in=services.TEXT_SOURCES).order_by("pk")
        if options["workspace"]:
            articles = articles.filter(workspace__slug=options["workspace"])
        if options["article_ids"]:
            articles = articles.filter(pk__in=options["article_ids"])
            missing = set(options["article_ids"]) - set(articles.values_list("pk", flat=True))
            if missing:
                raise CommandError(
                    f"No text-imported article {sorted(missing)}"
                    + (f" in {options['workspace']}." if options["workspace"] else ".")
                )
        changed = count = 0
        for article in articles:
            changed += services.resegment_article(article=article)
            count += 1
        self.stdout.write(f"{changed} blocks changed kind in {count} articles.")
