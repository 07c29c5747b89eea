"""The declaration's documents, opened and read back: certificate PDF, berita acara PDF and Excel,
and who may download which."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock
from zoneinfo import ZoneInfo

import openpyxl
import pypdf
from django.conf import settings
from django.shortcuts import resolve_url
from django.template import Context, Template
from django.test import RequestFactory, TestCase, override_settings

from pamong.core import ledger
from pamong.core.testing import CastMixin
from pamong.neutrality import documents, services
from pamong.neutrality.models import Campaign, Signature
from pamong.organisation.identity import mask_identity_number
from pamong.organisation.models import OPD, User

WITA = ZoneInfo("Asia/Makassar")
TEXT = (
    "DEKLARASI NETRALITAS\n\nKami menyatakan:\n1. Bersikap netral.\n"
    "2. Tidak terlibat politik praktis & tidak memakai fasilitas negara."
)
DRAWING = "M 10 10 L 40 60 L 80 20 Q 100 0 120 40 C 130 60 150 60 170 30"


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def table(sheet) -> tuple[list[str], list[tuple]]:
    """The column headings and the rows under them (the header block sits above)."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "No.")
    return list(rows[start]), [row for row in rows[start + 1 :] if row[0] is not None]


class DocumentCase(CastMixin, TestCase):
    campaign: Campaign
    signed: dict[str, Signature]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        cls.campaign = services.create_campaign(
            by=cls.bkpsdm,
            slug="netralitas-2024",
            title="Deklarasi Komitmen Netralitas ASN dan PTT — Pilkada 2024",
            text=TEXT,
            legal_basis="1. UU 20/2023 tentang ASN;\n2. PP 94/2021.",
            opens_on=dt.date(2024, 10, 17),
            closes_on=dt.date(2024, 10, 31),
            election_date=dt.date(2024, 11, 27),
            eligible_kinds=["pns", "pppk", "ptt"],
            witness_bodies=["Bawaslu Kota Kupang"],
        )
        # The cast's mayor has no employee record; give the account a name, as the demo does.
        cls.mayor.full_name = "Dr. Wali Kota Uji, M.Si."
        cls.mayor.save(update_fields=["full_name"])
        cls.witness.full_name = "Yohana Saksi Bawaslu"
        cls.witness.save(update_fields=["full_name"])
        cls.signed = {}
        moments = {
            "mayor": (7, 5),
            "clerk": (7, 12),
            "ptt": (7, 15),
            "health_head": (7, 20),
            "school_operator": (7, 31),
            "witness": (9, 30),
        }
        with override_settings(PAMONG_BUSINESS_DATE="2024-10-17"):
            for name, (hour, minute) in moments.items():
                user = getattr(cls, name)
                moment = dt.datetime(2024, 10, 17, hour, minute, 30, tzinfo=WITA)
                with mock.patch("django.utils.timezone.now", return_value=moment):
                    signature, _created = services.sign_declaration(
                        cls.campaign,
                        by=user,
                        text_sha256=cls.campaign.text_sha256,
                        drawing=DRAWING if name == "clerk" else "",
                    )
                cls.signed[name] = signature


