"""Who is calling: a browser signed in with its session, or a client sending HTTP Basic.

Reads are public; only routes that change something name ``signed_in``.
"""

from django.contrib.auth import authenticate
from ninja.security import HttpBasicAuth
from ninja.security import SessionAuth as NinjaSessionAuth


class PhoneOrEmailBasicAuth(HttpBasicAuth):
    """Mobile and government clients send the account's phone number or e-mail and its password.

    Django's ``authenticate`` runs the same backends (and failed-login signal)
    as the sign-in page. No session is created: each request carries its
    credentials. The API never answers with ``WWW-Authenticate: Basic``, so
    browsers do not cache these credentials and replay them cross-site;
    that is why this scheme needs no CSRF token.
    """

    def authenticate(self, request, username, password):
        return authenticate(request, username=username, password=password)


class SessionAuth(NinjaSessionAuth):
    """Ninja's ``django_auth`` (session cookie, CSRF enforced), asked only when a session cookie is sent.

    Ninja checks CSRF before looking at the session; without this guard a
    Basic client with a wrong password would hear "CSRF check failed" (403)
    instead of "sign in" (401). A request without a session cookie cannot be
    signed in by session anyway, so skipping the check there weakens nothing.
    """

    def __call__(self, request):
        if self.param_name not in request.COOKIES:
            return None
        return super().__call__(request)


# Basic first: the session scheme would reject a cookie-less Basic request on CSRF.
signed_in = [PhoneOrEmailBasicAuth(), SessionAuth()]
