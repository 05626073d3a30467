from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import throttle


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

    def clean(self):
        if throttle.is_locked(self.cleaned_data.get("username", "")):
            raise forms.ValidationError(
                _("Too many wrong passwords. Please wait %(minutes)s minutes and try again.")
                % {"minutes": throttle.LOCK_SECONDS // 60}, code="locked")
        return super().clean()

    def get_invalid_login_error(self):
        return forms.ValidationError(_("The mobile number, e-mail or password is not correct."), code="invalid_login")


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
