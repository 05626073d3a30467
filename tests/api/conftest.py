import base64
import json

import pytest
from django.test import Client

from ..factories import PASSWORD


def basic(user, password: str = PASSWORD) -> dict:
    """Headers for HTTP Basic with the account's phone number (or e-mail) and password."""
    token = base64.b64encode(f"{user.phone or user.email}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def post_json(client, url: str, body=None, **headers):
    return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)


def public_text(response) -> str:
    """The answer as a person would read it: decoded, whatever escaping the encoder chose."""
    return response.content.decode() + json.dumps(response.json(), ensure_ascii=False)


@pytest.fixture
def api_client():
    """A visitor without an account, reading in English unless a test asks otherwise."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")