class CertificateTests(DocumentCase):
    def test_it_names_the_signer_with_a_masked_number_and_the_time_in_wita(self) -> None:
        signature = self.signed["clerk"]
        data = documents.certificate_pdf(signature, base_url="https://pamong.example.go.id")
        pages = pdf_text(data)
        self.assertEqual(len(pages), 1)
        text = pages[0]
        self.assertIn("SERTIFIKAT PENANDATANGANAN", text)
        self.assertIn("Deklarasi Komitmen Netralitas ASN dan PTT", text)
        self.assertIn("Pemerintah Kota Kupang".upper(), text)
        self.assertIn(self.campaign.title, text)
        self.assertIn("Pelaksana Dinkes", text)
        self.assertIn(mask_identity_number(signature.identity_number), text)
        self.assertNotIn(signature.identity_number, text.replace(" ", ""))
        self.assertIn("Dinas Kesehatan", text)
        self.assertIn("17 Oktober 2024, 07.12 WITA", text)
        self.assertIn(ledger.format_receipt_code(signature.receipt_code), text)
        self.assertIn(f"SHA-256 {self.campaign.text_sha256[:16]}", text)
        self.assertIn("tidak memakai fasilitas negara", text)
        self.assertIn("UU 20/2023", text)
        self.assertIn(
            f"https://pamong.example.go.id/verifikasi/{ledger.format_receipt_code(signature.receipt_code)}/", text
        )

    def test_a_witness_certificate_says_for_which_body(self) -> None:
        text = pdf_text(documents.certificate_pdf(self.signed["witness"], base_url="http://testserver"))[0]
        self.assertIn("Saksi — Bawaslu Kota Kupang", text)
        self.assertIn("09.30 WITA", text)

    def test_an_unreadable_drawing_is_left_out_rather_than_failing(self) -> None:
        signature = self.signed["ptt"]
        signature.drawing = "M 1 2 L"  # cut short
        self.assertTrue(pdf_text(documents.certificate_pdf(signature, base_url="http://testserver"))[0])
        self.assertIsNone(documents.drawing_flowable("M 1 2 L", 100, 40))
        self.assertIsNone(documents.drawing_flowable("", 100, 40))
        self.assertIsNotNone(documents.drawing_flowable(DRAWING, 100, 40))
        self.assertIsNotNone(documents.drawing_flowable("m 0 0 l 10 10 20 0 z", 100, 40))

    def test_the_signer_downloads_their_own_certificate(self) -> None:
        response = self.client_for(self.clerk).get(f"/deklarasi/{self.campaign.slug}/sertifikat.pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="sertifikat-netralitas-2024-pelaksana-dinkes.pdf"'
        )
        self.assertIn("no-store", response["Cache-Control"])
        text = pdf_text(response.content)[0]
        self.assertIn("Pelaksana Dinkes", text)
        code = ledger.format_receipt_code(self.signed["clerk"].receipt_code)
        self.assertIn(f"http://testserver/verifikasi/{code}/", text)

    def test_someone_who_has_not_signed_gets_404(self) -> None:
        response = self.client_for(self.bkad).get(f"/deklarasi/{self.campaign.slug}/sertifikat.pdf")
        self.assertEqual(response.status_code, 404)

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        response = self.client.get(f"/deklarasi/{self.campaign.slug}/sertifikat.pdf")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(resolve_url(settings.LOGIN_URL)))

    def test_who_may_download_someone_elses_certificate(self) -> None:
        url = f"/deklarasi/{self.campaign.slug}/sertifikat/{self.signed['clerk'].pk}.pdf"
        allowed = ("clerk", "health_head", "health_operator", "mayor", "sekda", "bkpsdm", "inspector")
        refused = ("school_operator", "ptt", "bkad", "bappeda", "witness")
        for name in allowed + refused:
            with self.subTest(name):
                response = self.client_for(getattr(self, name)).get(url)
                self.assertEqual(response.status_code, 200 if name in allowed else 404)
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_a_certificate_of_another_campaign_is_404(self) -> None:
        other = services.create_campaign(
            by=self.bkpsdm,
            slug="lain",
            title="Lain",
            text="Teks lain.",
            opens_on=dt.date(2024, 10, 17),
            closes_on=dt.date(2024, 10, 31),
            eligible_kinds=["pns"],
            witness_bodies=["KPU Kota Kupang"],
        )
        response = self.client_for(self.mayor).get(f"/deklarasi/{other.slug}/sertifikat/{self.signed['clerk'].pk}.pdf")
        self.assertEqual(response.status_code, 404)


