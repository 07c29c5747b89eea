"""The Wali Kota's request letter to the Minister of Home Affairs, read back from the PDF.

The letter is only for a proposal the Wali Kota approved; it names the post, the agency, the level,
the vacancy, the reasons, the candidates with their NIP and rank, the acting official, the quota
place, and the receipt of the Wali Kota's approval in the ledger, which anyone can check.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings
from pypdf import PdfReader

from pamong.core import ledger
from pamong.core.models import LedgerEntry
from pamong.core.testing import CastMixin
from pamong.organisation.identity import format_identity_number
from pamong.organisation.models import Position
from pamong.staffing import acting, letters, services
from pamong.staffing.models import Proposal, ProposalStep
from pamong.staffing.testing import pre_election_period, qualified_official

S = Proposal.Status
CODE = "pra-pilkada-2024"
GRADES = {"jpt_pratama": "II.b", "administrator": "III.a", "pengawas": "IV.a"}


def read(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return reader, " ".join(text.split())


@override_settings(PAMONG_BUSINESS_DATE="2024-10-17", PAMONG_BASE_URL="https://pamong.kupangkota.go.id")
class RequestLetterTests(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        pre_election_period(cls.bkpsdm, code=CODE, ends_on=dt.date(2025, 2, 20))
        cls.first = cls.proposal("Kepala Dinas Pariwisata", "jpt_pratama")
        services.submit_proposal(cls.first, by=cls.bkpsdm, today=dt.date(2024, 9, 10))
        cls.post = Position.objects.create(
            opd=cls.health, name="Direktur Rumah Sakit Umum Daerah S.K. Lerik", level="jpt_pratama", grade="II.b"
        )
        cls.vacancy = services.open_vacancy(
            cls.post, by=cls.bkpsdm, since=dt.date(2024, 8, 1), reason="pensiun", field="kesehatan"
        )
        cls.plt = acting.assign_acting(
            cls.vacancy,
            cls.health_head.employee,  # type: ignore[arg-type]
            "plt",
            dt.date(2024, 8, 5),
            dt.date(2024, 11, 4),
            by=cls.bkpsdm,
        )
        cls.letter_proposal = services.draft_proposal(
            cls.vacancy,
            by=cls.bkpsdm,
            urgency=["layanan_terhenti", "pa_kpa"],
            justification="Direktur RSUD pensiun; tanda tangan klaim BPJS Kesehatan dan pengadaan obat tertahan.",
            today=dt.date(2024, 9, 20),
        )
        cls.alpha = qualified_official(
            cls.health, "Maria Goreti Bataona", level="jpt_pratama", front_title="dr.", back_title="M.Kes."
        )
        cls.beta = qualified_official(cls.health, "Yakobus Ndoen", level="jpt_pratama", rank="IV/c")
        cls.alpha.position = cls.health_secretary_post
        cls.alpha.save(update_fields=["position"])
        for official in (cls.alpha, cls.beta):
            services.add_candidate(cls.letter_proposal, official, by=cls.bkpsdm, today=dt.date(2024, 9, 25))
        services.submit_proposal(cls.letter_proposal, by=cls.bkpsdm, today=dt.date(2024, 9, 26))
        services.approve_by_sekda(cls.letter_proposal, by=cls.sekda, today=dt.date(2024, 9, 27))
        services.approve_by_mayor(cls.letter_proposal, by=cls.mayor, today=dt.date(2024, 9, 30))

    _posts = iter(range(1, 10**6))

    @classmethod
    def proposal(cls, name: str, level: str) -> Proposal:
        post = Position.objects.create(opd=cls.schools, name=name, level=level, grade=GRADES[level])
        vacancy = services.open_vacancy(post, by=cls.bkpsdm, since=dt.date(2024, 9, 1), reason="mutasi", field="umum")
        return services.draft_proposal(
            vacancy, by=cls.bkpsdm, urgency=["amanat_uu"], justification="Mendesak.", today=dt.date(2024, 9, 2)
        )

    def mayor_receipt(self, proposal: Proposal) -> str:
        step = ProposalStep.objects.get(proposal=proposal, to_status=S.WALI_KOTA)
        entry = LedgerEntry.objects.get(subject_type="staffing.proposalstep", subject_id=str(step.pk))
        return ledger.format_receipt_code(entry.receipt_code)

    def test_the_letter_names_the_post_the_candidates_and_the_law(self) -> None:
        data = letters.request_letter_pdf(self.letter_proposal)
        self.assertTrue(data.startswith(b"%PDF"))
        _reader, text = read(data)
        for expected in (
            "PEMERINTAH KOTA KUPANG",
            "Kupang, 17 Oktober 2024",  # not sent yet: dated today, to be signed
            "Permohonan Persetujuan Tertulis Pengisian Jabatan",
            "Menteri Dalam Negeri",
            "Direktur Jenderal Otonomi Daerah",
            "Pasal 71 ayat (2) Undang-Undang Nomor 10 Tahun 2016",
            "100.2.1.3/1575/SJ",
            "Direktur Rumah Sakit Umum Daerah S.K. Lerik",
            "Dinas Kesehatan",
            "JPT Pratama (eselon II), eselon II.b",
            "1 Agustus 2024 (2 bulan 16 hari",
            "Pensiun",
            "Layanan kepada masyarakat terhenti",
            "Pengguna/Kuasa Pengguna Anggaran (PA/KPA) kosong",
            "tanda tangan klaim BPJS Kesehatan",
            "dr. Maria Goreti Bataona, M.Kes.",
            "Yakobus Ndoen",
            format_identity_number(self.alpha.identity_number),
            format_identity_number(self.beta.identity_number),
            "Pembina Tingkat I (IV/b)",
            "Pembina Utama Muda (IV/c)",
            "Sekretaris Dinas Kesehatan, Dinas Kesehatan",
            "Kepala Dinkes",
            "Pelaksana Tugas (Plt) sejak 5 Agustus 2024 sampai dengan 4 November 2024",
            "usulan ke-2 dari kuota 3",
            "eselon II pada Masa pra-Pilkada 2024",
            "WALI KOTA KUPANG,",
            "Tembusan",
            "Gubernur Nusa Tenggara Timur di Kupang",
            "Kepala Badan Kepegawaian Negara",
        ):
            self.assertIn(expected, text)
        # No number yet: a line to fill in by hand.
        self.assertRegex(text, r"Nomor : …+")

    def test_the_mayors_approval_is_on_the_letter_with_a_receipt_that_verifies(self) -> None:
        code = self.mayor_receipt(self.letter_proposal)
        _reader, text = read(letters.request_letter_pdf(self.letter_proposal))
        self.assertIn(code, text)
        self.assertIn(f"https://pamong.kupangkota.go.id/verifikasi/{code}/", text.replace(" ", ""))
        self.assertIn("30 September 2024", text)
        cache.clear()
        response = self.client.get(f"/verifikasi/{code}/")
        self.assertContains(response, "Langkah usulan pengisian jabatan")
        self.assertContains(response, "Disetujui Sekda → Disetujui Wali Kota")

    def test_metadata_and_page_size(self) -> None:
        reader, _text = read(letters.request_letter_pdf(self.letter_proposal))
        metadata = reader.metadata
        assert metadata is not None
        self.assertEqual(
            metadata.title,
            "Permohonan Persetujuan Tertulis Pengisian Jabatan — Direktur Rumah Sakit Umum Daerah S.K. Lerik",
        )
        self.assertEqual(metadata.author, "Pemerintah Kota Kupang")
        box = reader.pages[0].mediabox
        self.assertEqual((round(float(box.width)), round(float(box.height))), (595, 842))  # A4

    def test_once_sent_it_carries_its_number_and_the_date_it_went(self) -> None:
        services.send_to_kemendagri(
            self.letter_proposal, by=self.bkpsdm, letter_number="800.1.3/412/BKPPD/X/2024", today=dt.date(2024, 10, 2)
        )
        _reader, text = read(letters.request_letter_pdf(self.letter_proposal))
        self.assertIn("800.1.3/412/BKPPD/X/2024", text)
        self.assertIn("Kupang, 2 Oktober 2024", text)
        self.assertNotIn("Nomor : …", text)

    def test_without_candidates_it_says_how_they_will_be_chosen(self) -> None:
        proposal = self.proposal("Kepala Dinas Perhubungan", "jpt_pratama")
        services.submit_proposal(proposal, by=self.bkpsdm, today=dt.date(2024, 9, 3))
        services.approve_by_sekda(proposal, by=self.sekda)
        services.approve_by_mayor(proposal, by=self.mayor)
        _reader, text = read(letters.request_letter_pdf(proposal))
        self.assertIn("Kepala Dinas Perhubungan", text)
        self.assertIn("Dinas Pendidikan", text)
        self.assertIn("uji kompetensi dan/atau seleksi terbuka", text)
        self.assertIn("belum ada pejabat yang ditugaskan sebagai Plt/Plh", text)
        self.assertIn("usulan ke-1 dari kuota 3", text)  # submitted before the letter proposal
        self.assertNotIn("NIP", text)

    def test_a_long_justification_runs_over_pages_that_are_numbered(self) -> None:
        Proposal.objects.filter(pk=self.letter_proposal.pk).update(
            justification="Pelayanan rumah sakit terganggu. " * 220
        )
        reader, text = read(letters.request_letter_pdf(self.letter_proposal))
        self.assertGreaterEqual(len(reader.pages), 2)
        self.assertIn(f"Halaman 1 dari {len(reader.pages)}", text)
        self.assertIn("Maria Goreti Bataona", text)

    def test_there_is_no_letter_before_the_mayor_approves_or_after_a_withdrawal(self) -> None:
        for proposal in (self.first,):
            with self.assertRaisesMessage(ValidationError, "setelah Wali Kota menyetujui usulan"):
                letters.request_letter_pdf(proposal)
        services.approve_by_sekda(self.first, by=self.sekda)
        with self.assertRaisesMessage(ValidationError, "setelah Wali Kota menyetujui usulan"):
            letters.request_letter_pdf(self.first)
        services.withdraw(self.letter_proposal, by=self.bkpsdm, reason="Diarahkan tetap Plt.")
        with self.assertRaisesMessage(ValidationError, "sudah ditarik"):
            letters.request_letter_pdf(self.letter_proposal)

    def test_text_is_escaped(self) -> None:
        Proposal.objects.filter(pk=self.letter_proposal.pk).update(
            justification="Anggaran <b>Rp 5 M</b> & obat <tertahan>"
        )
        _reader, text = read(letters.request_letter_pdf(self.letter_proposal))
        self.assertIn("Anggaran <b>Rp 5 M</b> & obat <tertahan>", text)

    def test_the_duration_counts_months_then_days(self) -> None:
        self.assertEqual(letters._duration(dt.date(2024, 8, 1), dt.date(2024, 10, 17)), "2 bulan 16 hari")
        self.assertEqual(letters._duration(dt.date(2024, 1, 31), dt.date(2024, 2, 29)), "29 hari")
        self.assertEqual(letters._duration(dt.date(2024, 1, 31), dt.date(2024, 3, 1)), "1 bulan 1 hari")
        self.assertEqual(letters._duration(dt.date(2024, 9, 1), dt.date(2024, 10, 1)), "1 bulan")
        self.assertEqual(letters._duration(dt.date(2024, 9, 1), dt.date(2024, 9, 1)), "kurang dari 1 hari")
        self.assertTrue(
            re.fullmatch(r"\d+ bulan( \d+ hari)?", letters._duration(dt.date(2023, 3, 22), dt.date(2024, 10, 17)))
        )
