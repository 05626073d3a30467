"""``jindianzi demo``: builds once, prints the accounts, then serves as ``serve`` does.

The command is run at a small scale here; the full build is tested once, in test_build.py.
"""

import io

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.core.management import call_command
from django.core.management.base import CommandError

from jindianzi.accounts.services import user_register
from jindianzi.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from jindianzi.demo.management.commands import demo as demo_command
from jindianzi.editions.models import Edition
from jindianzi.ideas.models import Idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def serve_calls(monkeypatch):
    """Record the call to ``serve`` instead of starting a server; other commands run for real."""
    calls = []
    real_call_command = demo_command.call_command

    def call(name, *args, **kwargs):
        if name == "serve":
            calls.append(kwargs)
            return None
        return real_call_command(name, *args, **kwargs)

    monkeypatch.setattr(demo_command, "call_command", call)
    return calls


def _run(*args, **options) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out, **options)
    return out.getvalue()


def test_build_only_builds_prints_the_accounts_and_does_not_serve(serve_calls):
    output = _run("--build-only", "--scale", "0.02")
    assert Edition.objects.filter(slug="hongshan-2017").exists()
    assert Edition.objects.get(slug="hongshan-2018").is_collecting
    for spec in DEMO_ACCOUNTS:
        assert spec.login in output
    assert DEMO_PASSWORD in output
    assert serve_calls == []


def test_a_second_run_does_not_build_again(serve_calls):
    _run("--build-only", "--scale", "0.02")
    ideas = Idea.objects.count()
    output = _run("--build-only", "--scale", "0.02")
    assert Idea.objects.count() == ideas
    assert Edition.objects.filter(slug="hongshan-2017").count() == 1
    assert DEMO_ACCOUNTS[0].login in output


def test_without_build_only_it_serves_on_the_given_host_and_port(serve_calls):
    output = _run("--scale", "0.02", "--host", "0.0.0.0", "--port", "8123")
    assert serve_calls == [{"host": "0.0.0.0", "port": 8123}]
    assert "http://0.0.0.0:8123/" in output


def test_a_scale_of_zero_is_refused(serve_calls):
    with pytest.raises(CommandError):
        _run("--build-only", "--scale", "0")
    assert not Edition.objects.exists()


def test_an_account_registered_without_a_password_cannot_sign_in(client):
    user = user_register(login="13912340000", password=None, display_name="王秀英", verified=True)
    assert not is_password_usable(user.password)
    assert not client.login(username="13912340000", password="")
    assert not client.login(username="13912340000", password=DEMO_PASSWORD)
