"""Agreement between the annotators of a workspace (or one of its articles).

    python manage.py agreement --workspace SLUG [--article ID] [--json] [--bootstrap]

--json prints one JSON object (issue 16, a contract):
``{"items": int, "coders": int, "span_f1": float, "alpha": {"outlet", "cited", "anonymous"}}``
(each alpha a float, or null where undefined), over the claims of all annotators, blind or
not (private claims and curators' merged versions are not annotations of a coder). Without
--json, a report for a methods section: the same figures with exact agreement per field,
pairwise span F1 and, with --bootstrap, 95 % confidence intervals of alpha.
See annotations/agreement.py for the definitions.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from annotations.agreement import FIELDS, Report
from annotations.selectors import agreement_report
from articles.models import Article
from workspaces.models import Workspace


def _figure(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = "Agreement between annotators: span F1 and Krippendorff's alpha per source field."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, metavar="SLUG")
        parser.add_argument("--article", type=int, metavar="ID", help="one article only")
        parser.add_argument("--json", action="store_true", help="one JSON object (contract)")
        parser.add_argument(
            "--bootstrap", action="store_true", help="95%% bootstrap intervals (text report)"
        )

    def handle(self, *args, **options):
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace with the slug {options['workspace']!r}.")
        article_id = options["article"]
        if (
            article_id is not None
            and not Article.objects.filter(pk=article_id, workspace=workspace).exists()
        ):
            raise CommandError(f"No article {article_id} in the workspace {workspace.slug!r}.")
        report = agreement_report(
            workspace_id=workspace.pk,
            article_id=article_id,
            bootstrap=options["bootstrap"] and not options["json"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_contract()))
            return
        self._write_text(report)

    def _write_text(self, report: Report) -> None:
        write = self.stdout.write
        write(f"Claims: {report.claims}, coders: {report.coders}, items: {report.items}")
        write(f"Span F1 (mean pairwise): {_figure(report.span_f1)}")
        for pair in report.pairs:
            a, b = pair.coders
            write(
                f"  {a} – {b}: F1 {pair.f1:.3f} ({pair.matched} matched of "
                f"{pair.claims[0]} + {pair.claims[1]} claims)"
            )
        for name in FIELDS:
            figures = report.fields[name]
            interval = ""
            if figures.interval is not None:
                interval = f" (95% CI {figures.interval[0]:.3f}–{figures.interval[1]:.3f})"
            write(
                f"{name}: alpha {_figure(figures.alpha)}{interval}, exact agreement "
                f"{_figure(figures.exact)} over {figures.units} items"
            )
