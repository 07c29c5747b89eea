"""Support for the browser tests: Debian's Chromium driven by Playwright on a phone-sized screen.

The fixtures (``browser``, ``phone``) live in pamong/conftest.py; tests import the helpers here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

# Playwright's sync API runs an asyncio loop in the test thread; the ORM calls made by the test
# body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright import sync_api

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach the internet at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE: sync_api.ViewportSize = {"width": 360, "height": 740}


@dataclass
class Phone:
    page: sync_api.Page
    console_errors: list[str]
    failed_requests: list[str]

    @property
    def csp_violations(self) -> list[str]:
        return [text for text in self.console_errors if "content security policy" in text.lower()]


def no_horizontal_scroll(page: sync_api.Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px screen ({page.url})"


def log_in(page: sync_api.Page, base: str, user: Any, *, start: str) -> None:
    """Log in through the real pages, from ``start`` (a path that needs a login): the password, then,
    when the user has a device, the TOTP code it shows now; ends back on ``start``."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pamong.core.testing import PASSWORD

    page.goto(f"{base}{start}")
    assert "/masuk/" in page.url, page.url
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        assert "/masuk/otp/" in page.url, page.url
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.locator("#id_token").fill(f"{code:06d}")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
    assert page.url == f"{base}{start}", page.url
