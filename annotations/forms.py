"""Forms of the annotations app (the export page's filters)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from articles.models import Article
from workspaces.models import Membership

from . import export
from .access import visible_tags_q
from .models import Claim, ClaimStatus, SourceTag


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[("csv", "CSV (spreadsheets, pandas, R)"),
                 ("jsonld", "W3C Web Annotation JSON-LD (interchange)")],
        initial="csv", required=False, widget=forms.RadioSelect,
    )
    layout = forms.ChoiceField(
        choices=[("claims", "One row per claim (tags joined with “; ”)"),
                 ("tags", "One row per claim and source tag")],
        initial="claims", required=False, widget=forms.RadioSelect,
        help_text="CSV only.",
    )
    article = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="Articles",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="None selected: all articles.",
    )
    tag = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="Source tags",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Claims with any of these tags. None selected: any tag.",
    )
    annotator = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="Annotators",
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    status = forms.MultipleChoiceField(
        choices=ClaimStatus.choices, required=False, label="Statuses",
        widget=forms.CheckboxSelectMultiple,
    )
    since = forms.DateField(required=False, label="Created from",
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="Created until (inclusive)",
                            widget=forms.DateInput(attrs={"type": "date"}))
    only_tagged = forms.BooleanField(
        required=False, initial=True, label="Only claims with at least one source tag"
    )
    excel = forms.BooleanField(
        required=False, label="Excel-friendly (UTF-8 byte order mark)",
        help_text="Lets Excel open accented and non-Latin text correctly.",
    )
    raw = forms.BooleanField(
        required=False, label="Raw cells",
        help_text="By default a cell that starts with = + - @ gets a leading ' so that a "
                  "spreadsheet shows it as text and never runs it as a formula. Raw keeps "
                  "cells exactly as written: only for tools other than spreadsheets.",
    )

    def __init__(self, *args, workspace, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = list(
            Article.objects.filter(workspace=workspace).order_by("-created_at", "-id")
            .values_list("id", "title")
        )
        tags = SourceTag.objects.filter(workspace=workspace)
        if user is not None:  # a tag typed only on someone's private claim stays theirs
            tags = tags.filter(visible_tags_q(user=user))
        self.fields["tag"].choices = list(tags.order_by("label").values_list("id", "label"))
        people = (
            get_user_model().objects.filter(memberships__workspace=workspace)
            .union(get_user_model().objects.filter(
                pk__in=Claim.objects.filter(workspace=workspace).values("author_id")
            ))
        )
        self.fields["annotator"].choices = sorted(
            ((user.pk, user.get_username()) for user in people), key=lambda item: item[1]
        )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        for name in ("since", "until"):
            if data.get(name) and data[name].year >= 9999:
                self.add_error(name, "Choose a date before the year 9999.")
        if since and until and until < since:
            raise forms.ValidationError("“Created until” is before “Created from”.")
        return data

    def options(self, *, membership: Membership, article_ids=()) -> export.ExportOptions:
        data = self.cleaned_data
        return export.ExportOptions(
            workspace_id=membership.workspace_id,
            workspace_slug=membership.workspace.slug,
            viewer_id=membership.user_id,
            article_ids=tuple(article_ids or data["article"]),
            tag_ids=tuple(data["tag"]),
            annotator_ids=tuple(data["annotator"]),
            statuses=tuple(data["status"]),
            since=data["since"],
            until=data["until"],
            only_tagged=data["only_tagged"],
            layout=data["layout"] or "claims",
            raw=data["raw"],
            excel=data["excel"],
        )
