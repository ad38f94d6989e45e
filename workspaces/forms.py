from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import INVITE_EXPIRY_DAYS, INVITE_ROLES, Role


class WorkspaceForm(forms.Form):
    name = forms.CharField(
        max_length=120,
        label=_("Name"),
        help_text=_("For example the desk or project: “Fact-check desk”, “Election 2026”."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autofocus": True, "aria-describedby": "name-help"}
        ),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        return name


class AddMemberForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        label=_("Username"),
        help_text=_("They are invited: they join when they accept."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR, label=_("Role"))


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))


class InviteForm(forms.Form):
    role = forms.ChoiceField(
        choices=[(role.value, role.label) for role in INVITE_ROLES],
        initial=Role.EDITOR,
        label=_("Joins as"),
    )
    days = forms.TypedChoiceField(
        choices=[],  # in __init__: "7 days" in the reader's language
        coerce=int,
        initial=7,
        label=_("Valid for"),
    )
    max_uses = forms.TypedChoiceField(
        choices=[
            ("", _("Any number of people")),
            (1, _("1 person")),
            (5, _("5 people")),
            (25, _("25 people")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Can be used by"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [
            (days, ngettext("%(days)d day", "%(days)d days", days) % {"days": days})
            for days in INVITE_EXPIRY_DAYS
        ]


class SignupForm(UserCreationForm):
    """A new account: a username nobody has (in any letter case), a password that passes the
    site's validators, twice, and an optional email address for resetting it."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")
        labels = {"email": _("Email (optional)")}
        help_texts = {
            "email": _("Only used to send you a link if you forget your password."),
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
        self.fields["password1"].help_text = _(
            "At least 8 characters, not a common password, not only digits and not like "
            "your username or email."
        )
        self.fields["password2"].widget.attrs.update({"autocomplete": "new-password"})


class EmailForm(forms.Form):
    email = forms.EmailField(
        required=False,
        label=_("Email"),
        help_text=_(
            "Only used to send you a link if you forget your password. Leave it empty to remove it."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
