"""Browser tests: headless Chromium driven by Playwright against the live test server."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def page(live_server):
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed: .ci/run installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        # A phone-sized screen: residents mostly use phones.
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        browser.close()


@pytest.fixture
def screenshot(page):
    """Saves a screenshot when JINDIANZI_SCREENSHOTS names a folder (for looking at pages by hand)."""
    folder = os.environ.get("JINDIANZI_SCREENSHOTS")

    def take(name):
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return take
