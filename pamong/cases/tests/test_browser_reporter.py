"""A frightened PTT reports pressure from a cheap phone: choose the kind, fill in the form, attach a
photo, get the receipt, copy and confirm it, leave; later come back with nothing but the code, read
the handler's question and answer it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pamong.cases import keyring, services
from pamong.cases.models import Message, Report, Stage
from pamong.cases.tests.test_attachments import photo_with_gps
from pamong.core import ledger
from pamong.core.browser import PHONE, Phone, no_horizontal_scroll, sync_api
from pamong.core.testing import PASSWORD, make_employee, make_user
from pamong.organisation.models import OPD, Pemda, Role, User

pytestmark = [pytest.mark.browser]

MARKER = "PENANDAPONSEL3R8T"


@pytest.fixture
def inspector(transactional_db: None, settings: Any, tmp_path: Path) -> Iterator[User]:
    settings.PAMONG_LEDGER_KEY_FILE = tmp_path / "ledger.pem"
    settings.PAMONG_CASE_FILES = tmp_path / "berkas"
    ledger._load_private_key.cache_clear()
    pemda = Pemda.objects.create(code="53.71", name="Pemerintah Kota Kupang", short_name="Kota Kupang")
    OPD.objects.create(pemda=pemda, code="dinkes", name="Dinas Kesehatan", abbreviation="Dinkes", kind="dinas")
    office = OPD.objects.create(pemda=pemda, code="inspektorat", name="Inspektorat Daerah", kind="inspektorat")
    user = make_user(make_employee(office, "Inspektur Pembantu"), roles=((Role.INSPEKTORAT, None),))
    keyring.key_for_password(user, PASSWORD)  # he has logged in once, so reports can be shared with him
    yield user
    ledger._load_private_key.cache_clear()


def fits_the_phone(page: sync_api.Page) -> None:
    no_horizontal_scroll(page)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_a_ptt_reports_pressure_saves_the_receipt_comes_back_and_answers(
    live_server: object, inspector: User, phone: Phone
) -> None:
    base = str(live_server)
    page = phone.page
    # The phone fixture keeps the text of console messages; here also where they came from.
    console: list[tuple[str, str]] = []
    page.on(
        "console", lambda m: console.append((m.text, m.location["url"])) if m.type in {"error", "warning"} else None
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)

    # The start page: what can be reported, and how it is protected.
    page.goto(f"{base}/lapor/")
    sync_api.expect(page.locator("h1")).to_have_text("Lapor secara rahasia")
    fits_the_phone(page)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("^Tekanan terhadap ASN")).click()
    assert page.url == f"{base}/lapor/kirim/?jenis=tekanan"
    fits_the_phone(page)

    # The form, with a photo that still carries the GPS position of the reporter's house.
    page.get_by_label("Apa yang terjadi").fill(f"Kepala bidang menyuruh kami semua hadir di kampanye. {MARKER}")
    page.get_by_label("Siapa pelakunya").fill("Kepala Bidang Pelayanan")
    page.get_by_label("Diwajibkan hadir di kampanye atau pertemuan calon").check()
    page.get_by_label("OPD tempat terlapor bekerja").select_option(label="Dinas Kesehatan")
    page.locator("input[type=file]").set_input_files(
        {"name": "surat.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}
    )
    fits_the_phone(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim laporan").click()

    # The receipt, shown once: copy it, write it down, type it back.
    assert page.url == f"{base}/lapor/tanda-terima/"
    code_box = page.locator("[data-receipt-code]")
    code = code_box.get_attribute("data-receipt-code") or ""
    assert re.fullmatch(r"[A-Z2-7]{6}(-[A-Z2-7]{4}){4}", code), code
    assert code_box.inner_text().replace("\n", "") == code
    fits_the_phone(page)
    page.get_by_role("button", name="Salin kode").click()
    sync_api.expect(page.locator("[data-copy-status]")).to_contain_text("Kode tersalin")
    assert page.evaluate("navigator.clipboard.readText()") == code
    page.get_by_label("Kode tanda terima").fill(code.lower().replace("-", " "))
    with page.expect_navigation():
        page.get_by_role("button", name="Kode sudah saya catat").click()
    assert page.url == f"{base}/lapor/kasus/"
    sync_api.expect(page.locator("[data-stage]")).to_have_text("Diterima")
    assert code not in page.content()
    fits_the_phone(page)
    with page.expect_navigation():
        page.locator("form.leave button").click()
    assert page.url == f"{base}/lapor/?keluar=1"
    sync_api.expect(page.locator(".flash-success")).to_contain_text("Anda sudah keluar")

    # Stored: the photo without its GPS, the report shared with the inspector.
    report = Report.objects.get()
    assert report.kind == "tekanan" and report.opd is not None and report.opd.name == "Dinas Kesehatan"
    access = services.open_as_handler(report.pk, inspector, keyring.key_for_password(inspector, PASSWORD))
    view = services.read_report(report, access.key, internal=True)
    assert MARKER in view.content["facts"]["what"] and view.content["reporter"] is None
    assert view.files[0]["name"] == "surat-1.jpg"
    _meta, data = services.read_attachment(report, access.key, view.files[0]["id"])
    assert b"Exif" not in data

    # The handler verifies and asks a question.
    services.start_verification(access)
    services.post_message(access, "Terima kasih. Kapan surat undangan itu dibagikan?")

    # Days later, with nothing but the code.
    page.goto(f"{base}/lapor/")
    with page.expect_navigation():
        page.get_by_role("button", name="Lihat laporan dengan kode tanda terima").click()
    fits_the_phone(page)
    page.get_by_label("Kode tanda terima").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Buka laporan").click()
    assert page.url == f"{base}/lapor/kasus/"
    sync_api.expect(page.locator("[data-stage]")).to_have_text("Verifikasi")
    sync_api.expect(page.locator(".msg").first).to_contain_text("Kapan surat undangan itu dibagikan?")
    sync_api.expect(page.locator(".msg").first).to_contain_text("Petugas")
    assert inspector.full_name not in page.content()
    fits_the_phone(page)
    answer = f"Dibagikan tanggal 10 Oktober lewat grup WhatsApp kantor. {MARKER}"
    page.get_by_label("Pesan Anda").fill(answer)
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim", exact=True).click()
    sync_api.expect(page.locator(".msg-mine")).to_contain_text("Dibagikan tanggal 10 Oktober")
    fits_the_phone(page)

    last = services.thread(report, access.key, internal=True)[-1]
    assert (last.author, last.body) == (Message.Author.PELAPOR, answer)
    assert Report.objects.get().stage == Stage.VERIFIKASI

    for url in ("/lapor/perlindungan/", "/lapor/statistik/"):
        page.goto(f"{base}{url}")
        fits_the_phone(page)
    assert phone.csp_violations == []
    assert phone.failed_requests == []
    # Nothing but the browser asking for a /favicon.ico that the site does not have.
    assert [entry for entry in console if not entry[1].endswith("/favicon.ico")] == [], console
    assert len(phone.console_errors) == len(console)
