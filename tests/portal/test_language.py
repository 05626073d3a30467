"""Chinese by default, English on request (browser setting or the language button).

The Chinese catalogue may not be compiled yet, so these tests look at what does not
depend on it: the page's declared language, the language button, data kept in both
languages (category names), and English text where English is the source.
"""

import re

import pytest
from django.test import Client

from ..factories import submit_idea

pytestmark = pytest.mark.django_db


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


@pytest.fixture
def idea(world):
    return submit_idea(edition=world.edition, community=world.community)


def test_pages_are_in_chinese_by_default(idea):
    client = Client()

    for url in ("/", "/ideas/", f"/ideas/{idea.tracking_code}/", "/track/", "/accounts/login/"):
        html = client.get(url).content.decode()
        assert html_lang(html) == "zh-CN", url
        assert '<button name="language" value="en" lang="en">English</button>' in html, url
    assert "老年人服务类" in client.get(f"/ideas/{idea.tracking_code}/").content.decode()


def test_a_browser_asking_for_english_gets_english_pages(idea):
    client = Client(headers={"accept-language": "en-GB,en;q=0.9"})

    for url in ("/", "/ideas/", f"/ideas/{idea.tracking_code}/", "/track/", "/accounts/login/",
                "/accounts/signup/"):
        html = client.get(url).content.decode()
        assert html_lang(html) == "en", url
        assert 'value="zh-hans" lang="zh-CN">中文</button>' in html, url
    detail = client.get(f"/ideas/{idea.tracking_code}/").content.decode()
    assert "Services for older people" in detail and "老年人服务类" not in detail
    assert "What happened so far" in detail and "Received, waiting to be looked at" in detail
    assert "Collection (征集)" in client.get("/").content.decode()


def test_the_language_button_switches_to_english_and_back(idea):
    client = Client()

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/ideas/"})

    assert switched.status_code == 302 and switched["Location"] == "/ideas/"
    html = client.get("/ideas/").content.decode()
    assert html_lang(html) == "en"
    assert "Services for older people" in html

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/ideas/"})

    html = client.get("/ideas/").content.decode()
    assert html_lang(html) == "zh-CN"
    assert "老年人服务类" in html


def test_the_language_button_returns_to_the_same_page(idea):
    client = Client()
    page = client.get(f"/ideas/{idea.tracking_code}/").content.decode()

    assert f'name="next" value="/ideas/{idea.tracking_code}/"' in page


def test_the_language_button_does_not_send_people_to_another_site(world):
    switched = Client().post("/i18n/setlang/", {"language": "en", "next": "https://evil.example.com/"})

    assert "evil.example.com" not in switched.get("Location", "")
