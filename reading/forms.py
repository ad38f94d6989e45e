"""Forms of the reading app: a new version of an article."""

from django import forms


class NewVersionForm(forms.Form):
    """'Upload new version': a .txt/.html file or pasted text (one of them)."""

    file = forms.FileField(required=False, label="File (.txt, .html, .htm)")
    text = forms.CharField(
        required=False,
        label="Or paste the article's new text",
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool((data.get("text") or "").strip()):
            raise forms.ValidationError("Choose a file or paste the text (one of them).")
        return data
