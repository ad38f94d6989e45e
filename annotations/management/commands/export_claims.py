"""Export a workspace's claims as CSV or W3C Web Annotation JSON-LD (streamed).

    python manage.py export_claims --workspace SLUG [--as USERNAME]
        [--article ID ...] [--tag LABEL ...] [--annotator USERNAME ...] [--status S ...]
        [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--all-claims]
        [--layout claims|tags] [--format csv|jsonld] [--raw] [--excel] [-o FILE]

Writes to stdout unless -o is given. The bytes are exactly what the web download with the
same filters sends to the same user. Without --as only claims shared with the workspace are
exported (nobody's private claims); with --as USERNAME, what that member sees (shared claims
and their own private ones). --until is inclusive; dates are UTC days.
"""

from __future__ import annotations

import sys
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from annotations import export
from annotations.models import Claim, ClaimStatus
from annotations.selectors import tags_labelled
from articles.models import Article
from workspaces.models import Membership, Workspace


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Export claims of a workspace as CSV or W3C Web Annotation JSON-LD."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, metavar="SLUG")
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="export what this member may see (default: shared claims only)",
        )
        parser.add_argument(
            "--article", type=int, nargs="+", action="extend", default=[], metavar="ID"
        )
        parser.add_argument(
            "--tag",
            nargs="+",
            action="extend",
            default=[],
            metavar="LABEL",
            help="claims with any of these source tags (labels, any case)",
        )
        parser.add_argument(
            "--annotator", nargs="+", action="extend", default=[], metavar="USERNAME"
        )
        parser.add_argument(
            "--status", nargs="+", action="extend", default=[], choices=ClaimStatus.values
        )
        parser.add_argument("--since", type=_date, help="created on or after (UTC day)")
        parser.add_argument("--until", type=_date, help="created on or before (UTC day)")
        parser.add_argument(
            "--all-claims", action="store_true", help="include claims without a source tag"
        )
        parser.add_argument("--layout", choices=export.LAYOUTS, default="claims")
        parser.add_argument("--format", choices=export.FORMATS, default="csv")
        parser.add_argument(
            "--raw", action="store_true", help="no spreadsheet-formula neutralisation (CSV)"
        )
        parser.add_argument("--excel", action="store_true", help="UTF-8 byte order mark (CSV)")
        parser.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")

    def handle(self, *args, **options):
        export_options = self.export_options(options)
        chunks = export.iter_export(export_options, fmt=options["format"])
        if options["output"]:
            with open(options["output"], "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            return
        stream = getattr(self.stdout._out, "buffer", None)
        try:
            for chunk in chunks:
                if stream is not None:
                    stream.write(chunk)
                else:  # a text stream (call_command(stdout=StringIO()))
                    self.stdout._out.write(chunk.decode())
            if stream is not None:
                stream.flush()
        except BrokenPipeError:  # `| head`: stop the query (closing the generator) and exit
            chunks.close()
            sys.stderr.close()

    def export_options(self, options) -> export.ExportOptions:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace with slug {options['workspace']!r}.")
        viewer_id = _viewer_id(workspace, options["as_user"]) if options["as_user"] else None
        article_ids = _article_ids(workspace, options["article"])
        tag_ids = [
            tag_id for label in options["tag"] for tag_id in _tag_ids(workspace, label, viewer_id)
        ]
        annotator_ids = [_annotator_id(workspace, username) for username in options["annotator"]]
        if options["since"] and options["until"] and options["until"] < options["since"]:
            raise CommandError("--until is before --since.")
        return export.ExportOptions(
            workspace_id=workspace.pk,
            workspace_slug=workspace.slug,
            viewer_id=viewer_id,
            article_ids=tuple(article_ids),
            tag_ids=tuple(sorted(set(tag_ids))),
            annotator_ids=tuple(sorted(set(annotator_ids))),
            statuses=tuple(sorted(set(options["status"]))),
            since=options["since"],
            until=options["until"],
            only_tagged=not options["all_claims"],
            layout=options["layout"],
            raw=options["raw"],
            excel=options["excel"],
        )


def _viewer_id(workspace, username: str) -> int:
    viewer = get_user_model().objects.filter(username=username).first()
    if viewer is None or not Membership.objects.filter(workspace=workspace, user=viewer).exists():
        raise CommandError(f"{username!r} is not a member of {workspace.slug}.")
    return viewer.pk


def _article_ids(workspace, requested: list[int]) -> list[int]:
    article_ids = sorted(set(requested))
    found = set(
        Article.objects.filter(workspace=workspace, pk__in=article_ids).values_list("pk", flat=True)
    )
    if missing := [pk for pk in article_ids if pk not in found]:
        raise CommandError(f"No article {missing} in {workspace.slug}.")
    return article_ids


def _tag_ids(workspace, label: str, viewer_id: int | None) -> list[int]:
    """The shared tag of that label, and the --as user's private one: never anyone else's
    private tag (nor a hint that one exists)."""
    tags = tags_labelled(workspace_id=workspace.pk, label=label.strip()).filter(
        Q(owner__isnull=True) | Q(owner_id=viewer_id)
    )
    found_ids = list(tags.values_list("pk", flat=True))
    if not found_ids:
        raise CommandError(f"No source tag {label!r} in {workspace.slug}.")
    return found_ids


def _annotator_id(workspace, username: str) -> int:
    """A member, or someone who wrote claims here before leaving."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not (
        Membership.objects.filter(workspace=workspace, user=user).exists()
        or Claim.objects.filter(workspace=workspace, author=user).exists()
    ):
        raise CommandError(f"No annotator {username!r} in {workspace.slug}.")
    return user.pk
