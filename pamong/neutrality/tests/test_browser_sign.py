"""The assembly morning on a phone: the big screen shows a QR code, an employee follows it, logs in,
reads, draws a signature, signs, gets a receipt, and checks it on the public verification page;
the big screen counts the signature without reloading."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pamong.core import ledger
from pamong.core.browser import Phone, no_horizontal_scroll, sync_api
from pamong.core.testing import PASSWORD, make_employee, make_user
from pamong.neutrality import services
from pamong.neutrality.models import Campaign, Signature
from pamong.organisation.identity import format_identity_number
from pamong.organisation.models import OPD, Employee, Pemda, Role

pytestmark = [pytest.mark.browser]

BIG_SCREEN: sync_api.ViewportSize = {"width": 1920, "height": 1080}


@dataclass
class Assembly:
    campaign: Campaign
    nurse: Employee


@pytest.fixture
def assembly(transactional_db: None, settings: Any, tmp_path: Path) -> Iterator[Assembly]:
    settings.PAMONG_BUSINESS_DATE = "2024-10-17"
    settings.PAMONG_LEDGER_KEY_FILE = tmp_path / "ledger.pem"
    ledger._load_private_key.cache_clear()
    pemda = Pemda.objects.create(code="53.71", name="Pemerintah Kota Kupang", short_name="Kota Kupang")
    health = OPD.objects.create(pemda=pemda, code="dinkes", name="Dinas Kesehatan", abbreviation="Dinkes", kind="dinas")
    personnel = OPD.objects.create(pemda=pemda, code="bkppd", name="BKPPD", abbreviation="BKPPD", kind="badan")
    nurse = make_employee(health, "Maria Bunga Lete")
    make_user(nurse)
    manager = make_user(make_employee(personnel, "Analis Kepegawaian"), roles=((Role.BKPSDM, None),))
    campaign = services.create_campaign(
        by=manager,
        slug="netralitas-2024",
        title="Deklarasi Komitmen Netralitas ASN dan PTT",
        text="Kami menyatakan:\n1. Menjaga netralitas.\n2. Tidak ikut politik praktis.",
        opens_on=dt.date(2024, 10, 1),
        closes_on=dt.date(2024, 10, 31),
        eligible_kinds=["pns", "pppk", "ptt"],
        witness_bodies=["Bawaslu Kota Kupang"],
    )
    yield Assembly(campaign=campaign, nurse=nurse)
    ledger._load_private_key.cache_clear()


def test_an_employee_scans_the_assembly_qr_signs_on_a_phone_and_verifies_the_receipt(
    live_server: object, assembly: Assembly, browser: sync_api.Browser, phone: Phone
) -> None:
    base = str(live_server)
    assembly_url = f"{base}/deklarasi/{assembly.campaign.slug}/apel/"

    # The big screen at the front of the field, open before anyone signs.
    screen_context = browser.new_context(viewport=BIG_SCREEN, locale="id-ID")
    screen = screen_context.new_page()
    screen_errors: list[str] = []
    screen.on("console", lambda msg: screen_errors.append(msg.text) if msg.type in {"error", "warning"} else None)
    screen.goto(assembly_url)
    sync_api.expect(screen.locator("[data-total]")).to_contain_text("0 dari 2 sudah menandatangani (0,0 %)")
    qr = screen.locator(".qr svg").bounding_box()
    assert qr is not None and qr["width"] >= 400, qr  # readable from a distance
    screen.evaluate("window.__pamongNoReload = true")

    # The phone: the link under the QR code is what the camera would open.
    page = phone.page
    page.goto(assembly_url)
    no_horizontal_scroll(page)
    sign_url = page.locator("[data-sign-url]").get_attribute("href")
    assert sign_url == f"{base}/deklarasi/{assembly.campaign.slug}/tandatangan/"
    page.goto(sign_url)
    assert "/masuk/" in page.url and "next=" in page.url
    page.locator("#id_username").fill(format_identity_number(assembly.nurse.identity_number))
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url == sign_url
    sync_api.expect(page.locator("h1")).to_have_text("Deklarasi Komitmen Netralitas ASN dan PTT")
    sync_api.expect(page.locator(".declaration-text")).to_contain_text("Menjaga netralitas.")
    no_horizontal_scroll(page)

    # A stroke with the finger (the pad listens to pointer events: mouse, pen and touch alike).
    canvas = page.locator("canvas")
    sync_api.expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box is not None
    x, y = box["x"], box["y"] + box["height"] / 2
    page.mouse.move(x + 20, y)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(x + 20 + step * 16, y + (12 if step % 2 else -12))
    page.mouse.up()
    drawing = page.locator("input[name=drawing]").input_value()
    assert re.fullmatch(r"M \d+ \d+( L \d+ \d+)+", drawing), drawing

    page.get_by_label("Saya telah membaca dan menyetujui deklarasi ini").check()
    # htmx swaps the receipt in from the POST's own response and puts its address in the URL bar.
    page.get_by_role("button", name="Tanda tangani").click()
    sync_api.expect(page.locator("h1")).to_have_text("Terima kasih")
    sync_api.expect(page).to_have_url(f"{base}/deklarasi/{assembly.campaign.slug}/tanda-terima/")
    code = page.locator("[data-receipt-code]").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code), code
    sync_api.expect(page.locator(".receipt-qr svg")).to_be_visible()
    no_horizontal_scroll(page)

    signature = Signature.objects.get()
    assert signature.drawing == drawing
    assert ledger.format_receipt_code(signature.receipt_code) == code

    with page.expect_navigation():
        page.get_by_role("button", name="Periksa tanda terima").click()
    assert page.url == f"{base}/verifikasi/{code}/"
    sync_api.expect(page.locator(".verdict-pass")).to_contain_text("Terbukti")
    sync_api.expect(page.locator("main")).to_contain_text("Maria Bunga Lete")
    no_horizontal_scroll(page)

    # The big screen has counted it, without a reload.
    sync_api.expect(screen.locator("[data-total]")).to_contain_text(
        "1 dari 2 sudah menandatangani (50,0 %)", timeout=10_000
    )
    assert screen.evaluate("window.__pamongNoReload === true"), "the assembly screen reloaded"
    page.goto(assembly_url)
    sync_api.expect(page.locator("[data-total]")).to_contain_text("1 dari 2")
    no_horizontal_scroll(page)

    assert phone.csp_violations == []
    assert [e for e in screen_errors if "content security policy" in e.lower()] == []
    assert phone.failed_requests == []
    screen_context.close()


def test_with_javascript_off_the_page_signs_without_a_drawing(
    live_server: object, assembly: Assembly, browser: sync_api.Browser
) -> None:
    base = str(live_server)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, java_script_enabled=False
    )
    page = context.new_page()
    sign_url = f"{base}/deklarasi/{assembly.campaign.slug}/tandatangan/"
    page.goto(sign_url)
    page.locator("#id_username").fill(assembly.nurse.identity_number)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url == sign_url
    sync_api.expect(page.locator("canvas")).to_be_hidden()  # no drawing without a script
    page.get_by_label("Saya telah membaca dan menyetujui deklarasi ini").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Tanda tangani").click()
    sync_api.expect(page.locator("h1")).to_have_text("Terima kasih")
    no_horizontal_scroll(page)
    assert Signature.objects.get().drawing == ""
    context.close()
