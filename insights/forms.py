from django import forms
from django.utils.translation import gettext_lazy as _

from annotations.models import ClaimStatus

from .selectors import DashboardFilters


class DashboardFilterForm(forms.Form):
    """The dashboard's filters (GET). A wrong value is reported and left out; the rest apply."""

    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("To"), required=False)
    outlet = forms.CharField(label=_("Article outlet"), required=False, max_length=200)
    tag = forms.IntegerField(label=_("Source tag"), required=False, min_value=1)
    annotator = forms.CharField(label=_("Annotator"), required=False, max_length=150)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "")] + list(ClaimStatus.choices)
    )
    language = forms.CharField(label=_("Language"), required=False, max_length=8)
    mine = forms.BooleanField(label=_("Include my private claims"), required=False)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self) -> DashboardFilters:
        """The filters that are valid (call after is_valid())."""
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return DashboardFilters(
            since=data.get("since"),
            until=data.get("until"),
            outlet=data.get("outlet") or "",
            tag=data.get("tag"),
            annotator=data.get("annotator") or "",
            status=data.get("status") or "",
            language=data.get("language") or "",
            mine=bool(data.get("mine")),
        )
