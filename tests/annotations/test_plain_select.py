"""The export form's one-pass <select multiple> says what Django's widget says."""

import re

from django import forms

from annotations.forms import PlainSelectMultiple

CHOICES = [(1, "Reuters"), (2, "<script>alert(1)</script> & “Co”"), (30, "AFP")]


def options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label.strip())
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*(?:<(?!/option)[^<]*)*)</option>', html
        )
    ]


def test_same_options_selection_escaping_and_attributes_as_djangos_widget():
    attrs = {"id": "id_tag", "aria-describedby": "id_tag_helptext", "size": 8}
    django = forms.SelectMultiple(choices=CHOICES).render("tag", ["2", "30"], attrs=attrs)
    plain = PlainSelectMultiple(choices=CHOICES).render("tag", ["2", "30"], attrs=attrs)
    assert options(plain) == options(django) and len(options(plain)) == 3
    assert "<script>" not in plain and "&lt;script&gt;" in plain
    head = re.match(r"<select([^>]*)>", plain)[1]
    assert sorted(head.split()) == sorted(re.match(r"<select([^>]*)>", django)[1].split())


def test_nothing_selected():
    html = PlainSelectMultiple(choices=CHOICES).render("tag", None)
    assert "selected" not in html and html.startswith('<select name="tag" multiple>')
