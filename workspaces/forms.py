from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

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
        help_text="They are invited: they join when they accept.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR, label="Role")


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class InviteForm(forms.Form):
    role = forms.ChoiceField(
        choices=[(role.value, role.label) for role in INVITE_ROLES],
        initial=Role.EDITOR,
        label="Joins as",
    )
    days = forms.TypedChoiceField(
        choices=[(days, f"{days} day{'s' if days > 1 else ''}") for days in INVITE_EXPIRY_DAYS],
        coerce=int,
        initial=7,
        label="Valid for",
    )
    max_uses = forms.TypedChoiceField(
        choices=[("", "Any number of people"), (1, "1 person"), (5, "5 people"), (25, "25 people")],
        coerce=int,
        empty_value=None,
        required=False,
        label="Can be used by",
    )


class SignupForm(UserCreationForm):
    """A new account: a username nobody has (in any letter case), a password that passes the
    site's validators, twice, and an optional email address for resetting it."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")
        labels = {"email": "Email (optional)"}
        help_texts = {
            "email": "Only used to send you a link if you forget your password.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        )
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["password1"].widget.attrs.update({"autocomplete": "new-password"})
        # Django's list of the validators' rules is HTML; the field's help is one line of text.
        self.fields["password1"].help_text = (
            "At least 8 characters, not a common password, not only digits and not like "
            "your username or email."
        )
        self.fields["password2"].widget.attrs.update({"autocomplete": "new-password"})


class EmailForm(forms.Form):
    email = forms.EmailField(
        required=False,
        label="Email",
        help_text="Only used to send you a link if you forget your password. Leave it empty "
        "to remove it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
