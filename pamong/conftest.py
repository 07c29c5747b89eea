from __future__ import annotations

from collections.abc import Iterator

import pytest

from pamong.core.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, Phone, sync_api


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser: sync_api.Browser) -> Iterator[Phone]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    context.set_default_timeout(10_000)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text) if msg.type in {"error", "warning"} else None)
    page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"{r.failure} {r.url}"))
    yield Phone(page=page, console_errors=messages, failed_requests=failed)
    context.close()