class RosterPdfTests(DocumentCase):
    def test_the_city_roster_lists_every_staff_signatory_and_the_officials(self) -> None:
        response = self.client_for(self.sekda).get(f"/deklarasi/{self.campaign.slug}/berita-acara.pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="berita-acara-netralitas-2024-seluruh-kota.pdf"'
        )
        pages = pdf_text(response.content)
        text = "\n".join(pages)
        self.assertIn("Berita Acara Penandatanganan Deklarasi Komitmen Netralitas", text)
        self.assertIn("Seluruh Kota Kupang", text)
        for name in ("Pelaksana Dinkes", "Tenaga Kontrak", "Kepala Dinkes", "Operator Dindik"):
            self.assertIn(name, text)
        for signature in Signature.objects.all():
            self.assertNotIn(signature.identity_number, text.replace(" ", ""))
        self.assertIn(mask_identity_number(self.signed["clerk"].identity_number), text)
        # Eleven employees must sign; four have. The mayor and the witness sign as officials.
        self.assertIn("11 orang; sudah 4 (36,4 %), belum 7", text)
        self.assertIn("Dr. Wali Kota Uji, M.Si.", text)
        self.assertIn("Saksi (Bawaslu Kota Kupang)", text)
        self.assertIn("17 Oktober 2024, 09.30 WITA", text)
        self.assertIn("17/10/2024 07.12", text)
        self.assertIn("Halaman 1 dari 1", pages[-1])

    def test_an_opd_head_gets_the_roster_of_their_opd_only(self) -> None:
        response = self.client_for(self.health_head).get(f"/deklarasi/{self.campaign.slug}/berita-acara.pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="berita-acara-netralitas-2024-dinkes.pdf"'
        )
        text = "\n".join(pdf_text(response.content))
        self.assertRegex(text, r"Lingkup\s+Dinas Kesehatan")
        self.assertIn("Pelaksana Dinkes", text)
        self.assertNotIn("Operator Dindik", text)
        self.assertIn("4 orang; sudah 3 (75,0 %), belum 1", text)

    def test_a_long_roster_repeats_its_header_and_numbers_its_pages(self) -> None:
        opd = OPD.objects.get(code="dinkes")
        fake = [
            Signature(
                signer_name=f"Pegawai Nomor {n:04d}",
                identity_number=f"19850314201001{1 + n % 2}{n % 999 + 1:03d}",
                employee_kind="pns",
                opd=opd,
                signed_at=dt.datetime(2024, 10, 17, 7, 10, tzinfo=WITA) + dt.timedelta(seconds=n),
            )
            for n in range(1, 161)
        ]
        pages = pdf_text(documents.roster_pdf(self.campaign, fake, title="Berita Acara Uji", opd=opd))
        self.assertGreaterEqual(len(pages), 3)
        for number, page in enumerate(pages, start=1):
            self.assertIn(f"Halaman {number} dari {len(pages)}", page)
            self.assertIn("Nomor identitas", page)
            self.assertIn("Waktu (WITA)", page)
        text = "\n".join(pages)
        self.assertIn("Pegawai Nomor 0001", text)
        self.assertIn("Pegawai Nomor 0160", text)
        self.assertIn("Daftar penandatangan (160 orang)", text)

    def test_who_may_download_which_roster(self) -> None:
        url = f"/deklarasi/{self.campaign.slug}/berita-acara.pdf"
        health, schools = f"{url}?opd={self.health.pk}", f"{url}?opd={self.schools.pk}"
        expected = {
            # citywide roles: the city and any OPD
            "mayor": {url: 200, health: 200, schools: 200},
            "sekda": {url: 200, health: 200},
            "bkpsdm": {url: 200, schools: 200},
            "inspector": {url: 200, health: 200},
            # OPD heads and operators: their own OPD, asked for or not
            "health_head": {url: 200, health: 200, schools: 404},
            "health_operator": {url: 200, health: 200, schools: 404},
            "school_operator": {url: 200, schools: 200, health: 404},
            # everyone else: nothing
            "bkad": {url: 404, health: 404},
            "bappeda": {url: 404},
            "clerk": {url: 404, health: 404},
            "ptt": {url: 404},
            "witness": {url: 404},
        }
        for name, cases in expected.items():
            client = self.client_for(getattr(self, name))
            for target, status in cases.items():
                with self.subTest(name=name, url=target):
                    self.assertEqual(client.get(target).status_code, status)
        anonymous = self.client.get(url)
        self.assertEqual(anonymous.status_code, 302)

    def test_a_nonsense_or_unknown_opd_is_404(self) -> None:
        client = self.client_for(self.mayor)
        url = f"/deklarasi/{self.campaign.slug}/berita-acara.pdf"
        self.assertEqual(client.get(url, {"opd": "abc"}).status_code, 404)
        self.assertEqual(client.get(url, {"opd": "999999"}).status_code, 404)
        self.assertEqual(client.get("/deklarasi/tidak-ada/berita-acara.pdf").status_code, 404)

    def test_an_empty_roster_says_so(self) -> None:
        pages = pdf_text(documents.roster_pdf(self.campaign, [], title="Berita Acara", opd=self.schools))
        self.assertIn("Belum ada pegawai yang menandatangani.", pages[0])


