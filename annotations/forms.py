"""Forms of the annotations app (the export page's filters)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from workspaces.models import Membership

from . import export
from .access import visible_tags_q
from .models import Claim, ClaimStatus, SourceTag

MAX_EXPORT_ARTICLES = 1000


def _is_id(value) -> bool:
    text = str(value).strip()
    return text.isascii() and text.isdigit() and len(text) <= 18


class IdsField(forms.ModelMultipleChoiceField):
    """Ids checked against a queryset with one `pk IN (…)` query (not against a list of
    every choice): the workspace may hold 100,000 articles. Cleans to the list of ids."""

    def __init__(self, *args, max_count: int | None = None, **kwargs):
        self.max_count = max_count
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if self.max_count is not None and value and len(value) > self.max_count:
            raise forms.ValidationError(f"Choose at most {self.max_count}.", code="max_count")
        for item in value or ():
            if not _is_id(item):  # not a number, or beyond bigint: no query needed
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:40]},
                )
        objects = super().clean(value)
        return [obj.pk for obj in objects]


def workspace_people(*, workspace):
    """Members of the workspace and anyone who wrote a claim in it (a former member): one
    query, each user an index probe on claims (workspace, author), not a scan of claims."""
    wrote_here = Exists(Claim.objects.filter(workspace=workspace, author=OuterRef("pk")).order_by())
    members = Membership.objects.filter(workspace=workspace).values("user_id")
    return get_user_model().objects.filter(Q(pk__in=members) | Q(wrote_here))


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[
            ("csv", "CSV (spreadsheets, pandas, R)"),
            ("jsonld", "W3C Web Annotation JSON-LD (interchange)"),
        ],
        initial="csv",
        required=False,
        widget=forms.RadioSelect,
    )
    layout = forms.ChoiceField(
        choices=[
            ("claims", "One row per claim (tags joined with “; ”)"),
            ("tags", "One row per claim and source tag"),
        ],
        initial="claims",
        required=False,
        widget=forms.RadioSelect,
        help_text="CSV only.",
    )
    # Only the chosen articles are listed (export.html finds more by search); the choices
    # of tags and annotators are listed, but checked by query, not against the list.
    article = IdsField(
        queryset=Article.objects.none(),
        required=False,
        label="Articles",
        max_count=MAX_EXPORT_ARTICLES,
        widget=forms.CheckboxSelectMultiple,
        help_text="None chosen: all articles.",
    )
    tag = IdsField(
        queryset=SourceTag.objects.none(),
        required=False,
        label="Source tags",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Claims with any of these tags. None selected: any tag.",
    )
    annotator = IdsField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Annotators",
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    status = forms.MultipleChoiceField(
        choices=ClaimStatus.choices,
        required=False,
        label="Statuses",
        widget=forms.CheckboxSelectMultiple,
    )
    since = forms.DateField(
        required=False, label="Created from", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False,
        label="Created until (inclusive)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    only_tagged = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Only claims with at least one source tag"),
        help_text=_(
            "On by default: untagged claims are left out. Untick it to export every claim."
        ),
    )
    excel = forms.BooleanField(
        required=False,
        label="Excel-friendly (UTF-8 byte order mark)",
        help_text="Lets Excel open accented and non-Latin text correctly.",
    )
    raw = forms.BooleanField(
        required=False,
        label="Raw cells",
        help_text="By default a cell that starts with = + - @ gets a leading ' so that a "
        "spreadsheet shows it as text and never runs it as a formula. Raw keeps "
        "cells exactly as written: only for tools other than spreadsheets.",
    )

    def __init__(self, *args, workspace, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        articles = Article.objects.filter(workspace=workspace).only("id", "title")
        self.fields["article"].queryset = articles
        self.fields["article"].widget.choices = self._chosen_articles(articles)
        tags = SourceTag.objects.filter(workspace=workspace)
        if user is not None:  # a tag typed only on someone's private claim stays theirs
            tags = tags.filter(visible_tags_q(user=user))
        self.fields["tag"].queryset = tags.order_by("label")
        self.fields["tag"].label_from_instance = lambda tag: tag.label
        self.fields["annotator"].queryset = workspace_people(workspace=workspace).order_by(
            "username"
        )
        self.fields["annotator"].label_from_instance = lambda person: person.get_username()

    def _chosen_articles(self, articles) -> list[tuple[int, str]]:
        """(id, title) of the articles asked for (bound data or initial), for the widget."""
        if self.is_bound:
            asked = self.data.getlist("article") if hasattr(self.data, "getlist") else []
        else:
            asked = self.initial.get("article") or []
        ids = {int(value) for value in asked if _is_id(value)}
        ids = sorted(ids)[:MAX_EXPORT_ARTICLES]
        return list(articles.filter(pk__in=ids).order_by("-id").values_list("id", "title"))

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
