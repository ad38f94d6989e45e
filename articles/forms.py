import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ArticleSource
from .services import file_source

LANGUAGE_CHOICES = [("", _("Detect automatically")), ("de", _("German")), ("en", _("English"))]


class ImportTextForm(forms.Form):
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 12, "placeholder": _("Paste the article's text here")}
        ),
        label=_("Article text"),
    )
    file = forms.FileField(
        required=False,
        label=_("…or upload a .txt file"),
        help_text=_("UTF-8 or Windows-1252 text, up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )
    title = forms.CharField(
        required=False,
        max_length=500,
        label=_("Title"),
        help_text=_("Defaults to the first line when it is a headline."),
    )
    outlet = forms.CharField(required=False, max_length=200, label=_("Outlet"))
    url = forms.URLField(
        required=False, max_length=2000, label=_("Original URL"), assume_scheme="https"
    )
    language = forms.ChoiceField(required=False, choices=LANGUAGE_CHOICES, label=_("Language"))

    def clean(self):
        cleaned = super().clean()
        has_text = bool((cleaned.get("text") or "").strip())
        has_file = bool(cleaned.get("file"))
        if has_text and has_file:
            raise forms.ValidationError(_("Paste text or upload a file, not both."))
        if not has_text and not has_file:
            raise forms.ValidationError(_("Paste the article's text or choose a .txt file."))
        upload = cleaned.get("file")
        if upload is not None and file_source(name=upload.name) != ArticleSource.FILE:
            self.add_error("file", _("Only .txt files can be imported here."))
        return cleaned


class BlockKindForm(forms.Form):
    kind = forms.ChoiceField(choices=[], label=_("Block kind"))

    def __init__(self, *args, **kwargs):
        from .models import BlockKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = BlockKind.choices


def _normalise_web_address(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", value):
        value = "https://" + value.lstrip("/")
    if not re.match(r"https?://", value, re.I):
        raise forms.ValidationError(_("Only http and https URLs can be imported."))
    return value


class ArticleTitleForm(forms.Form):
    """A writer's fix of an article's title (e.g. one guessed for a page without a title)."""

    title = forms.CharField(max_length=500, strip=True, label=_("Title"))


class ImportWebForm(forms.Form):
    """A news page by URL or as a saved .html/.htm file."""

    url = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Page address (URL)"),
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
    file = forms.FileField(
        required=False,
        label=_("…or upload a saved page (.html or .htm)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".html,.htm,text/html"}),
    )
    title = forms.CharField(
        required=False,
        max_length=500,
        label=_("Title"),
        help_text=_("Defaults to the page's own title."),
    )
    outlet = forms.CharField(
        required=False,
        max_length=200,
        label=_("Outlet"),
        help_text=_("Defaults to the site's name."),
    )
    language = forms.ChoiceField(required=False, choices=LANGUAGE_CHOICES, label=_("Language"))

    def clean_url(self):
        return _normalise_web_address(self.cleaned_data.get("url", ""))

    def clean(self):
        cleaned = super().clean()
        has_url = bool(cleaned.get("url"))
        upload = cleaned.get("file")
        if has_url and upload:
            raise forms.ValidationError(_("Give a URL or upload a file, not both."))
        if not has_url and not upload and not self.errors:
            raise forms.ValidationError(_("Enter the page's URL or choose a saved .html file."))
        if upload is not None and file_source(name=upload.name) != ArticleSource.HTML:
            self.add_error("file", _("Only .html and .htm files can be imported here."))
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        # Every file is checked when it is imported, so that one bad file (empty, too big,
        # wrong type) becomes that item's failure instead of refusing the whole batch.
        files = data if isinstance(data, list | tuple) else [data]
        return [item for item in files if item]


class BatchImportForm(forms.Form):
    """Many URLs (one per line) and/or many .txt/.html/.htm files."""

    urls = forms.CharField(
        required=False,
        label=_("Page addresses, one per line"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "https://…\nhttps://…"}),
    )
    files = MultipleFileField(
        required=False,
        label=_("…and/or upload files (.txt, .html, .htm)"),
        widget=MultipleFileInput(attrs={"accept": ".txt,.html,.htm,text/plain,text/html"}),
    )
    language = forms.ChoiceField(required=False, choices=LANGUAGE_CHOICES, label=_("Language"))

    def __init__(self, *args, max_items: int = 50, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_items = max_items

    def clean_urls(self):
        lines = [line.strip() for line in self.cleaned_data.get("urls", "").splitlines()]
        return list(dict.fromkeys(line for line in lines if line and not line.startswith("#")))

    def clean(self):
        cleaned = super().clean()
        count = len(cleaned.get("urls") or []) + len(cleaned.get("files") or [])
        if not count and not self.errors:
            raise forms.ValidationError(_("Enter at least one URL or choose at least one file."))
        if count > self.max_items:
            raise forms.ValidationError(
                _("That is %(count)s items; import at most %(max)s at a time.")
                % {"count": count, "max": self.max_items}
            )
        return cleaned