class RosterWorkbookTests(DocumentCase):
    def test_the_city_workbook_has_one_row_per_signatory_with_real_times(self) -> None:
        response = self.client_for(self.bkpsdm).get(f"/deklarasi/{self.campaign.slug}/berita-acara.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="berita-acara-netralitas-2024-seluruh-kota.xlsx"'
        )
        book = workbook(response.content)
        self.assertEqual(book.sheetnames, ["Penandatangan", "Belum menandatangani"])
        sheet = book["Penandatangan"]
        self.assertEqual(sheet["A1"].value, "Berita Acara Penandatanganan Deklarasi Komitmen Netralitas")
        header, rows = table(sheet)
        self.assertEqual(header, ["No.", "Nama", "Nomor identitas", "Status", "OPD", "Waktu (WITA)"])
        self.assertEqual(len(rows), 4)
        by_name = {row[1]: row for row in rows}
        self.assertEqual(set(by_name), {"Pelaksana Dinkes", "Tenaga Kontrak", "Kepala Dinkes", "Operator Dindik"})
        clerk = by_name["Pelaksana Dinkes"]
        self.assertEqual(clerk[2], mask_identity_number(self.clerk.username))
        self.assertEqual(clerk[3], "PNS")
        self.assertEqual(clerk[4], "Dinas Kesehatan")
        self.assertIsInstance(clerk[5], dt.datetime)
        self.assertEqual(clerk[5], dt.datetime(2024, 10, 17, 7, 12, 30))
        self.assertEqual(by_name["Tenaga Kontrak"][3], "PTT")
        time_cells = [row[5] for row in sheet.iter_rows(min_row=sheet.max_row, max_row=sheet.max_row)]
        self.assertEqual(time_cells[0].number_format, "dd/mm/yyyy hh:mm")
        header_row = next(r for r in range(1, 20) if sheet.cell(row=r, column=1).value == "No.")
        self.assertEqual(sheet.freeze_panes, f"A{header_row + 1}")
        self.assertEqual(sheet.auto_filter.ref, f"A{header_row}:F{header_row + 4}")
        content = response.content
        for signature in Signature.objects.all():
            self.assertNotIn(signature.identity_number.encode(), content)

    def test_the_unsigned_sheet_lists_who_has_not_signed(self) -> None:
        response = self.client_for(self.mayor).get(f"/deklarasi/{self.campaign.slug}/berita-acara.xlsx")
        header, rows = table(workbook(response.content)["Belum menandatangani"])
        self.assertEqual(header, ["No.", "Nama", "Nomor identitas", "Status", "OPD"])
        names = {row[1] for row in rows}
        self.assertEqual(len(rows), 7)
        self.assertIn("Guru Dindik", names)
        self.assertIn("Operator Dinkes", names)
        self.assertNotIn("Pelaksana Dinkes", names)

    def test_an_operator_gets_their_opd_in_both_sheets(self) -> None:
        response = self.client_for(self.school_operator).get(f"/deklarasi/{self.campaign.slug}/berita-acara.xlsx")
        self.assertEqual(response.status_code, 200)
        book = workbook(response.content)
        _header, signed = table(book["Penandatangan"])
        _header, unsigned = table(book["Belum menandatangani"])
        self.assertEqual([row[1] for row in signed], ["Operator Dindik"])
        self.assertEqual([row[1] for row in unsigned], ["Guru Dindik"])

    def test_the_workbook_is_refused_like_the_pdf(self) -> None:
        url = f"/deklarasi/{self.campaign.slug}/berita-acara.xlsx"
        self.assertEqual(self.client_for(self.clerk).get(url).status_code, 404)
        self.assertEqual(self.client_for(self.health_head).get(url, {"opd": self.schools.pk}).status_code, 404)
        self.assertEqual(self.client.get(url).status_code, 302)


class DocumentLinksTests(DocumentCase):
    def render(self, user: User) -> str:
        request = RequestFactory().get("/")
        request.user = user
        template = Template("{% load neutrality %}{% neutrality_documents campaign %}")
        return template.render(Context({"campaign": self.campaign, "request": request}))

    def test_a_signer_sees_their_certificate_only(self) -> None:
        html = self.render(self.clerk)
        self.assertIn(f"/deklarasi/{self.campaign.slug}/sertifikat.pdf", html)
        self.assertNotIn("berita-acara", html)

    def test_an_opd_head_sees_the_roster_of_their_opd(self) -> None:
        html = self.render(self.health_head)
        self.assertIn(f"berita-acara.pdf?opd={self.health.pk}", html)
        self.assertIn(f"berita-acara.xlsx?opd={self.health.pk}", html)
        self.assertNotIn(f"?opd={self.schools.pk}", html)

    def test_a_citywide_role_sees_the_city_roster_and_may_choose_an_opd(self) -> None:
        html = self.render(self.inspector)
        self.assertIn(f'href="/deklarasi/{self.campaign.slug}/berita-acara.pdf"', html)
        self.assertIn(f'<option value="{self.schools.pk}">Dinas Pendidikan</option>', html)
        self.assertNotIn("sertifikat.pdf", html)  # the inspector has not signed

    def test_someone_with_nothing_to_download_sees_nothing(self) -> None:
        self.assertEqual(self.render(self.bkad).strip(), "")

    def test_the_campaign_page_includes_the_links(self) -> None:
        response = self.client_for(self.health_head).get(f"/deklarasi/{self.campaign.slug}/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"berita-acara.pdf?opd={self.health.pk}")
        self.assertContains(response, "sertifikat.pdf")
