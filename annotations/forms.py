"""Forms of the annotations app (the export page's filters)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
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
            raise forms.ValidationError(
                _("Choose at most %(count)s.") % {"count": self.max_count}, code="max_count"
            )
        for item in value or ():
            if not _is_id(item):  # not a number, or beyond bigint: no query needed
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:40]},
                )
        objects = super().clean(value)
        return [obj.pk for obj in objects]


class PlainSelectMultiple(forms.SelectMultiple):
    """A <select multiple> written in one pass (format_html_join) instead of a template per
    option: the export form lists every tag the reader sees, 1,000 in a newsroom, which
    took 80 ms through the widget templates. Same markup, attributes and selection."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs) | {"name": name, "multiple": True}
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(choice), " selected" if str(choice) in selected else "", label)
                for choice, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


class _IdsAndLabels(BaseChoiceIterator):
    """The tag menu's (id, label) pairs, read when the form is shown (a download never reads
    them), as tuples: a model instance per tag was most of the page's time."""

    def __init__(self, queryset) -> None:
        self.queryset = queryset

    def __iter__(self):
        yield from self.queryset.values_list("pk", "label")


def workspace_people(*, workspace):
    """Members of the workspace and anyone who wrote a claim in it (a former member): one
    query, each user an index probe on claims (workspace, author), not a scan of claims."""
    wrote_here = Exists(Claim.objects.filter(workspace=workspace, author=OuterRef("pk")).order_by())
    members = Membership.objects.filter(workspace=workspace).values("user_id")
    return get_user_model().objects.filter(Q(pk__in=members) | Q(wrote_here))


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[
            ("csv", _("CSV (spreadsheets, pandas, R)")),
            ("jsonld", _("W3C Web Annotation JSON-LD (interchange)")),
        ],
        initial="csv",
        required=False,
        label=_("Format"),
        widget=forms.RadioSelect,
    )
    layout = forms.ChoiceField(
        choices=[
            ("claims", _("One row per claim (tags joined with “; ”)")),
            ("tags", _("One row per claim and source tag")),
        ],
        initial="claims",
        required=False,
        label=_("CSV layout"),
        widget=forms.RadioSelect,
        help_text=_("CSV only."),
    )
    # Only the chosen articles are listed (export.html finds more by search); the choices
    # of tags and annotators are listed, but checked by query, not against the list.
    article = IdsField(
        queryset=Article.objects.none(),
        required=False,
        label=_("Articles"),
        max_count=MAX_EXPORT_ARTICLES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: all articles."),
    )
    tag = IdsField(
        queryset=SourceTag.objects.none(),
        required=False,
        label=_("Source tags"),
        widget=PlainSelectMultiple(attrs={"size": 8}),
        help_text=_("Claims with any of these tags. None selected: any tag."),
    )
    annotator = IdsField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Annotators"),
        widget=PlainSelectMultiple(attrs={"size": 5}),
    )
    status = forms.MultipleChoiceField(
        choices=ClaimStatus.choices,
        required=False,
        label=_("Statuses"),
        widget=forms.CheckboxSelectMultiple,
    )
    since = forms.DateField(
        required=False, label=_("Created from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False,
        label=_("Created until (inclusive)"),
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
    curated = forms.BooleanField(
        required=False,
        label=_("Only curated claims"),
        help_text=_("The versions adopted or written on the curation page after a blind round."),
    )
    excel = forms.BooleanField(
        required=False,
        label=_("Excel-friendly (UTF-8 byte order mark)"),
        help_text=_("Lets Excel open accented and non-Latin text correctly."),
    )
    raw = forms.BooleanField(
        required=False,
        label=_("Raw cells"),
        help_text=_(
            "By default a cell that starts with = + - @ gets a leading ' so that a "
            "spreadsheet shows it as text and never runs it as a formula. Raw keeps "
            "cells exactly as written: only for tools other than spreadsheets."
        ),
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
        self.fields["tag"].widget.choices = _IdsAndLabels(tags.order_by("label"))
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
                self.add_error(name, _("Choose a date before the year 9999."))
        if since and until and until < since:
            raise forms.ValidationError(_("“Created until” is before “Created from”."))
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
            only_curated=data["curated"],
            layout=data["layout"] or "claims",
            raw=data["raw"],
            excel=data["excel"],
        )
