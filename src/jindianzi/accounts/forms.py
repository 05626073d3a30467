from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    login = forms.CharField(
        label=_("Mobile number or e-mail"), max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
        help_text=_("We send a verification code there."),
    )
    display_name = forms.CharField(label=_("Your name"), max_length=60, required=False,
                                   help_text=_("Shown on your ideas unless you ask to stay anonymous."))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("At least 8 characters, not only digits."))


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("Mobile number or e-mail"), max_length=120,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
