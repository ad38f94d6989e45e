"""The search page's GET parameters (a contract other pages link to): q, tag, outlet, cited,
anonymous (yes/no; named: tagged with no anonymous tag; untagged: no tag), status, annotator
(username), since, until (YYYY-MM-DD, when the claim was made), article (id), article_outlet
(the article's outlet, exact), language (the article's language code), shared (yes: claims
shared with the workspace only; no: only the reader's own private and blind-round claims)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from annotations.models import ClaimStatus
from articles.forms import LANGUAGE_CHOICES

from .selectors import ClaimSearch

MAX_QUERY_LENGTH = 200
MAX_ID = 2**63 - 1


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search claims"), required=False, max_length=MAX_QUERY_LENGTH, strip=True
    )
    tag = forms.IntegerField(label=_("Source tag"), required=False, min_value=1, max_value=MAX_ID)
    outlet = forms.CharField(label=_("Outlet"), required=False, max_length=200, strip=True)
    cited = forms.CharField(label=_("Cited source"), required=False, max_length=200, strip=True)
    anonymous = forms.ChoiceField(
        label=_("Anonymous source"),
        required=False,
        choices=[
            ("", _("Any source")),
            ("yes", _("Anonymous")),
            ("no", _("Not anonymous")),
            ("named", _("Named sources only")),
            ("untagged", _("No source tag")),
        ],
    )
    shared = forms.ChoiceField(
        label=_("Claims"),
        required=False,
        choices=[
            ("", _("Shared and mine")),
            ("yes", _("Shared only")),
            ("no", _("My private ones")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ClaimStatus.choices],
    )
    annotator = forms.CharField(label=_("Annotator"), required=False, max_length=150, strip=True)
    since = forms.DateField(
        label=_("Made on or after"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("Made on or before"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    article = forms.IntegerField(label=_("Article"), required=False, min_value=1, max_value=MAX_ID)
    article_outlet = forms.CharField(
        label=_("Article outlet"), required=False, max_length=200, strip=True
    )
    # The languages an article can be imported in (not the interface's languages).
    language = forms.ChoiceField(
        label=_("Article language"),
        required=False,
        choices=[("", _("Any language")), *[(c, n) for c, n in LANGUAGE_CHOICES if c]],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("tag", "article"):
            self.fields[name].error_messages["invalid"] = _("Enter the number of an item.")
        for name in ("since", "until"):
            self.fields[name].error_messages["invalid"] = _(
                "Enter a date as YYYY-MM-DD, e.g. 2025-03-31."
            )
        codes = ", ".join(code for code, _label in LANGUAGE_CHOICES if code)
        self.fields["language"].error_messages["invalid_choice"] = _(
            "Choose one of the article languages: %(codes)s."
        ) % {"codes": codes}

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("“Made on or before” is earlier than “Made on or after”."))
        return data

    def search(self) -> ClaimSearch:
        """The search from the fields that are valid (a wrong one is reported, not guessed)."""
        data = getattr(self, "cleaned_data", {})
        source = data.get("anonymous") or ""
        # named: tagged, with no anonymous tag (the dashboard's "named sources only").
        anonymous = {"yes": True, "no": False, "named": False}.get(source)
        tagged = {"named": True, "untagged": False}.get(source)
        return ClaimSearch(
            query=data.get("q") or "",
            tag_id=data.get("tag"),
            outlet=data.get("outlet") or "",
            cited=data.get("cited") or "",
            anonymous=anonymous,
            tagged=tagged,
            status=data.get("status") or "",
            annotator=data.get("annotator") or "",
            since=data.get("since"),
            until=data.get("until"),
            article_id=data.get("article"),
            article_outlet=data.get("article_outlet") or "",
            language=data.get("language") or "",
            shared={"yes": True, "no": False}.get(data.get("shared") or ""),
        )
