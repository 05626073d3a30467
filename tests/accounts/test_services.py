"""Accounts as an operator checks them: who gets created, what is sent, what is stored."""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from jindianzi.accounts.selectors import user_by_login
from jindianzi.accounts.services import MAX_CODE_ATTEMPTS, user_register, user_verify, verification_send
from jindianzi.core.audit import records_for

from ..factories import PASSWORD

User = get_user_model()
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


@pytest.fixture
def register(django_capture_on_commit_callbacks, outbox):
    """Register as the sign-up page does, running what happens after commit (sending the code)."""

    def _register(login, password=PASSWORD, display_name=""):
        with django_capture_on_commit_callbacks(execute=True):
            return user_register(login=login, password=password, display_name=display_name)

    return _register


def sent_code(outbox, address):
    codes = [code for to, code in outbox if to == address]
    assert codes, f"no code was sent to {address}: {outbox}"
    return codes[-1]


def raw_column(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


# --- Registering ---------------------------------------------------------------------------------

def test_register_with_phone_sends_a_six_digit_code_to_that_phone(register, outbox):
    user = register("138 1234 5678", display_name="王秀兰")

    assert user.phone == "13812345678"
    assert not user.is_verified
    [(address, code)] = outbox
    assert address == "13812345678"
    assert len(code) == 6 and code.isdigit()
    assert records_for(user).filter(action="user.register", actor=user).count() == 1


def test_register_with_email_stores_it_in_lower_case_and_sends_the_code_there(register, outbox):
    user = register("Wang.Xiulan@Example.COM")

    assert user.email == "wang.xiulan@example.com"
    assert user.phone == ""
    assert [address for address, _ in outbox] == ["wang.xiulan@example.com"]


def test_no_code_is_sent_before_the_account_is_committed(outbox):
    with translation.override("en"):
        user_register(login="13812345678", password=PASSWORD)
    # Still inside the test's transaction: the sender has not been called yet.
    assert outbox == []


@pytest.mark.parametrize("existing, again, message", [
    ("13812345678", "+86 138-1234-5678", "An account with this mobile number already exists."),
    ("li@example.com", "LI@Example.com", "An account with this e-mail address already exists."),
])
def test_a_second_account_for_the_same_phone_or_email_is_refused(register, outbox, existing, again, message):
    register(existing)
    outbox.clear()
    users_before = User.objects.count()

    with pytest.raises(ValidationError) as refused:
        register(again)

    assert refused.value.messages == [message]
    assert User.objects.count() == users_before
    assert outbox == []


@pytest.mark.parametrize("password, reason", [
    ("abc12", "too short"),
    ("8723409812", "entirely numeric"),
    ("password123", "too common"),
])
def test_weak_passwords_are_refused_and_nothing_is_created(register, outbox, password, reason):
    with pytest.raises(ValidationError) as refused:
        register("13812345678", password=password)

    assert any(reason in message for message in refused.value.messages)
    assert not User.objects.exists()
    assert outbox == []


@pytest.mark.parametrize("login", ["12345", "2381234567", "138123456789", "wang@", ""])
def test_something_that_is_neither_a_mobile_number_nor_an_email_is_refused(register, login):
    with pytest.raises(ValidationError) as refused:
        register(login)

    assert "mobile number" in refused.value.messages[0] or "e-mail" in refused.value.messages[0]
    assert not User.objects.exists()


# --- What is stored ------------------------------------------------------------------------------

def test_the_phone_number_is_stored_encrypted_and_found_by_its_digest(register):
    user = register("13812345678")

    stored = raw_column("accounts_user", "phone", user.pk)
    assert stored
    assert "13812345678" not in stored
    digest = raw_column("accounts_user", "phone_digest", user.pk)
    assert "13812345678" not in digest

    assert user_by_login("138-1234-5678") == user
    assert user_by_login("+8613812345678") == user
    assert User.objects.get(pk=user.pk).phone == "13812345678"


def test_a_changed_encryption_key_shows_no_number_rather_than_the_ciphertext(register, settings):
    user = register("13812345678")
    settings.JINDIANZI_FIELD_KEY = "another-key-after-a-bad-migration"

    assert User.objects.get(pk=user.pk).phone == ""


def test_people_sign_in_with_phone_or_email_and_their_password(register):
    by_phone = register("13812345678")
    by_email = register("li@example.com")

    assert authenticate(username="138 1234 5678", password=PASSWORD) == by_phone
    assert authenticate(username="LI@example.com", password=PASSWORD) == by_email
    assert authenticate(username="13812345678", password="wrong-password-1") is None
    assert authenticate(username="13900000000", password=PASSWORD) is None


# --- Verification codes --------------------------------------------------------------------------

def test_the_right_code_verifies_the_account_once(register, outbox):
    user = register("13812345678")

    user_verify(user=user, code=sent_code(outbox, "13812345678"))

    user.refresh_from_db()
    assert user.is_verified
    assert records_for(user).filter(action="user.verify", actor=user).exists()


def test_a_wrong_code_is_refused_and_the_account_stays_unverified(register, outbox):
    user = register("13812345678")
    code = sent_code(outbox, "13812345678")
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    with pytest.raises(ValidationError) as refused:
        user_verify(user=user, code=wrong)

    assert refused.value.messages == ["The code is not correct."]
    user.refresh_from_db()
    assert not user.is_verified


def test_a_code_entered_after_fifteen_minutes_has_expired(register, outbox, monkeypatch):
    user = register("13812345678")
    code = sent_code(outbox, "13812345678")
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr(timezone, "now", lambda: later)

    with pytest.raises(ValidationError) as refused:
        user_verify(user=user, code=code)

    assert "expired" in refused.value.messages[0]
    user.refresh_from_db()
    assert not user.is_verified


def test_after_too_many_wrong_codes_even_the_right_one_is_refused(register, outbox):
    user = register("13812345678")
    code = sent_code(outbox, "13812345678")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(MAX_CODE_ATTEMPTS):
        with pytest.raises(ValidationError):
            user_verify(user=user, code=wrong)

    with pytest.raises(ValidationError) as refused:
        user_verify(user=user, code=code)

    assert refused.value.messages == ["Too many wrong codes. Ask for a new one."]
    user.refresh_from_db()
    assert not user.is_verified


def test_a_new_code_replaces_the_old_one_and_resets_the_attempts(register, outbox, django_capture_on_commit_callbacks,
                                                                 a_minute_passes):
    user = register("13812345678")
    first = sent_code(outbox, "13812345678")
    for _ in range(MAX_CODE_ATTEMPTS):
        with pytest.raises(ValidationError):
            user_verify(user=user, code=f"{(int(first) + 1) % 10**6:06d}")

    a_minute_passes()
    with django_capture_on_commit_callbacks(execute=True):
        verification_send(user=user)
    second = sent_code(outbox, "13812345678")

    if second != first:
        with pytest.raises(ValidationError):
            user_verify(user=user, code=first)
    user_verify(user=user, code=second)
    user.refresh_from_db()
    assert user.is_verified


def test_a_new_code_cannot_be_asked_for_within_a_minute(register, outbox, django_capture_on_commit_callbacks):
    user = register("13812345678")
    first = sent_code(outbox, "13812345678")

    with pytest.raises(ValidationError, match="less than a minute ago"):
        verification_send(user=user)

    assert len(outbox) == 1
    user_verify(user=user, code=first)
