from django import forms

from .models import INVITE_EXPIRY_DAYS, INVITE_ROLES, Role


class WorkspaceForm(forms.Form):
    name = forms.CharField(
        max_length=120,
        label="Name",
        help_text="For example the desk or project: “Fact-check desk”, “Election 2026”.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autofocus": True, "aria-describedby": "name-help"}
        ),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter a name.")
        return name


class AddMemberForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        label="Username",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none",
                                      "spellcheck": "false"}),
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR, label="Role")


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class InviteForm(forms.Form):
    role = forms.ChoiceField(
        choices=[(role.value, role.label) for role in INVITE_ROLES], initial=Role.EDITOR,
        label="Joins as",
    )
    days = forms.TypedChoiceField(
        choices=[(days, f"{days} day{'s' if days > 1 else ''}") for days in INVITE_EXPIRY_DAYS],
        coerce=int, initial=7, label="Valid for",
    )
    max_uses = forms.TypedChoiceField(
        choices=[("", "Any number of people"), (1, "1 person"), (5, "5 people"),
                 (25, "25 people")],
        coerce=int, empty_value=None, required=False, label="Can be used by",
    )
