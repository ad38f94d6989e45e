"""Import articles from files (and, later, URLs) on the command line.

    python manage.py import_article PATH [PATH ...] [--title T] [--outlet O] [--url U]
                                    [--language de|en] [--workspace SLUG] [--dry-run]

Prints each new article's path; with --dry-run saves nothing and prints one JSON object per line
per input: {"path", "title", "language", "blocks": [{"kind", "text"}]}.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import services
from articles.models import ArticleSource
from workspaces.models import Workspace


class Command(BaseCommand):
    help = "Import one or more article files (.txt) into a workspace."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--title", default="")
        parser.add_argument("--outlet", default="")
        parser.add_argument("--url", default="")
        parser.add_argument("--language", default="", choices=["", "de", "en"])
        parser.add_argument(
            "--workspace", default="", help="workspace slug (default: the only one)"
        )
        parser.add_argument("--dry-run", action="store_true", help="print JSON, save nothing")

    def handle(self, *args, **options):
        workspace = None if options["dry_run"] else self._workspace(options["workspace"])
        failures = 0
        for path in options["paths"]:
            try:
                draft = self._draft(path, options)
            except (OSError, services.ArticleImportError) as error:
                failures += 1
                self.stderr.write(f"{path}: {error}")
                if options["dry_run"]:
                    self.stdout.write(json.dumps({"path": path, "error": str(error)}))
                continue
            if options["dry_run"]:
                record = {
                    "path": path,
                    "title": draft.title,
                    "language": draft.language,
                    "blocks": [{"kind": s.kind, "text": s.text} for s in draft.segments],
                }
                self.stdout.write(json.dumps(record, ensure_ascii=False))
                continue
            article = services.save_draft(
                draft=draft, workspace=workspace, user=None, source=ArticleSource.FILE
            )
            self.stdout.write(article.get_absolute_url())
        if failures:
            raise CommandError(f"{failures} of {len(options['paths'])} imports failed")

    def _draft(self, path: str, options) -> services.ArticleDraft:
        data = Path(path).read_bytes()
        text = services.decode_text_file(data=data)
        return services.draft_from_text(
            text=text,
            title=options["title"],
            outlet=options["outlet"],
            url=options["url"],
            language=options["language"],
        )

    def _workspace(self, slug: str) -> Workspace:
        if slug:
            try:
                return Workspace.objects.get(slug=slug)
            except Workspace.DoesNotExist:
                raise CommandError(f"No workspace with the slug {slug!r}") from None
        workspaces = list(Workspace.objects.all()[:2])
        if len(workspaces) == 1:
            return workspaces[0]
        if not workspaces:
            raise CommandError("There is no workspace yet: run `manage.py load_demo` or create one")
        raise CommandError("There are several workspaces: choose one with --workspace SLUG")
