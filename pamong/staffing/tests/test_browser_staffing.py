"""The pre-election staffing season in Chromium, through the pages only.

At a desk, BKPSDM records a vacancy, covers it with a Plt, drafts a proposal with its urgent reasons,
previews the candidates' eligibility (a too-old official is marked and refused, a qualified one is
added) and submits it; the Sekda and the Wali Kota approve it, each in a browser of their own;
BKPSDM records the letter to Kemendagri, downloads it as PDF, records the Minister's approval, the
decree and the report. A visitor then finds the appointment on /transparansi/jabatan/ and verifies
a receipt. With the eselon II quota full, the next eselon II submission is refused on the page,
naming the quota, its use and its holders. On a 360-px phone, the Sekda approves a proposal from
the overview without the page scrolling sideways.

The city lives on 17 October 2024 in the 2024 pre-election period: eselon II ≤ 3, eselon III + IV
≤ 15, the Minister's written approval needed for every structural level.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from pamong.core import ledger
from pamong.core.browser import Phone, log_in, no_horizontal_scroll, sync_api
from pamong.core.models import LedgerEntry
from pamong.core.testing import make_employee, make_user
from pamong.organisation.models import OPD, Employee, Pemda, Position, Role, User
from pamong.staffing import services
from pamong.staffing.models import ActingAssignment, Proposal, ProposalCandidate, ProposalStep, Vacancy
from pamong.staffing.testing import pre_election_period, qualified_official

pytestmark = [pytest.mark.browser]

S = Proposal.Status
DESK: sync_api.ViewportSize = {"width": 1280, "height": 800}
FIELD = "sosial"  # the vacant post's field (rumpun), and the one the qualified official served in
expect = sync_api.expect


@dataclass
class Season:
    bkpsdm: User
    sekda: User
    mayor: User
    post: Position
    plt: Employee
    eligible: Employee
    too_old: Employee
    holders: list[Proposal]
    next_draft: Proposal


def _eselon_ii_draft(post: Position, by: User) -> Proposal:
    vacancy = services.open_vacancy(post, by=by, since=dt.date(2024, 9, 2), reason="mutasi", field="umum")
    return services.draft_proposal(
        vacancy, by=by, urgency=["pa_kpa"], justification="Pengguna Anggaran kosong sejak mutasi."
    )


@pytest.fixture
def season(transactional_db: None, settings: Any, tmp_path: Path) -> Iterator[Season]:
    settings.PAMONG_BUSINESS_DATE = "2024-10-17"
    settings.PAMONG_LEDGER_KEY_FILE = tmp_path / "ledger.pem"
    ledger._load_private_key.cache_clear()
    cache.clear()  # rate-limit counters of the public pages
    pemda = Pemda.objects.create(code="53.71", name="Pemerintah Kota Kupang", short_name="Kota Kupang")
    setda = OPD.objects.create(
        pemda=pemda, code="setda", name="Sekretariat Daerah", abbreviation="Setda", kind="sekretariat"
    )
    social = OPD.objects.create(pemda=pemda, code="dinsos", name="Dinas Sosial", abbreviation="Dinsos", kind="dinas")
    health = OPD.objects.create(pemda=pemda, code="dinkes", name="Dinas Kesehatan", abbreviation="Dinkes", kind="dinas")
    personnel = OPD.objects.create(pemda=pemda, code="bkppd", name="BKPPD", kind="badan")
    bkpsdm = make_user(make_employee(personnel, "Analis Kepegawaian"), roles=((Role.BKPSDM, None),), totp=True)
    sekda = make_user(make_employee(setda, "Sekretaris Daerah"), roles=((Role.SEKDA, None),), totp=True)
    mayor = make_user(username="196805021990031001", roles=((Role.WALI_KOTA, None),), totp=True)
    pre_election_period(bkpsdm, ends_on=dt.date(2025, 2, 20))
    # The post BKPSDM will record as vacant on the page, and the officials around it.
    post = Position.objects.create(opd=social, name="Kepala Dinas Sosial", level="jpt_pratama", grade="II.b")
    assistant = Position.objects.create(
        opd=setda, name="Asisten Pemerintahan dan Kesejahteraan Rakyat", level="jpt_pratama", grade="II.b"
    )
    plt = make_employee(setda, "Yosef Lerik", position=assistant, rank="IV/c")
    secretary = Position.objects.create(
        opd=social, name="Sekretaris Dinas Sosial", level="administrator", grade="III.a"
    )
    eligible = qualified_official(social, "Maria Goreti Bataona", level="jpt_pratama", field=FIELD, position=secretary)
    too_old = qualified_official(
        social, "Petrus Ndoen", level="jpt_pratama", field=FIELD, birth_date=dt.date(1963, 5, 2)
    )
    # Two eselon II places already taken; the flow takes the third; a fourth draft waits.
    holders = []
    for name, opd in (("Kepala Dinas Kesehatan", health), ("Asisten Administrasi Umum", setda)):
        draft = _eselon_ii_draft(Position.objects.create(opd=opd, name=name, level="jpt_pratama", grade="II.b"), bkpsdm)
        holders.append(services.submit_proposal(draft, by=bkpsdm, today=dt.date(2024, 10, 1)))
    next_draft = _eselon_ii_draft(
        Position.objects.create(
            opd=setda, name="Kepala Badan Penanggulangan Bencana Daerah", level="jpt_pratama", grade="II.a"
        ),
        bkpsdm,
    )
    yield Season(
        bkpsdm=bkpsdm,
        sekda=sekda,
        mayor=mayor,
        post=post,
        plt=plt,
        eligible=eligible,
        too_old=too_old,
        holders=holders,
        next_draft=next_draft,
    )
    ledger._load_private_key.cache_clear()


def click(page: sync_api.Page, scope: sync_api.Locator, button: str) -> None:
    with page.expect_navigation():
        scope.get_by_role("button", name=button, exact=True).click()


def flash(page: sync_api.Page) -> sync_api.Locator:
    return page.locator(".flash-success")


def status(page: sync_api.Page) -> sync_api.Locator:
    return page.locator("[data-proposal-status]")


def desk_context(browser: sync_api.Browser) -> tuple[sync_api.BrowserContext, sync_api.Page, list[str]]:
    context = browser.new_context(viewport=DESK, locale="id-ID", accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type in {"error", "warning"} else None)
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    return context, page, problems


def approve(browser: sync_api.Browser, base: str, user: User, proposal_pk: int, group: str, role: str) -> list[str]:
    """The Sekda or the Wali Kota, in a browser of their own: the overview lists the proposal waiting
    for them; they open it, confirm they have read it, and approve."""
    context, page, problems = desk_context(browser)
    log_in(page, base, user, start="/kepegawaian/")
    waiting = page.locator(f"[data-waiting] h3[data-group={group}] + ul")
    with page.expect_navigation():
        waiting.get_by_role("link", name=re.compile(rf"^#{proposal_pk} Kepala Dinas Sosial")).click()
    assert page.url == f"{base}/kepegawaian/usulan/{proposal_pk}/"
    form = page.locator("[data-form=setujui]")
    form.get_by_label("Saya sudah membaca usulan ini", exact=False).check()
    click(page, form, f"Setujui usulan sebagai {role}")
    expect(flash(page)).to_contain_text(f"Usulan #{proposal_pk} disetujui {role}")
    context.close()
    return problems


def test_bkpsdm_runs_a_proposal_from_vacancy_to_public_decree_and_the_full_quota_refuses_the_next(
    live_server: object, season: Season, browser: sync_api.Browser, tmp_path: Path
) -> None:
    base = str(live_server)
    desk, page, problems = desk_context(browser)
    log_in(page, base, season.bkpsdm, start="/kepegawaian/")
    expect(page.locator("[data-quota=eselon_ii] [data-used]")).to_have_text("2")

    # --- the vacancy -------------------------------------------------------------------------------
    page.goto(f"{base}/kepegawaian/lowongan/")
    page.locator("#form-lowongan summary").click()
    form = page.locator("[data-form=lowongan]")
    form.get_by_label("Jabatan struktural yang lowong").select_option(value=str(season.post.pk))
    form.get_by_label("Lowong sejak").fill("2024-09-01")
    form.get_by_label("Sebab", exact=True).select_option("pensiun")
    form.get_by_label("Rumpun jabatan").select_option(FIELD)
    click(page, form, "Catat lowongan")
    expect(flash(page)).to_have_text("Lowongan Kepala Dinas Sosial tercatat.")
    vacancy = Vacancy.objects.get(position=season.post)
    assert page.url == f"{base}/kepegawaian/lowongan/{vacancy.pk}/"
    assert (vacancy.since, vacancy.reason, vacancy.field) == (dt.date(2024, 9, 1), "pensiun", FIELD)
    expect(page.locator("#ringkasan")).to_contain_text("Sosial dan pemberdayaan")
    expect(page.locator("[data-no-acting]")).to_be_visible()

    # --- a Plt from the existing officials -----------------------------------------------------------
    page.locator("[data-form=cari-pejabat] input[name=cari]").fill("Lerik")
    click(page, page.locator("[data-form=cari-pejabat]"), "Cari pejabat")
    form = page.locator("[data-form=plt]")
    form.get_by_label("Pejabat yang ditugaskan").select_option(value=str(season.plt.pk))
    expect(form.get_by_label("Pelaksana Tugas (Plt)")).to_be_checked()
    expect(form.get_by_label("Mulai")).to_have_value("2024-10-17")
    expect(form.get_by_label("Berakhir")).to_have_value("2025-01-16")
    click(page, form, "Tugaskan Plt/Plh")
    expect(flash(page)).to_have_text(
        "Yosef Lerik ditugaskan sebagai Pelaksana Tugas (Plt) Kepala Dinas Sosial sampai 16 Januari 2025."
    )
    expect(page.locator("[data-acting-history]")).to_contain_text("Pelaksana Tugas (Plt): Yosef Lerik")
    expect(page.locator("[data-acting-history]")).to_contain_text("menjabat hari ini")
    assignment = ActingAssignment.objects.get(vacancy=vacancy)
    assert (assignment.employee, assignment.kind, assignment.ends_on) == (season.plt, "plt", dt.date(2025, 1, 16))

    # --- the draft, with its urgent reasons -----------------------------------------------------------
    page.locator("#form-usulan summary").click()
    form = page.locator("[data-form=usulan]")
    form.get_by_label("Pengguna/Kuasa Pengguna Anggaran (PA/KPA) kosong").check()
    form.get_by_label("Layanan kepada masyarakat terhenti").check()
    form.get_by_label("Uraian alasan").fill("Kepala Dinas Sosial pensiun; penyaluran bantuan sosial tahap IV terhenti.")
    click(page, form, "Susun draf usulan")
    proposal = Proposal.objects.get(vacancy=vacancy)
    assert page.url == f"{base}/kepegawaian/usulan/{proposal.pk}/"
    expect(flash(page)).to_contain_text(f"Draf usulan #{proposal.pk} tersusun.")
    expect(status(page)).to_have_text("Draf")
    expect(page.locator("[data-urgency]")).to_contain_text("Layanan kepada masyarakat terhenti")
    expect(page.locator("[data-urgency]")).to_contain_text("Pengguna/Kuasa Pengguna Anggaran (PA/KPA) kosong")
    expect(page.locator("[data-no-candidates]")).to_be_visible()

    def preview(name: str, employee: Employee) -> sync_api.Locator:
        page.locator("[data-form=cari-calon] input[name=cari]").fill(name)
        click(page, page.locator("[data-form=cari-calon]"), "Cari pegawai")
        chooser = page.locator("[data-form=pratinjau]")
        chooser.locator("select[name=pratinjau]").select_option(value=str(employee.pk))
        click(page, chooser, "Periksa syarat")
        return page.locator(f"[data-preview='{employee.pk}']")

    # --- a too-old official: marked, and refused even when the form is forged ------------------------
    old = preview("Ndoen", season.too_old)
    expect(old.locator("[data-verdict]")).to_have_attribute("data-verdict", "tidak-memenuhi")
    age = old.locator("[data-check=age]")
    expect(age).to_have_class("check-fail")
    expect(age).to_contain_text("Tidak memenuhi · Usia paling tinggi 56 tahun")
    expect(age).to_contain_text("61 tahun pada 17 Oktober 2024")
    expect(page.get_by_role("button", name="Tambahkan sebagai calon")).to_have_count(0)

    # --- the qualified official: every requirement in words ------------------------------------------
    card = preview("Bataona", season.eligible)
    expect(card.locator("[data-verdict]")).to_have_text("Memenuhi semua syarat untuk jabatan ini.")
    rows = card.locator("[data-check]")
    expect(rows).to_have_count(8)
    expect(card.locator(".check-pass")).to_have_count(8)
    for code, words in (
        ("status", "Memenuhi · PNS aktif"),
        ("education", "Pendidikan paling rendah S-1/D-IV"),
        ("related_years", "Paling singkat 5 tahun pada jabatan di bidang terkait"),
        ("prior_post", "Sedang atau pernah menjabat Administrator"),
        ("age", "Usia paling tinggi 56 tahun"),
        ("performance", "Predikat kinerja paling rendah Baik dalam 2 tahun terakhir"),
        ("discipline", "Tidak sedang menjalani hukuman disiplin"),
        ("neutrality", "Tidak sedang diperiksa dalam kasus netralitas"),
    ):
        expect(card.locator(f"[data-check={code}]")).to_contain_text(words)
    expect(card.locator("[data-check=age]")).to_contain_text("50 tahun pada 17 Oktober 2024")
    expect(card.locator("[data-check=age]")).to_contain_text("Dasar: PP 11/2017 jo. PP 17/2020 Pasal 107 huruf c")

    # A stale or forged form naming the too-old official: the service refuses it, nothing is added.
    add = page.locator("[data-form=calon]")
    add.locator("input[name=employee]").evaluate("(input, pk) => { input.value = pk; }", str(season.too_old.pk))
    click(page, add, "Tambahkan sebagai calon")
    refusal = page.locator("[data-refusal]")
    expect(refusal).to_contain_text("Ditolak — tidak ada yang diubah.")
    expect(refusal).to_contain_text("Petrus Ndoen belum memenuhi syarat")
    expect(refusal).to_contain_text("Usia paling tinggi 56 tahun — 61 tahun pada 17 Oktober 2024")
    expect(page.locator("[data-no-candidates]")).to_be_visible()
    assert not ProposalCandidate.objects.filter(proposal=proposal).exists()

    card = preview("Bataona", season.eligible)
    click(page, card.locator("[data-form=calon]"), "Tambahkan sebagai calon")
    expect(flash(page)).to_have_text("Maria Goreti Bataona ditambahkan sebagai calon: semua syarat terpenuhi.")
    expect(page.locator(f"[data-candidate='{season.eligible.pk}']")).to_contain_text("memenuhi semua syarat")

    # --- submitted: the third eselon II place --------------------------------------------------------
    click(page, page.locator("[data-form=ajukan]"), "Ajukan usulan")
    expect(flash(page)).to_contain_text(f"Usulan #{proposal.pk} diajukan dan memakai satu tempat kuota")
    expect(status(page)).to_have_text("Diajukan BKPSDM")
    expect(page.locator("[data-quota-group]")).to_contain_text("eselon II · memakai satu tempat")

    # --- the Sekda, then the Wali Kota --------------------------------------------------------------
    problems += approve(browser, base, season.sekda, proposal.pk, S.SUBMITTED, "Sekda")
    problems += approve(browser, base, season.mayor, proposal.pk, S.SEKDA, "Wali Kota")

    # --- the letter to Kemendagri ---------------------------------------------------------------------
    page.reload()
    expect(status(page)).to_have_text("Disetujui Wali Kota")
    form = page.locator("[data-form=kirim]")
    form.get_by_label("Nomor surat usulan ke Kemendagri").fill("800.1.3/415/BKPPD/2024")
    click(page, form, "Catat pengiriman ke Kemendagri")
    expect(flash(page)).to_have_text("Pengiriman surat usulan ke Kemendagri tercatat.")
    expect(status(page)).to_have_text("Dikirim ke Kemendagri")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh surat usulan (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"usulan-{proposal.pk}-kemendagri.pdf"
    letter = tmp_path / "surat.pdf"
    download.save_as(letter)
    reader = PdfReader(io.BytesIO(letter.read_bytes()))
    text = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    for words in ("Kepala Dinas Sosial", "Pasal 71", "800.1.3/415/BKPPD/2024", "Maria Goreti Bataona"):
        assert words in text, words
    assert "Petrus Ndoen" not in text

    # --- Kemendagri's approval, the decree and the report -------------------------------------------
    form = page.locator("[data-form=keputusan]")
    form.get_by_label("Disetujui", exact=True).check()
    form.get_by_label("Nomor surat Kemendagri").fill("100.2.2.6/7123/SJ")
    form.get_by_label("Tanggal surat Kemendagri").fill("2024-10-16")
    click(page, form, "Catat keputusan")
    expect(flash(page)).to_have_text("Persetujuan Kemendagri tercatat; SK pengangkatan kini dapat dicatat.")
    expect(status(page)).to_have_text("Disetujui Kemendagri")
    expect(page.locator("#surat")).to_contain_text("100.2.2.6/7123/SJ · 16 Oktober 2024")

    form = page.locator("[data-form=sk]")
    expect(form.get_by_label("Yang diangkat")).to_have_value(str(season.eligible.pk))
    form.get_by_label("Nomor SK pengangkatan").fill("800.1.3.3/SK/121/2024")
    form.get_by_label("Tanggal SK pengangkatan").fill("2024-10-17")
    click(page, form, "Catat SK pengangkatan")
    expect(flash(page)).to_contain_text("SK pengangkatan tercatat")
    expect(status(page)).to_have_text("SK pengangkatan terbit")
    expect(page.locator("[data-appointee]")).to_have_text("Maria Goreti Bataona")

    form = page.locator("[data-form=laporan]")
    expect(form.get_by_label("Tanggal surat laporan")).to_have_value("2024-10-17")
    form.get_by_label("Nomor surat laporan ke Kemendagri").fill("800.1.3/431/BKPPD/2024")
    click(page, form, "Catat laporan")
    expect(flash(page)).to_have_text("Laporan pengangkatan ke Kemendagri tercatat.")

    # --- the eselon II quota is full: the next submission is refused, named and counted -----------
    page.goto(f"{base}/kepegawaian/usulan/{season.next_draft.pk}/")
    expect(status(page)).to_have_text("Draf")
    click(page, page.locator("[data-form=ajukan]"), "Ajukan usulan")
    refusal = page.locator("[data-refusal]")
    expect(refusal).to_contain_text("Ditolak — tidak ada yang diubah.")
    expect(refusal).to_contain_text(
        "Kuota eselon II periode Masa pra-Pilkada 2024 sudah penuh: 3 dari 3 usulan terpakai"
    )
    expect(refusal).to_contain_text("Arahan Kemendagri kepada Pemda, Juli 2024")
    first, second = season.holders
    expect(refusal).to_contain_text(
        f"Usulan yang memakai kuota: #{first.pk} Kepala Dinas Kesehatan (Dinkes); "
        f"#{second.pk} Asisten Administrasi Umum (Setda); #{proposal.pk} Kepala Dinas Sosial (Dinsos)."
    )
    expect(status(page)).to_have_text("Draf")
    refused = Proposal.objects.get(pk=season.next_draft.pk)
    assert (refused.status, refused.counts_against_quota, refused.steps.count()) == (S.DRAFT, False, 0)
    desk.close()

    # --- a visitor sees the decision and verifies a receipt ------------------------------------------
    visitor, public, public_problems = desk_context(browser)
    public.goto(f"{base}/transparansi/jabatan/")
    card = public.locator(f"[data-proposal='{proposal.pk}']")
    expect(card.locator("[data-status]")).to_have_text("SK pengangkatan terbit")
    expect(card.locator("[data-appointee]")).to_have_text("Maria Goreti Bataona")
    expect(card).to_contain_text("Nomor 800.1.3.3/SK/121/2024, tanggal 17 Oktober 2024")
    expect(public.locator("main")).not_to_contain_text("Petrus Ndoen")
    card.locator("summary").click()
    receipt = card.locator("a.receipt-code").first
    code = receipt.inner_text()
    with public.expect_navigation():
        receipt.click()
    assert public.url == f"{base}/verifikasi/{code}/"
    expect(public.locator(".verdict-pass")).to_contain_text("Terbukti")
    visitor.close()

    # Every step is one ledger entry, taken by the role the page says.
    steps = list(ProposalStep.objects.filter(proposal=proposal).order_by("id"))
    assert [s.to_status for s in steps] == [
        S.SUBMITTED,
        S.SEKDA,
        S.WALI_KOTA,
        S.SENT,
        S.APPROVED,
        S.APPOINTED,
        S.APPOINTED,
    ]
    assert [s.by for s in steps] == [season.bkpsdm, season.sekda, season.mayor] + [season.bkpsdm] * 4
    for step in steps:
        assert LedgerEntry.objects.filter(kind="staffing.proposal_step", subject_id=str(step.pk)).count() == 1
    assert LedgerEntry.objects.filter(kind="staffing.acting", subject_id=str(assignment.pk)).count() == 1
    done = Proposal.objects.get(pk=proposal.pk)
    assert (done.request_letter_number, done.mendagri_letter_number, done.decree_number, done.report_letter_number) == (
        "800.1.3/415/BKPPD/2024",
        "100.2.2.6/7123/SJ",
        "800.1.3.3/SK/121/2024",
        "800.1.3/431/BKPPD/2024",
    )
    assert Vacancy.objects.get(pk=vacancy.pk).filled_on == dt.date(2024, 10, 17)
    assert ledger.verify_ledger().ok
    csp = [text for text in problems + public_problems if "content security policy" in text.lower()]
    assert csp == []


def test_the_sekda_approves_on_a_phone_from_the_overview(live_server: object, season: Season, phone: Phone) -> None:
    base = str(live_server)
    proposal = season.holders[0]
    page = phone.page

    log_in(page, base, season.sekda, start="/kepegawaian/")
    waiting = page.locator(f"[data-waiting] h3[data-group={S.SUBMITTED}]")
    expect(waiting).to_contain_text("Menunggu persetujuan Anda sebagai Sekda")
    expect(waiting.locator(".badge")).to_have_text("2")
    no_horizontal_scroll(page)
    with page.expect_navigation():
        page.locator("[data-waiting]").get_by_role("link", name=f"#{proposal.pk} Kepala Dinas Kesehatan").click()
    expect(status(page)).to_have_text("Diajukan BKPSDM")
    no_horizontal_scroll(page)
    form = page.locator("[data-form=setujui]")
    form.get_by_label("Saya sudah membaca usulan ini", exact=False).check()
    click(page, form, "Setujui usulan sebagai Sekda")
    expect(flash(page)).to_contain_text(f"Usulan #{proposal.pk} disetujui Sekda")
    expect(status(page)).to_have_text("Disetujui Sekda")
    no_horizontal_scroll(page)
    page.goto(f"{base}/kepegawaian/")
    expect(page.locator(f"[data-waiting] h3[data-group={S.SUBMITTED}] .badge")).to_have_text("1")
    no_horizontal_scroll(page)

    [step] = ProposalStep.objects.filter(proposal=proposal, to_status=S.SEKDA)
    assert step.by == season.sekda
    assert LedgerEntry.objects.filter(kind="staffing.proposal_step", subject_id=str(step.pk)).count() == 1
    assert phone.csp_violations == []
    assert phone.failed_requests == []
