from django import forms

LANGUAGE_CHOICES = [("", "Detect automatically"), ("de", "German"), ("en", "English")]


class ImportTextForm(forms.Form):
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "placeholder": "Paste the article's text here"}),
        label="Article text",
    )
    file = forms.FileField(
        required=False,
        label="…or upload a .txt file",
        help_text="UTF-8 or Windows-1252 text, up to 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )
    title = forms.CharField(
        required=False,
        max_length=500,
        help_text="Defaults to the first line when it is a headline.",
    )
    outlet = forms.CharField(required=False, max_length=200, label="Outlet")
    url = forms.URLField(
        required=False, max_length=2000, label="Original URL", assume_scheme="https"
    )
    language = forms.ChoiceField(required=False, choices=LANGUAGE_CHOICES)

    def clean(self):
        cleaned = super().clean()
        has_text = bool((cleaned.get("text") or "").strip())
        has_file = bool(cleaned.get("file"))
        if has_text and has_file:
            raise forms.ValidationError("Paste text or upload a file, not both.")
        if not has_text and not has_file:
            raise forms.ValidationError("Paste the article's text or choose a .txt file.")
        upload = cleaned.get("file")
        if upload is not None and not upload.name.lower().endswith(".txt"):
            self.add_error("file", "Only .txt files can be imported here.")
        return cleaned


class BlockKindForm(forms.Form):
    kind = forms.ChoiceField(choices=[])

    def __init__(self, *args, **kwargs):
        from .models import BlockKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = BlockKind.choices
