"""The reporter's pages under /lapor/, as a frightened PTT or a distrustful citizen uses them: report
without an account, save the receipt, come back with it, read the handlers' messages, answer — and
every bad input answered in Indonesian with nothing half-saved."""

from __future__ import annotations

import re
import shutil
import tempfile
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase, override_settings

from pamong.cases import attachments, keyring, services
from pamong.cases.models import Attachment, Kind, Message, Report, Stage
from pamong.cases.tests.test_attachments import photo_with_gps
from pamong.core.testing import PASSWORD, CastMixin, login

MARKER = "PENANDALAPOR5W9Q"
CODE_IN_PAGE = re.compile(r'data-receipt-code="([A-Z2-7-]+)"')
FROZEN = mock.patch("django_ratelimit.core.time.time", return_value=1_800_000_000.0)


def answers(kind: str) -> dict[str, str]:
    """Form data with every required fact of a kind filled in."""
    data = {
        "jenis": kind,
        "what": f"Kepala bidang meminta kami semua mendukung calon nomor 1 {MARKER}",
        "who": "Kepala Bidang Pelayanan",
        "when": "2024-10-10",
        "where": "Ruang rapat lantai 2",
    }
    if kind == Kind.TEKANAN:
        data["pressure_form"] = "ajakan_dukung"
    elif kind == Kind.NETRALITAS:
        data |= {"act": "alat_peraga", "candidate": "Pasangan calon nomor 1"}
    elif kind == Kind.CALO:
        data |= {
            "selection": "cpns",
            "promise": "Pasti lulus CPNS",
            "contact_method": "telepon",
            "amount": "50.000.000",
        }
    return data


