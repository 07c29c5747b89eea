"""A pressure report handled to a decision in Chromium: the inspector (at a desk) logs in with password
and TOTP, opens the queue and the case, writes to the reporter, verifies, identifies the reported
employee, examines and recommends; the Wali Kota (on a 360-px phone) decides; the inspector closes.
Every step is one ledger entry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pamong.cases import keyring, services
from pamong.cases.models import Message, Report, Stage, Transition
from pamong.core import ledger
from pamong.core.browser import Phone, log_in, no_horizontal_scroll, sync_api
from pamong.core.models import LedgerEntry
from pamong.core.testing import PASSWORD, make_employee, make_user
from pamong.organisation.identity import format_identity_number
from pamong.organisation.models import OPD, Employee, Pemda, Role, User

pytestmark = [pytest.mark.browser]

DESK: sync_api.ViewportSize = {"width": 1280, "height": 900}


@dataclass
class City:
    inspector: User
    mayor: User
    clerk: Employee
    report: Report


@pytest.fixture
def city(transactional_db: None, settings: Any, tmp_path: Path) -> Iterator[City]:
    settings.PAMONG_BUSINESS_DATE = "2024-10-17"
    settings.PAMONG_LEDGER_KEY_FILE = tmp_path / "ledger.pem"
    ledger._load_private_key.cache_clear()
    pemda = Pemda.objects.create(code="53.71", name="Pemerintah Kota Kupang", short_name="Kota Kupang")
    health = OPD.objects.create(pemda=pemda, code="dinkes", name="Dinas Kesehatan", abbreviation="Dinkes", kind="dinas")
    inspectorate = OPD.objects.create(pemda=pemda, code="inspektorat", name="Inspektorat Daerah", kind="inspektorat")
    inspector = make_user(make_employee(inspectorate, "Yohana Bessie"), roles=((Role.INSPEKTORAT, None),), totp=True)
    mayor = make_user(username="196805021990031001", roles=((Role.WALI_KOTA, None),), totp=True)
    mayor.full_name = "Penjabat Wali Kota"
    mayor.save(update_fields=["full_name"])
    clerk = make_employee(health, "Agustinus Seran")
    for user in (inspector, mayor):
        keyring.key_for_password(user, PASSWORD)  # both have logged in before: the report is wrapped for them
    report = services.submit_report(
        kind="tekanan",
        answers={
            "what": "Kepala bidang meminta saya mengumpulkan fotokopi KTP warga untuk calon nomor 2.",
            "who": "Kepala Bidang Pelayanan",
            "pressure_form": "kumpul_dukungan",
        },
        opd=health,
        contact="Lewat pesan di Pamong saja",
    ).report
    yield City(inspector=inspector, mayor=mayor, clerk=clerk, report=report)
    ledger._load_private_key.cache_clear()


def submit_step(page: sync_api.Page, slug: str, fill: Any = None) -> None:
    step = page.locator(f"[data-step={slug}]")
    if step.evaluate("el => el.tagName") == "DETAILS":
        step.locator("summary").click()
    if fill is not None:
        fill(step)
    with page.expect_navigation():
        step.locator("button[type=submit]").click()


def test_a_pressure_report_runs_from_the_queue_to_a_recorded_decision(
    live_server: object, city: City, browser: sync_api.Browser, phone: Phone
) -> None:
    base = str(live_server)
    report = city.report
    case_url = f"{base}/kasus/{report.pk}/"

    desk = browser.new_context(viewport=DESK, locale="id-ID")
    desk.set_default_timeout(10_000)
    page = desk.new_page()
    desk_errors: list[str] = []
    page.on("console", lambda msg: desk_errors.append(msg.text) if msg.type in {"error", "warning"} else None)

    # The inspector's desk: queue, then the case.
    log_in(page, base, city.inspector, start="/kasus/")
    row = page.locator(f"tr[data-report='{report.number}']")
    sync_api.expect(row).to_contain_text("Tekanan terhadap ASN/PTT")
    sync_api.expect(row).to_contain_text("ditugaskan kepada saya")
    with page.expect_navigation():
        row.get_by_role("link", name=report.number).click()
    assert page.url == case_url
    sync_api.expect(page.locator("#laporan")).to_contain_text("mengumpulkan fotokopi KTP")

    # A message to the reporter.
    page.locator("#id_body").fill("Terima kasih. Laporan Anda kami terima dan sedang diverifikasi.")
    with page.expect_navigation():
        page.locator(".message-form button[type=submit]").click()
    sync_api.expect(page.locator(".flash-success")).to_contain_text("Pesan terkirim")
    sync_api.expect(page.locator("#percakapan")).to_contain_text("sedang diverifikasi")

    submit_step(page, "verifikasi")
    sync_api.expect(page.locator("[data-stage]")).to_have_text("Verifikasi")

    # Who is reported: the NIP as it is printed.
    terlapor = page.locator("#terlapor")
    terlapor.locator("input[name=number]").fill(format_identity_number(city.clerk.identity_number))
    with page.expect_navigation():
        terlapor.locator("button[type=submit]").click()
    sync_api.expect(page.locator("#ringkasan")).to_contain_text("Agustinus Seran")

    submit_step(page, "periksa", lambda step: step.get_by_label("Inspektorat", exact=True).check())
    sync_api.expect(page.locator("[data-stage]")).to_have_text("Pemeriksaan")

    def recommend(step: sync_api.Locator) -> None:
        step.get_by_label("Disiplin (PP 94/2021)", exact=True).check()
        step.locator("select[name=discipline_sanction]").select_option("teguran_tertulis")
        step.locator("textarea[name=note]").fill("Terbukti meminta KTP warga untuk calon.")

    submit_step(page, "rekomendasi", recommend)
    sync_api.expect(page.locator("[data-stage]")).to_have_text("Rekomendasi sanksi")
    assert page.locator("[data-step=putus]").count() == 0  # the decision is not the inspector's

    # The Wali Kota on a phone: the pressure report is at the top of the queue.
    mobile = phone.page
    log_in(mobile, base, city.mayor, start="/kasus/")
    no_horizontal_scroll(mobile)
    sync_api.expect(mobile.locator(".case-queue tbody tr").first).to_have_attribute("data-report", report.number)
    with mobile.expect_navigation():
        mobile.locator(f"tr[data-report='{report.number}']").get_by_role("link", name=report.number).click()
    no_horizontal_scroll(mobile)
    sync_api.expect(mobile.locator("#langkah")).to_contain_text("Teguran tertulis")
    submit_step(mobile, "putus", lambda step: step.get_by_label("Tetapkan sanksi", exact=True).check())
    sync_api.expect(mobile.locator("[data-stage]")).to_have_text("Diputus Wali Kota (PPK)")
    no_horizontal_scroll(mobile)

    # Back at the desk: the decision is carried out and the case closed.
    page.goto(case_url)
    submit_step(page, "tutup", lambda step: step.locator("textarea[name=note]").fill("SK teguran diserahkan."))
    sync_api.expect(page.locator("[data-stage]")).to_have_text("Selesai")

    closed = Report.objects.get(pk=report.pk)
    assert (closed.stage, closed.discipline_sanction, closed.outcome) == (Stage.SELESAI, "teguran_tertulis", "sanksi")
    steps = list(Transition.objects.filter(report=report).order_by("id"))
    assert [t.to_stage for t in steps] == ["diterima", "verifikasi", "pemeriksaan", "rekomendasi", "diputus", "selesai"]
    for transition in steps:
        assert LedgerEntry.objects.filter(kind="cases.transition", subject_id=str(transition.pk)).count() == 1
    assert steps[4].by == city.mayor
    assert Message.objects.filter(report=report, author=Message.Author.PETUGAS).count() == 1
    assert ledger.verify_ledger().ok

    assert phone.csp_violations == []
    assert phone.failed_requests == []
    assert [e for e in desk_errors if "content security policy" in e.lower()] == []
    desk.close()
