from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import LoginForm, SignupForm, VerifyForm
from .services import user_register, user_verify, verification_send


def _next_url(request, default="portal:home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_register(login=form.cleaned_data["login"], password=form.cleaned_data["password"],
                                 display_name=form.cleaned_data["display_name"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            login(request, user, backend="jindianzi.accounts.backends.PhoneOrEmailBackend")
            messages.success(request, _("Your account is created. Enter the code we sent you."))
            return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': _next_url(request, '')})}")
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request, "")})


@login_required
def verify(request):
    if request.user.is_verified:
        return redirect(_next_url(request))
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and "resend" in request.POST:
        try:
            verification_send(user=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.info(request, _("We sent a new code."))
        return redirect(request.get_full_path())
    if request.method == "POST" and form.is_valid():
        try:
            user_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.messages[0])
        else:
            messages.success(request, _("Thank you, your account is verified."))
            return redirect(_next_url(request))
    return render(request, "accounts/verify.html", {"form": form, "address": request.user.contact_label,
                                                    "next": _next_url(request, "")})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"


logout = require_POST(auth_views.LogoutView.as_view())
