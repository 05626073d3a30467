"""The sign-up, verification, sign-in and sign-out pages, as a resident uses them."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from jindianzi.accounts.services import MAX_CODE_ATTEMPTS

from ..factories import PASSWORD, UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(outbox, django_capture_on_commit_callbacks):
    """An English-speaking visitor whose requests run their after-commit work (sending codes)."""
    client = Client(headers={"accept-language": "en"})

    def run(method, url, data=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(client, method)(url, data or {}, **kwargs)

    client.get_ = lambda url, data=None, **kw: run("get", url, data, **kw)
    client.post_ = lambda url, data=None, **kw: run("post", url, data, **kw)
    return client


def signed_in(client) -> bool:
    return client.get("/me/ideas/").status_code == 200


def last_code(outbox, address):
    return [code for to, code in outbox if to == address][-1]


def wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


# --- Sign-up and verification --------------------------------------------------------------------

def test_signup_page_asks_for_phone_or_email_and_a_password(browser):
    page = browser.get("/accounts/signup/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="login"' in html
    assert 'type="password"' in html and 'name="password"' in html
    assert "Mobile number or e-mail" in html


def test_resident_signs_up_with_a_phone_number_and_verifies_it(browser, outbox):
    page = browser.post_("/accounts/signup/", {"login": "138 1234 5678", "password": PASSWORD,
                                              "display_name": "王秀兰"}, follow=True)

    assert page.redirect_chain[0][0].startswith("/accounts/verify/")
    html = page.content.decode()
    assert "138****5678" in html          # where the code went, masked
    assert "13812345678" not in html
    user = User.objects.get()
    assert user.display_name == "王秀兰" and not user.is_verified

    page = browser.post_("/accounts/verify/", {"code": last_code(outbox, "13812345678")}, follow=True)

    assert page.redirect_chain[-1][0] == "/"
    assert "Thank you, your account is verified." in page.content.decode()
    user.refresh_from_db()
    assert user.is_verified
    assert signed_in(browser)


def test_resident_signs_up_with_an_email_address_and_verifies_it(browser, outbox):
    browser.post_("/accounts/signup/", {"login": "Li.Ming@Example.com", "password": PASSWORD})

    page = browser.get("/accounts/verify/")
    assert "li.ming@example.com" in page.content.decode()

    browser.post_("/accounts/verify/", {"code": last_code(outbox, "li.ming@example.com")})

    assert User.objects.get(email="li.ming@example.com").is_verified


def test_signup_with_a_phone_that_already_has_an_account_is_refused_and_creates_nothing(browser, outbox):
    UserFactory(login="13812345678")

    page = browser.post_("/accounts/signup/", {"login": "13812345678", "password": PASSWORD})

    assert page.status_code == 200
    assert "An account with this mobile number already exists." in page.content.decode()
    assert User.objects.count() == 1
    assert outbox == []
    assert not signed_in(browser)


def test_signup_with_an_email_that_already_has_an_account_is_refused_and_creates_nothing(browser, outbox):
    UserFactory(login="li@example.com")

    page = browser.post_("/accounts/signup/", {"login": "LI@example.com", "password": PASSWORD})

    assert "An account with this e-mail address already exists." in page.content.decode()
    assert User.objects.count() == 1
    assert outbox == []


def test_signup_with_a_weak_password_shows_why_and_creates_nothing(browser, outbox):
    page = browser.post_("/accounts/signup/", {"login": "13812345678", "password": "12345678"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "This password is too common." in html or "This password is entirely numeric." in html
    assert 'role="alert"' in html
    assert not User.objects.exists()
    assert outbox == []
    # What the person typed is kept, so they only fix the password.
    assert 'value="13812345678"' in html


def test_signup_with_neither_phone_nor_email_is_refused(browser):
    page = browser.post_("/accounts/signup/", {"login": "12345", "password": PASSWORD})

    assert "Enter an 11-digit mobile number or an e-mail address." in page.content.decode()
    assert not User.objects.exists()


@pytest.fixture
def new_resident(browser, outbox):
    browser.post_("/accounts/signup/", {"login": "13812345678", "password": PASSWORD})
    return User.objects.get()


def test_a_wrong_code_shows_a_message_and_leaves_the_account_unverified(browser, outbox, new_resident):
    page = browser.post_("/accounts/verify/", {"code": wrong(last_code(outbox, "13812345678"))})

    assert page.status_code == 200
    assert "The code is not correct." in page.content.decode()
    new_resident.refresh_from_db()
    assert not new_resident.is_verified


def test_a_code_entered_too_late_has_expired(browser, outbox, new_resident, monkeypatch):
    code = last_code(outbox, "13812345678")
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr(timezone, "now", lambda: later)

    page = browser.post_("/accounts/verify/", {"code": code})

    assert "This code has expired. Ask for a new one." in page.content.decode()
    new_resident.refresh_from_db()
    assert not new_resident.is_verified


def test_too_many_wrong_codes_lock_the_code_until_a_new_one_is_asked_for(browser, outbox, new_resident,
                                                                          a_minute_passes):
    code = last_code(outbox, "13812345678")
    for _ in range(MAX_CODE_ATTEMPTS):
        browser.post_("/accounts/verify/", {"code": wrong(code)})

    page = browser.post_("/accounts/verify/", {"code": code})

    assert "Too many wrong codes. Ask for a new one." in page.content.decode()
    new_resident.refresh_from_db()
    assert not new_resident.is_verified

    a_minute_passes()
    browser.post_("/accounts/verify/", {"resend": "1"})
    browser.post_("/accounts/verify/", {"code": last_code(outbox, "13812345678")})
    new_resident.refresh_from_db()
    assert new_resident.is_verified


def test_send_a_new_code_sends_another_code_and_only_the_new_one_works(browser, outbox, new_resident,
                                                                       a_minute_passes):
    first = last_code(outbox, "13812345678")
    a_minute_passes()

    page = browser.post_("/accounts/verify/", {"resend": "1"}, follow=True)

    assert "We sent a new code." in page.content.decode()
    assert len(outbox) == 2
    second = last_code(outbox, "13812345678")
    if second != first:
        browser.post_("/accounts/verify/", {"code": first})
        new_resident.refresh_from_db()
        assert not new_resident.is_verified
    browser.post_("/accounts/verify/", {"code": second})
    new_resident.refresh_from_db()
    assert new_resident.is_verified


def test_an_unverified_resident_who_wants_to_submit_is_sent_to_verify_and_back(browser, outbox, new_resident, world):
    page = browser.get("/ideas/new/")

    assert page.status_code == 302
    assert page["Location"] == "/accounts/verify/?next=%2Fideas%2Fnew%2F"

    page = browser.post_(page["Location"], {"code": last_code(outbox, "13812345678")})

    assert page.status_code == 302
    assert page["Location"] == "/ideas/new/"


def test_verify_page_needs_a_signed_in_account(browser):
    page = browser.get("/accounts/verify/")

    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")


# --- Sign-in and sign-out ------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["13812345678", "138 1234 5678", "+86 138-1234-5678"])
def test_sign_in_with_the_phone_number_however_it_is_typed(browser, typed):
    UserFactory(login="13812345678")

    page = browser.post("/accounts/login/", {"username": typed, "password": PASSWORD})

    assert page.status_code == 302
    assert signed_in(browser)


def test_sign_in_with_the_email_address_in_any_case(browser):
    UserFactory(login="li@example.com")

    page = browser.post("/accounts/login/", {"username": "Li@Example.com", "password": PASSWORD})

    assert page.status_code == 302
    assert signed_in(browser)


def test_sign_in_with_a_wrong_password_says_so_and_does_not_sign_in(browser):
    UserFactory(login="13812345678")

    page = browser.post("/accounts/login/", {"username": "13812345678", "password": "not-my-password"})

    assert page.status_code == 200
    assert "The mobile number, e-mail or password is not correct." in page.content.decode()
    assert not signed_in(browser)


def test_sign_in_for_an_unknown_account_gives_the_same_message(browser):
    page = browser.post("/accounts/login/", {"username": "13900000000", "password": PASSWORD})

    assert "The mobile number, e-mail or password is not correct." in page.content.decode()
    assert not signed_in(browser)


def test_sign_in_returns_to_the_page_the_resident_came_from(browser):
    UserFactory(login="13812345678")

    page = browser.post("/accounts/login/?next=/me/ideas/",
                        {"username": "13812345678", "password": PASSWORD, "next": "/me/ideas/"})

    assert page["Location"] == "/me/ideas/"


def test_sign_in_does_not_redirect_to_another_site(browser):
    UserFactory(login="13812345678")

    page = browser.post("/accounts/login/", {"username": "13812345678", "password": PASSWORD,
                                            "next": "https://evil.example.com/"})

    assert page.status_code == 302
    assert "evil.example.com" not in page["Location"]


def test_sign_out_is_a_post_and_ends_the_session(browser):
    UserFactory(login="13812345678")
    browser.post("/accounts/login/", {"username": "13812345678", "password": PASSWORD})

    assert browser.get("/accounts/logout/").status_code == 405
    assert signed_in(browser)

    page = browser.post("/accounts/logout/")

    assert page.status_code == 302
    assert not signed_in(browser)


def test_the_header_offers_sign_out_only_when_signed_in(browser):
    UserFactory(login="13812345678")
    assert 'action="/accounts/logout/"' not in browser.get("/").content.decode()

    browser.post("/accounts/login/", {"username": "13812345678", "password": PASSWORD})

    assert 'action="/accounts/logout/"' in browser.get("/").content.decode()


def test_asking_for_codes_again_and_again_is_refused_with_a_message(browser, outbox, new_resident):
    page = browser.post_("/accounts/verify/", {"resend": "1"}, follow=True)


    assert "Please wait a moment" in page.content.decode()
    assert len(outbox) == 1


def test_five_wrong_passwords_lock_the_login_for_a_while(client, db):
    from ..factories import PASSWORD, UserFactory

    UserFactory(login="13712340000")
    for _ in range(5):
        page = client.post("/accounts/login/", {"username": "137 1234 0000", "password": "wrong-password"},
                           HTTP_ACCEPT_LANGUAGE="en")
        assert "The mobile number, e-mail or password is not correct." in page.content.decode()

    page = client.post("/accounts/login/", {"username": "13712340000", "password": PASSWORD},
                       HTTP_ACCEPT_LANGUAGE="en")

    assert "Too many wrong passwords. Please wait 15 minutes" in page.content.decode()
    assert "_auth_user_id" not in client.session
