"""Blind double annotation, the agreement report and curation (issue 16). Views only check
access, call services/selectors and render; the rules live in access.py and services.py."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from workspaces.models import Membership, Role

from . import selectors, services
from .access import (
    article_for_curator,
    article_for_owner,
    blind_round_for_annotator,
    claim_for_reader,
)
from .agreement import FIELDS
from .export_views import requested_membership
from .models import ClaimStatus

FIELD_LABELS = {
    "outlet": gettext_lazy("Relaying outlet"),
    "cited": gettext_lazy("Cited source (normalised)"),
    "anonymous": gettext_lazy("Anonymous source"),
}


def _ids(values) -> list[int]:
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    return [int(value) for value in values if re.fullmatch(r"[0-9]{1,18}", str(value))]


@require_http_methods(["GET", "POST"])
def blind_round(request, pk: int):
    """An owner assigns the article to annotators in blind mode; everyone sees the state."""
    article = article_for_owner(user=request.user, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.start_blind_round(
                article=article,
                owner=request.user,
                annotator_ids=_ids(request.POST.getlist("annotator")),
            )
        except services.ClaimError as failure:
            error = str(failure)
        else:
            messages.success(request, _("Blind annotation started."))
            return redirect(reverse("annotations:blind_round", args=[article.pk]))
    context = {
        "article": article,
        "state": selectors.blind_state(article_id=article.pk, user=request.user),
        "candidates": selectors.blind_candidates(workspace_id=article.workspace_id),
        "chosen": set(_ids(request.POST.getlist("annotator"))),
        "error": error,
    }
    return render(request, "annotations/blind_round.html", context, status=400 if error else 200)


@require_POST
def blind_done(request, pk: int):
    """An assigned annotator: "I'm done" (done=1) or, before the reveal, "not done yet"."""
    round_, _annotator = blind_round_for_annotator(user=request.user, article_pk=pk)
    done = request.POST.get("done", "1") != "0"
    try:
        round_ = services.mark_done(blind_round=round_, user=request.user, done=done)
    except services.ClaimError as failure:
        messages.error(request, str(failure))
    else:
        if round_.revealed_at is not None:
            messages.success(request, _("Everyone is done: all claims are now shown."))
        elif done:
            messages.success(request, _("Marked as done. Claims are shown once everyone is."))
    return redirect(reverse("articles:detail", args=[pk]))


def _field_rows(report) -> list[dict]:
    return [
        {"name": name, "label": FIELD_LABELS[name], "figures": report.fields[name]}
        for name in FIELDS
    ]


@require_GET
def article_agreement(request, pk: int):
    article = article_for_owner(user=request.user, pk=pk)
    state = selectors.blind_state(article_id=article.pk, user=request.user)
    report = None
    if state is None or not state.is_open:
        report = selectors.agreement_report(
            workspace_id=article.workspace_id,
            article_id=article.pk,
            user=request.user,
            bootstrap=True,
        )
    context = {
        "article": article,
        "state": state,
        "report": report,
        "rows": _field_rows(report) if report else [],
        "scope": article.title,
    }
    return render(request, "annotations/agreement.html", context)


def _owned_membership(request) -> Membership:
    membership = requested_membership(request)
    if membership.role != Role.OWNER:
        raise Http404("No such workspace")
    return membership


@require_GET
def workspace_agreement(request):
    membership = _owned_membership(request)
    report = selectors.agreement_report(
        workspace_id=membership.workspace_id, user=request.user, bootstrap=True
    )
    context = {
        "workspace": membership.workspace,
        "report": report,
        "rows": _field_rows(report),
        "scope": membership.workspace.name,
    }
    return render(request, "annotations/agreement.html", context)


@require_GET
def curation(request, pk: int):
    article = article_for_curator(user=request.user, pk=pk)
    context = {
        "article": article,
        "groups": selectors.curation_groups(article=article, user=request.user),
        "statuses": ClaimStatus.choices,
    }
    return render(request, "annotations/curation.html", context)


def _group_of(request, article, claim_pk: int):
    """The matched span holding this claim (as the curation page shows it), or 404."""
    for group in selectors.curation_groups(article=article, user=request.user):
        if any(version.pk == claim_pk for version in group.versions):
            return group
    raise Http404("No such claim")


@require_POST
def curation_adopt(request, pk: int, claim_pk: int):
    article = article_for_curator(user=request.user, pk=pk)
    claim = claim_for_reader(user=request.user, pk=claim_pk)
    group = _group_of(request, article, claim.pk)
    services.adopt_version(
        claim=claim, group=[*group.versions, *group.merged], curator=request.user
    )
    messages.success(request, _("Version adopted into the curated set."))
    return redirect(reverse("annotations:curation", args=[article.pk]) + f"#span-{group.key}")


@require_POST
def curation_merge(request, pk: int, claim_pk: int):
    article = article_for_curator(user=request.user, pk=pk)
    base = claim_for_reader(user=request.user, pk=claim_pk)
    group = _group_of(request, article, base.pk)
    labels = [label for label in request.POST.getlist("label") if label.strip()][:20]
    try:
        services.write_merged_version(
            base=base,
            group=[*group.versions, *group.merged],
            curator=request.user,
            labels=labels,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        )
    except services.ClaimError as failure:
        messages.error(request, str(failure))
    else:
        messages.success(request, _("Merged version written into the curated set."))
    return redirect(reverse("annotations:curation", args=[article.pk]) + f"#span-{group.key}")
