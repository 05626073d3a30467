from django.contrib.auth.backends import ModelBackend

from . import throttle
from .selectors import user_by_login


class PhoneOrEmailBackend(ModelBackend):
    """Sign in with a mobile number or an e-mail address (or a username, for back office)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password or throttle.is_locked(username):
            return None
        user = user_by_login(username)
        if user is None:
            # Spend the same time as a real check, so timing does not reveal accounts.
            self.user_model().set_password(password)
        elif user.check_password(password) and self.user_can_authenticate(user):
            throttle.clear(username)
            return user
        throttle.record_failure(username)
        return None

    @property
    def user_model(self):
        from django.contrib.auth import get_user_model

        return get_user_model()
