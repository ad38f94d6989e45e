"""Import articles from files and URLs on the command line.

    python manage.py import_article SOURCE [SOURCE ...] [--title T] [--outlet O] [--url U]
                                    [--language de|en] [--workspace SLUG] [--dry-run]
    python manage.py import_article SOURCE --revision-of ARTICLE_ID


A SOURCE is a path to a .txt, .html, .htm or .html.gz file, or an http(s) URL (fetched with the
same safety limits as the web form). Prints each new article's path; with --dry-run saves
nothing, needs no database, and prints one JSON object per line per input:
{"path", "title", "language", "blocks": [{"kind", "text"}]} (or {"path", "error"}); a block
that is a subheading also has "subheading": true, and a page whose import needs a look (e.g.
a guessed title) has "warnings": [...]. A page with text is never refused.

With --revision-of the one SOURCE becomes the next revision of that article (title, outlet,
URL and language default to the article's): prints the article's path, then
`re-anchored N, orphaned M` (N + M: every claim on the article), or `unchanged` when the text
is the same (no revision is made).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import services
from articles.models import ArticleSource


class Command(BaseCommand):
    help = "Import article files (.txt, .html, .htm, .html.gz) or URLs into a workspace."
    requires_system_checks = []  # --dry-run must work without a reachable database

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="SOURCE", help="file path or http(s) URL")
        parser.add_argument("--title", default="")
        parser.add_argument("--outlet", default="")
        parser.add_argument("--url", default="", help="the article's URL (files only)")
        parser.add_argument("--language", default="", choices=["", "de", "en"])
        parser.add_argument(
            "--workspace", default="", help="workspace slug (default: the only one)"
        )
        parser.add_argument("--dry-run", action="store_true", help="print JSON, save nothing")
        parser.add_argument(
            "--revision-of",
            type=int,
            default=None,
            metavar="ARTICLE_ID",
            help="make SOURCE the next revision of this article instead of a new article",
        )

    def handle(self, *args, **options):
        if options["revision_of"] is not None:
            self._revise(options)
            return
        workspace = None if options["dry_run"] else self._workspace(options["workspace"])
        failures = 0
        for path in options["paths"]:
            try:
                draft, source = self._draft(path, options)
            except (OSError, services.ArticleImportError) as error:
                failures += 1
                message = getattr(error, "strerror", None) or str(error)
                self.stderr.write(f"{path}: {message}")
                if options["dry_run"]:
                    self.stdout.write(json.dumps({"path": path, "error": message}))
                continue
            if options["dry_run"]:
                record = {
                    "path": path,
                    "title": draft.title,
                    "language": draft.language,
                    "blocks": [_block_record(segment) for segment in draft.segments],
                }
                if draft.warnings:
                    record["warnings"] = list(draft.warnings)
                self.stdout.write(json.dumps(record, ensure_ascii=False))
                continue
            article = services.save_draft(
                draft=draft, workspace=workspace, user=None, source=source
            )
            self.stdout.write(article.get_absolute_url())
        if failures:
            raise CommandError(f"{failures} of {len(options['paths'])} imports failed")

    def _revise(self, options) -> None:
        from articles.models import Article

        if len(options["paths"]) != 1:
            raise CommandError("--revision-of takes exactly one SOURCE")
        if options["dry_run"]:
            raise CommandError("--revision-of cannot be combined with --dry-run")
        try:
            article = Article.objects.get(pk=options["revision_of"])
        except Article.DoesNotExist:
            raise CommandError(f"No article with the id {options['revision_of']}") from None
        path = options["paths"][0]
        options = {
            **options,
            "title": options["title"] or article.title,
            "outlet": options["outlet"] or article.outlet,
            "url": options["url"] or article.url,
            "language": options["language"] or article.language,
        }
        try:
            draft, source = self._draft(path, options)
            original = (
                ""
                if services.is_web_address(path)
                else Path(path).read_text(encoding="utf-8", errors="replace")
            )
            result = services.revise_from_draft(
                article=article,
                draft=draft,
                user=None,
                source=source,
                file_name="" if services.is_web_address(path) else Path(path).name,
                original=original,
            )
        except (OSError, services.ArticleImportError) as error:
            message = getattr(error, "strerror", None) or str(error)
            raise CommandError(f"{path}: {message}") from None
        self.stdout.write(article.get_absolute_url())
        if not result.changed:
            self.stdout.write("unchanged")
            return
        self.stdout.write(f"re-anchored {result.reanchored}, orphaned {result.orphaned}")

    def _draft(self, path: str, options) -> tuple[services.ArticleDraft, str]:
        overrides = {
            "title": options["title"],
            "outlet": options["outlet"],
            "language": options["language"],
        }
        if services.is_web_address(path):
            return services.draft_from_url(url=path, **overrides), ArticleSource.URL
        data = Path(path).read_bytes()
        return services.draft_from_file(data=data, name=path, url=options["url"], **overrides)

    def _workspace(self, slug: str):
        from workspaces.models import Workspace

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


def _block_record(segment) -> dict:
    record = {"kind": segment.kind, "text": segment.text}
    if getattr(segment, "subheading", False):
        record["subheading"] = True
    return record