def photo(name: str = "foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_with_gps(), content_type="image/jpeg")


class ReporterTestCase(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        # The inspector logs in once before any report arrives, so intake can share reports with him.
        keyring.key_for_password(cls.inspector, PASSWORD)

    def setUp(self) -> None:
        self.files_dir = Path(tempfile.mkdtemp(prefix="pamong-lapor-"))
        self.addCleanup(shutil.rmtree, self.files_dir, ignore_errors=True)
        self.enterContext(override_settings(PAMONG_CASE_FILES=self.files_dir))
        self.anonymous = Client()

    # --- helpers ---

    def stored_files(self) -> list[Path]:
        return list(self.files_dir.iterdir()) if self.files_dir.exists() else []

    def assert_nothing_saved(self) -> None:
        self.assertEqual(Report.objects.count(), 0)
        self.assertEqual(Attachment.objects.count(), 0)
        self.assertEqual(self.stored_files(), [])

    def handler(self, report: Report) -> services.HandlerAccess:
        return services.open_as_handler(report.pk, self.inspector, keyring.key_for_password(self.inspector, PASSWORD))

    def report_through_the_form(self, client: Client, kind: str = Kind.TEKANAN, **extra: Any) -> tuple[Report, str]:
        response = client.post("/lapor/kirim/", {**answers(kind), **extra})
        self.assertRedirects(response, "/lapor/tanda-terima/", fetch_redirect_response=False)
        page = client.get("/lapor/tanda-terima/").content.decode()
        match = CODE_IN_PAGE.search(page)
        assert match is not None, page
        return Report.objects.get(), match.group(1)

    def open_with(self, client: Client, code: str) -> Any:
        return client.post("/lapor/lihat/", {"kode": code})


class PageTests(ReporterTestCase):
    def test_every_page_renders_for_an_anonymous_visitor(self) -> None:
        pages = {
            "/lapor/": "Apa yang ingin Anda laporkan?",
            "/lapor/tanda-terima/": "Tidak ada kode untuk ditampilkan",
            "/lapor/lihat/": "Lihat laporan Anda",
            "/lapor/perlindungan/": "Yang tidak dapat kami lindungi",
            "/lapor/statistik/": "Statistik laporan rahasia",
        }
        for kind in Kind:
            pages[f"/lapor/kirim/?jenis={kind.value}"] = str(kind.label)
        for url, text in pages.items():
            response = self.anonymous.get(url)
            self.assertContains(response, text, msg_prefix=url)
            page = response.content.decode()
            # The strict CSP forbids inline code and styles: none is written.
            self.assertNotIn(" style=", page, url)
            self.assertIsNone(re.search(r"<script(?![^>]*\bsrc=)", page), url)
        self.assertRedirects(self.anonymous.get("/lapor/kasus/"), "/lapor/lihat/")

    def test_the_start_page_offers_the_four_kinds_protection_and_follow_up(self) -> None:
        response = self.anonymous.get("/lapor/")
        for kind in Kind:
            self.assertContains(response, f'href="/lapor/kirim/?jenis={kind.value}"')
        self.assertContains(response, 'href="/lapor/perlindungan/"')
        self.assertContains(response, 'href="/lapor/lihat/"')

    def test_the_protection_page_is_honest_and_links_the_official_channels(self) -> None:
        with override_settings(PAMONG_CASE_RETENTION_DAYS=365):
            response = self.anonymous.get("/lapor/perlindungan/")
        self.assertContains(response, "365 hari setelah laporan ditutup")
        self.assertContains(response, 'href="https://sbt.bkn.go.id"')
        self.assertContains(response, 'href="https://www.lapor.go.id"')
        self.assertContains(response, "Bawaslu Kota Kupang")
        self.assertContains(response, "dapat mengetahui bahwa Anda membuka halaman ini")
        # Plain links only: nothing is loaded from another site.
        self.assertNotIn('src="http', response.content.decode())

    def test_an_unknown_kind_goes_back_to_the_choice(self) -> None:
        for url in ("/lapor/kirim/", "/lapor/kirim/?jenis=gosip"):
            self.assertContains(self.anonymous.get(url), "Pilih dulu jenis laporan")
        self.assertContains(self.anonymous.post("/lapor/kirim/", {"jenis": "x", "what": "a"}), "Pilih dulu jenis")
        self.assertEqual(Report.objects.count(), 0)

    def test_the_reporting_paths_forget_the_visitor_and_are_never_cached(self) -> None:
        for url in ("/lapor/", "/lapor/kirim/?jenis=tekanan", "/lapor/lihat/", "/lapor/statistik/"):
            response = self.anonymous.get(url)
            self.assertEqual(response["Cache-Control"], "no-store", url)
            self.assertEqual(response["Referrer-Policy"], "same-origin", url)  # see the middleware
            csp = response["Content-Security-Policy"]
            self.assertIn("default-src 'self'", csp)
            self.assertNotIn("unsafe-inline", csp)

    def test_the_statistics_suppress_small_cells(self) -> None:
        today = services.business_today()
        for kind, count in ((Kind.TEKANAN, 6), (Kind.CALO, 2)):
            for _ in range(count):
                Report.objects.create(kind=kind, received_on=today, stage_since=today)
        response = self.anonymous.get("/lapor/statistik/")
        self.assertContains(response, "<dd data-total>8</dd>", html=False)
        page = response.content.decode()
        self.assertIn("&lt;5", page)  # the two broker reports
        self.assertIn("≥5", page)  # and the six, so the two cannot be worked out from the total
        self.assertIn("Angka di bawah 5 ditampilkan", page)


class IntakeTests(ReporterTestCase):
    REQUIRED = {
        Kind.TEKANAN: ["Apa yang terjadi wajib diisi.", "Siapa pelakunya wajib diisi.", "Bentuk tekanan wajib diisi."],
        Kind.NETRALITAS: [
            "Perbuatan yang dilaporkan wajib diisi.",
            "Calon atau partai yang terkait wajib diisi.",
        ],
        Kind.CALO: [
            "Seleksi yang dijanjikan wajib diisi.",
            "Apa yang dijanjikan wajib diisi.",
            "Cara pelaku menghubungi wajib diisi.",
        ],
        Kind.INTEGRITAS: ["Apa yang terjadi wajib diisi."],
    }

    def test_missing_facts_are_named_in_indonesian_and_nothing_is_saved(self) -> None:
        for kind, messages in self.REQUIRED.items():
            response = self.anonymous.post("/lapor/kirim/", {"jenis": kind, "files": [photo()]})
            self.assertEqual(response.status_code, 200)
            for message in messages:
                self.assertContains(response, message, msg_prefix=kind)
            self.assertContains(response, "Laporan belum terkirim")
            self.assertContains(response, "Berkas yang tadi Anda pilih belum tersimpan")
            self.assertNotIn("pamong_lapor", response.cookies)
        self.assert_nothing_saved()

    def test_what_was_typed_stays_in_the_form_after_an_error(self) -> None:
        data = answers(Kind.CALO) | {"promise": "", "where": "Kantor camat"}
        response = self.anonymous.post("/lapor/kirim/", data)
        self.assertContains(response, "Apa yang dijanjikan wajib diisi.")
        self.assertContains(response, MARKER)
        self.assertContains(response, 'value="Kantor camat"')

    def test_script_in_the_text_is_refused_with_a_clear_message(self) -> None:
        data = answers(Kind.TEKANAN) | {"what": "<script>alert(1)</script>", "contact": "<b>0812</b>"}
        response = self.anonymous.post("/lapor/kirim/", data)
        self.assertContains(response, "Apa yang terjadi tidak boleh berisi kode HTML atau skrip")
        self.assertContains(response, "Cara menghubungi Anda tidak boleh berisi kode HTML atau skrip")
        self.assertNotIn("<script>alert(1)", response.content.decode())
        self.assert_nothing_saved()

    def test_a_future_date_and_a_wrong_amount_are_explained(self) -> None:
        data = answers(Kind.CALO) | {"when": "2999-01-01", "amount": "lima juta"}
        response = self.anonymous.post("/lapor/kirim/", data)
        self.assertContains(response, "Tanggal kejadian tidak boleh sesudah hari ini.")
        self.assertContains(response, "Tulis jumlah uang dengan angka saja")
        self.assert_nothing_saved()

    def test_a_disguised_file_is_refused_and_nothing_is_saved(self) -> None:
        fake = SimpleUploadedFile("bukti.jpg", b"ini sebenarnya teks biasa, bukan foto", content_type="image/jpeg")
        response = self.anonymous.post("/lapor/kirim/", answers(Kind.TEKANAN) | {"files": [photo(), fake]})
        self.assertContains(response, "bukti.jpg: Jenis berkas tidak diterima.")
        self.assert_nothing_saved()

    def test_an_oversized_file_is_refused_and_nothing_is_saved(self) -> None:
        big = SimpleUploadedFile("besar.jpg", b"\xff\xd8\xff" + b"\0" * attachments.MAX_BYTES)
        response = self.anonymous.post("/lapor/kirim/", answers(Kind.TEKANAN) | {"files": [big]})
        self.assertContains(response, "besar.jpg: Berkas terlalu besar: paling besar 10 MB.")
        self.assert_nothing_saved()

    def test_more_files_than_allowed_are_refused(self) -> None:
        files = [photo(f"foto-{i}.jpg") for i in range(services.MAX_FILES + 1)]
        response = self.anonymous.post("/lapor/kirim/", answers(Kind.TEKANAN) | {"files": files})
        self.assertContains(response, f"Paling banyak {services.MAX_FILES} berkas sekali kirim.")
        self.assert_nothing_saved()

    def test_a_report_of_each_kind_is_accepted_with_several_files(self) -> None:
        for kind in Kind:
            client = Client()
            response = client.post("/lapor/kirim/", answers(kind) | {"files": [photo("a.jpg"), photo("b.jpg")]})
            self.assertRedirects(response, "/lapor/tanda-terima/", fetch_redirect_response=False)
            report = Report.objects.get(kind=kind)
            self.assertEqual(report.attachments.count(), 2)
            view = services.read_report(report, self.handler(report).key, internal=True)
            self.assertIn(MARKER, view.content["facts"]["what"])
            self.assertIsNone(view.content["reporter"])
        self.assertEqual(len(self.stored_files()), 8)
        calo = Report.objects.get(kind=Kind.CALO)
        self.assertEqual(
            services.read_report(calo, self.handler(calo).key, internal=True).content["facts"]["amount"], 50_000_000
        )

    def test_the_opd_and_nip_of_the_reported_person_are_kept(self) -> None:
        number = self.clerk.employee.identity_number
        report, _code = self.report_through_the_form(
            self.anonymous, opd=str(self.health.pk), reported_number=number, contact="0812 3456 7890"
        )
        self.assertEqual(report.opd, self.health)
        self.assertEqual(report.reported_employee, self.clerk.employee)
        content = services.read_report(report, self.handler(report).key, internal=True).content
        self.assertEqual((content["reported_number"], content["contact"]), (number, "0812 3456 7890"))

    def test_a_pressure_report_can_be_kept_from_the_mayor(self) -> None:
        keyring.key_for_password(self.mayor, PASSWORD)
        self.anonymous.post("/lapor/kirim/", answers(Kind.TEKANAN))
        shared = Report.objects.get()
        self.assertTrue(shared.assignments.filter(user=self.mayor).exists())
        Client().post("/lapor/kirim/", answers(Kind.TEKANAN) | {"keep_from_mayor": "on"})
        kept = Report.objects.exclude(pk=shared.pk).get()
        self.assertFalse(kept.assignments.filter(user=self.mayor).exists())
        self.assertTrue(kept.assignments.filter(user=self.inspector).exists())

    def test_a_logged_in_employee_reports_without_a_name_by_default(self) -> None:
        clerk = login(Client(), self.clerk)
        form = clerk.get("/lapor/kirim/?jenis=tekanan")
        self.assertContains(form, "Kirim tanpa nama")
        self.assertRegex(form.content.decode(), r'value="tanpa_nama"[^>]* checked')
        self.assertNotContains(self.anonymous.get("/lapor/kirim/?jenis=tekanan"), "Kirim dengan nama saya")
        report, _code = self.report_through_the_form(clerk)
        content = services.read_report(report, self.handler(report).key, internal=True).content
        self.assertIsNone(content["reporter"])
        self.assertNotIn(self.clerk.full_name, str(content))

    def test_a_logged_in_employee_may_report_under_their_name(self) -> None:
        clerk = login(Client(), self.clerk)
        report, _code = self.report_through_the_form(clerk, identity="dengan_nama")
        content = services.read_report(report, self.handler(report).key, internal=True).content
        self.assertEqual(content["reporter"]["name"], self.clerk.full_name)
        self.assertEqual(content["reporter"]["number"], self.clerk.employee.identity_number)
        # In the sealed content only: no column of the report names them.
        self.assertNotIn(self.clerk.full_name.encode(), bytes(report.content))

    def test_an_anonymous_visitor_cannot_claim_a_name(self) -> None:
        report, _code = self.report_through_the_form(self.anonymous, identity="dengan_nama")
        self.assertIsNone(services.read_report(report, self.handler(report).key, internal=True).content["reporter"])

    @FROZEN
    def test_intake_is_rate_limited_for_everyone_together(self, _clock: mock.Mock) -> None:
        with override_settings(PAMONG_REPORT_RATE="3/m"):
            for _ in range(3):
                self.assertEqual(self.anonymous.post("/lapor/kirim/", {"jenis": "tekanan"}).status_code, 200)
            response = self.anonymous.post("/lapor/kirim/", answers(Kind.TEKANAN))
            self.assertContains(response, "Terlalu banyak laporan masuk", status_code=429)
            self.assertContains(response, MARKER, status_code=429)  # what they typed is still there
            # Another visitor from another address is counted with everyone else.
            other = Client(REMOTE_ADDR="10.9.8.7")
            self.assertEqual(other.post("/lapor/kirim/", answers(Kind.TEKANAN)).status_code, 429)
            self.assertEqual(other.get("/lapor/kirim/?jenis=tekanan").status_code, 200)  # reading stays open
        self.assert_nothing_saved()


class ReceiptTests(ReporterTestCase):
    def test_the_receipt_is_shown_once_and_never_again_after_confirmation(self) -> None:
        response = self.anonymous.post("/lapor/kirim/", answers(Kind.TEKANAN) | {"files": [photo()]})
        self.assertEqual(response["Location"], "/lapor/tanda-terima/")  # nothing identifying in the address
        cookie = response.cookies[keyring.REPORTER_COOKIE]
        self.assertEqual(cookie["path"], "/lapor/")
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Strict")
        report = Report.objects.get()
        self.assertEqual(report.attachments.count(), 1)
        self.assertEqual(len(self.stored_files()), 1)

        page = self.anonymous.get("/lapor/tanda-terima/")
        code = CODE_IN_PAGE.search(page.content.decode()).group(1)  # type: ignore[union-attr]
        self.assertRegex(code, r"^[A-Z2-7]{6}(-[A-Z2-7]{4}){4}$")
        self.assertContains(page, "Petugas Pemerintah Kota tidak akan pernah menanyakan kode ini")
        self.assertContains(page, "data-copy-receipt")
        self.assertNotIn(code, str(report.pk))
        # Before the code is confirmed, the case waits.
        self.assertRedirects(self.anonymous.get("/lapor/kasus/"), "/lapor/tanda-terima/")

        wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
        response = self.anonymous.post("/lapor/tanda-terima/", {"kode": wrong})
        self.assertContains(response, "tidak sama dengan kode di atas")
        self.assertContains(response, f'data-receipt-code="{code}"')  # still visible to copy again

        typed = code.lower().replace("-", " ")
        response = self.anonymous.post("/lapor/tanda-terima/", {"kode": typed})
        self.assertRedirects(response, "/lapor/kasus/", fetch_redirect_response=False)
        for url in ("/lapor/tanda-terima/", "/lapor/kasus/", "/lapor/tanda-terima/"):
            page = self.anonymous.get(url)
            self.assertEqual(page.status_code, 200, url)
            self.assertNotIn(code, page.content.decode(), url)
            self.assertNotIn(code.replace("-", ""), page.content.decode(), url)
        self.assertContains(self.anonymous.get("/lapor/tanda-terima/"), "kode tidak ditampilkan lagi")
        # The cookie itself no longer carries the code.
        visit = keyring.reporter_visit(self._request_with(self.anonymous.cookies))
        assert visit is not None
        self.assertIsNone(visit.unconfirmed_code)
        self.assertEqual(visit.report_id, str(report.pk))

    def _request_with(self, cookies: SimpleCookie) -> Any:
        request = mock.Mock()
        request.COOKIES = {name: morsel.value for name, morsel in cookies.items()}
        return request

    def test_another_browser_never_sees_the_code(self) -> None:
        self.report_through_the_form(Client())
        self.assertContains(self.anonymous.get("/lapor/tanda-terima/"), "Tidak ada kode untuk ditampilkan")

    def test_leaving_forgets_the_report_in_this_browser(self) -> None:
        _report, code = self.report_through_the_form(self.anonymous)
        self.anonymous.post("/lapor/tanda-terima/", {"kode": code})
        self.assertEqual(self.anonymous.get("/lapor/kasus/").status_code, 200)
        self.assertEqual(self.anonymous.get("/lapor/keluar/").status_code, 405)
        response = self.anonymous.post("/lapor/keluar/")
        self.assertRedirects(response, "/lapor/?keluar=1", fetch_redirect_response=False)
        self.assertEqual(response.cookies[keyring.REPORTER_COOKIE].value, "")
        self.assertContains(self.anonymous.get("/lapor/?keluar=1"), "Anda sudah keluar")
        self.assertRedirects(self.anonymous.get("/lapor/kasus/"), "/lapor/lihat/")


class FollowUpTests(ReporterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.submitted = services.submit_report(
            kind=Kind.TEKANAN,
            answers={"what": f"Saya ditekan {MARKER}", "who": "Kabid", "pressure_form": "ancaman_kontrak"},
            files=[("foto.jpg", photo_with_gps())],
        )
        self.report = self.submitted.report

    def come_back(self, client: Client | None = None) -> Client:
        client = client or self.anonymous
        response = self.open_with(client, self.submitted.receipt)
        self.assertRedirects(response, "/lapor/kasus/", fetch_redirect_response=False)
        self.assertNotIn(self.submitted.receipt, response["Location"])
        return client

    def test_with_the_receipt_the_reporter_sees_the_stage_and_the_handlers_message(self) -> None:
        access = self.handler(self.report)
        services.start_verification(access)
        services.post_message(access, "Mohon kirim foto surat edarannya.")
        services.post_message(access, "CATATANINTERNAL: cek ke BKPSDM", internal=True)
        client = self.come_back()
        page = client.get("/lapor/kasus/")
        self.assertContains(page, self.report.number)
        self.assertContains(page, "Tekanan terhadap ASN/PTT")
        self.assertContains(page, "<strong data-stage>Verifikasi</strong>", html=False)
        self.assertContains(page, "Petugas memeriksa apakah laporan cukup jelas")
        self.assertContains(page, "Mohon kirim foto surat edarannya.")
        self.assertContains(page, "<strong>Petugas</strong>", html=False)
        self.assertContains(page, MARKER)  # what they reported
        self.assertContains(page, "Diancam kontrak tidak diperpanjang (PTT/PPPK)")
        body = page.content.decode()
        self.assertNotIn("CATATANINTERNAL", body)
        self.assertNotIn(self.inspector.full_name, body)
        self.assertNotIn(self.submitted.receipt, body)
        self.assertNotIn(str(self.report.pk), body)

    def test_the_reporter_reads_dates_and_amounts_the_indonesian_way(self) -> None:
        broker = services.submit_report(
            kind=Kind.CALO,
            answers={
                "what": "Dijanjikan lulus PPPK",
                "who": "Perantara",
                "when": "2024-10-10",
                "selection": "pppk",
                "promise": "Lulus tanpa tes",
                "amount": "75000000",
                "contact_method": "pesan",
            },
        )
        self.submitted = broker
        page = self.come_back().get("/lapor/kasus/")
        self.assertContains(page, "10 Oktober 2024")
        self.assertContains(page, "Rp 75.000.000")
        self.assertNotContains(page, "2024-10-10")

    def test_the_reporter_replies_with_a_file_and_the_handler_reads_it(self) -> None:
        client = self.come_back()
        response = client.post("/lapor/kasus/balas/", {"body": f"Ini fotonya {MARKER}", "files": [photo("surat.jpg")]})
        self.assertRedirects(response, "/lapor/kasus/#pesan", fetch_redirect_response=False)
        access = self.handler(self.report)
        last = services.thread(self.report, access.key, internal=True)[-1]
        self.assertEqual((last.author, last.body), (Message.Author.PELAPOR, f"Ini fotonya {MARKER}"))
        self.assertEqual(len(last.attachments), 1)
        page = client.get("/lapor/kasus/")
        self.assertContains(page, f"Ini fotonya {MARKER}")
        link = f"/lapor/kasus/berkas/{last.attachments[0]['id']}/"
        self.assertContains(page, f'href="{link}"')
        download = client.get(link)
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download["Content-Type"], "image/jpeg")
        self.assertTrue(download["Content-Disposition"].startswith("attachment; filename="))
        self.assertEqual(download["X-Content-Type-Options"], "nosniff")
        self.assertNotIn(b"Exif", download.content)

    def test_an_empty_or_scripted_reply_is_refused(self) -> None:
        client = self.come_back()
        self.assertContains(client.post("/lapor/kasus/balas/", {"body": "  "}), "Tulis pesan atau lampirkan berkas.")
        response = client.post("/lapor/kasus/balas/", {"body": "<img src=x onerror=alert(1)>"})
        self.assertContains(response, "Pesan tidak boleh berisi kode HTML atau skrip")
        fake = SimpleUploadedFile("x.pdf", b"bukan pdf")
        self.assertContains(client.post("/lapor/kasus/balas/", {"body": "a", "files": [fake]}), "x.pdf: Jenis berkas")
        self.assertEqual(self.report.messages.count(), 0)
        self.assertEqual(len(self.stored_files()), 1)  # the report's own photo only

    def test_files_of_internal_notes_and_other_reports_stay_hidden(self) -> None:
        access = self.handler(self.report)
        services.post_message(access, "Untuk pelapor", files=[("lampiran.jpg", photo_with_gps())])
        services.post_message(access, "Catatan", internal=True, files=[("internal.jpg", photo_with_gps())])
        other = services.submit_report(
            kind=Kind.INTEGRITAS, answers={"what": "Pungli"}, files=[("x.jpg", photo_with_gps())]
        )
        public = Attachment.objects.get(message__author=Message.Author.PETUGAS)
        internal = Attachment.objects.get(message__author=Message.Author.CATATAN)
        own = Attachment.objects.get(report=self.report, message__isnull=True)
        client = self.come_back()
        self.assertEqual(client.get(f"/lapor/kasus/berkas/{own.pk}/").status_code, 200)
        self.assertEqual(client.get(f"/lapor/kasus/berkas/{public.pk}/").status_code, 200)
        self.assertEqual(client.get(f"/lapor/kasus/berkas/{internal.pk}/").status_code, 404)
        self.assertEqual(client.get(f"/lapor/kasus/berkas/{other.report.attachments.get().pk}/").status_code, 404)
        self.assertNotContains(client.get("/lapor/kasus/"), "internal")
        # Without the cookie, no file at all.
        self.assertRedirects(Client().get(f"/lapor/kasus/berkas/{own.pk}/"), "/lapor/lihat/")

    def test_wrong_receipts_are_refused_slowed_and_then_locked(self) -> None:
        self.assertContains(self.open_with(self.anonymous, "bukan kode"), "terdiri dari 22 huruf")
        code = self.submitted.receipt
        wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
        for _ in range(services.RECEIPT_SLOW_AFTER):
            self.assertContains(self.open_with(self.anonymous, wrong), "Kode tanda terima tidak dikenali")
        self.assertContains(self.open_with(self.anonymous, code), "Terlalu banyak kode salah. Tunggu")
        Report.objects.filter(pk=self.report.pk).update(
            receipt_failures=services.RECEIPT_REFUSE_AFTER - 1, receipt_locked_until=None
        )
        self.open_with(self.anonymous, wrong)
        response = self.open_with(self.anonymous, code)  # even the right code, for a day
        self.assertContains(response, "coba lagi besok")
        self.assertNotIn(keyring.REPORTER_COOKIE, response.cookies)
        self.assertRedirects(self.anonymous.get("/lapor/kasus/"), "/lapor/lihat/")

    @FROZEN
    def test_receipt_checks_are_rate_limited_for_everyone_together(self, _clock: mock.Mock) -> None:
        with override_settings(PAMONG_RECEIPT_RATE="2/m"):
            for _ in range(2):
                self.assertEqual(self.open_with(self.anonymous, "salah").status_code, 200)
            response = self.open_with(Client(REMOTE_ADDR="10.1.2.3"), self.submitted.receipt)
            self.assertContains(response, "Terlalu banyak yang membuka laporan", status_code=429)
            self.assertNotIn(keyring.REPORTER_COOKIE, response.cookies)

    @FROZEN
    def test_replies_share_the_intakes_limit_for_everyone_together(self, _clock: mock.Mock) -> None:
        client = self.come_back()
        with override_settings(PAMONG_REPORT_RATE="2/m"):
            for number in range(2):
                self.assertEqual(client.post("/lapor/kasus/balas/", {"body": f"Balasan {number}"}).status_code, 302)
            response = client.post("/lapor/kasus/balas/", {"body": "Balasan ketiga"})
        self.assertEqual(response.status_code, 429)
        self.assertEqual(self.report.messages.count(), 2)

    def test_a_rejected_report_shows_the_reason(self) -> None:
        services.reject(self.handler(self.report), reason="Kejadian ini sudah ditangani Bawaslu.")
        page = self.come_back().get("/lapor/kasus/")
        self.assertContains(page, "<strong data-stage>Ditolak</strong>", html=False)
        self.assertContains(page, "Kejadian ini sudah ditangani Bawaslu.")
        self.assertContains(page, "Isi laporan ini akan dimusnahkan pada")

    def test_a_report_closed_as_not_proven_shows_the_reason_but_no_working_notes(self) -> None:
        access = self.handler(self.report)
        services.start_verification(access)
        services.begin_examination(access, "inspektorat", note="CATATANLANGKAH periksa absensi")
        services.close(access, note="Saksi tidak membenarkan kejadian itu.")
        page = self.come_back().get("/lapor/kasus/")
        self.assertContains(page, "<strong data-stage>Selesai</strong>", html=False)
        self.assertContains(page, "Hasil: Tidak terbukti.")
        self.assertContains(page, "Saksi tidak membenarkan kejadian itu.")
        self.assertNotContains(page, "CATATANLANGKAH")
        for label in ("Diterima", "Verifikasi", "Pemeriksaan"):
            self.assertContains(page, label)

    def test_a_purged_report_says_its_content_was_destroyed(self) -> None:
        client = self.come_back()
        services.purge(self.report)
        response = client.get("/lapor/kasus/")
        self.assertContains(response, "isinya dimusnahkan")
        self.assertEqual(response.cookies[keyring.REPORTER_COOKIE].value, "")
        self.assertContains(self.open_with(Client(), self.submitted.receipt), "tidak dikenali")

    def test_a_forged_cookie_opens_nothing(self) -> None:
        self.anonymous.cookies[keyring.REPORTER_COOKIE] = "bukan-kue"
        self.assertRedirects(self.anonymous.get("/lapor/kasus/"), "/lapor/lihat/")
        self.anonymous.cookies[keyring.REPORTER_COOKIE] = keyring.reporter_cookie(
            keyring.ReporterVisit(str(self.report.pk), b"\0" * 32)
        )
        self.assertRedirects(self.anonymous.get("/lapor/kasus/"), "/lapor/lihat/")
        self.assertEqual(self.report.stage, Stage.DITERIMA)
