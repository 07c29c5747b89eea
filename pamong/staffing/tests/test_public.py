"""The public staffing page (/transparansi/jabatan/) and API (/api/v1/staffing/public/) as a specification.

The city lives on 17 October 2024, inside the pre-election period: eselon II ≤ 3 and eselon III + IV
≤ 15 proposals, the Minister's written approval needed for every structural level. On the record:
a draft (internal, never public), a proposal just submitted, one approved by Kemendagri, one
appointed (two candidates, one of them appointed), one rejected, and a Plt covering a vacant post.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import formats, translation

from pamong.core import ledger
from pamong.core.browser import Phone, no_horizontal_scroll, sync_api
from pamong.core.models import LedgerEntry
from pamong.core.testing import CastMixin, make_employee, make_user
from pamong.organisation.identity import format_identity_number, mask_identity_number
from pamong.organisation.models import OPD, Employee, Pemda, Position, Role
from pamong.staffing import acting, public_views, services
from pamong.staffing.models import Proposal, ProposalStep, Vacancy
from pamong.staffing.testing import pre_election_period, qualified_official

PAGE = "/transparansi/jabatan/"
API = "/api/v1/staffing/public"
S = Proposal.Status
CODE = "pra-pilkada-2024"
DAY = dt.date(2024, 10, 17)
GRADES = {"jpt_pratama": "II.b", "administrator": "III.a", "pengawas": "IV.a"}
QUOTAS: list[dict[str, Any]] = [
    {"code": "eselon_ii", "label": "eselon II", "levels": ["jpt_pratama"], "limit": 3},
    {"code": "eselon_iii_iv", "label": "eselon III dan IV", "levels": ["administrator", "pengawas"], "limit": 15},
]
LONG_REASON = (
    "Kepala Dinas Sosial pensiun pada 1 September 2024 sehingga Pengguna Anggaran kosong dan penyaluran "
    "bantuan sosial bagi warga miskin ekstrem di 51 kelurahan terhenti; pencairan tahap IV harus "
    "ditandatangani pejabat definitif sebelum akhir tahun anggaran. RAHASIA-EKOR-JUSTIFIKASI"
)
# FROZEN keeps django-ratelimit's one-minute window fixed while a test spends a limit.
FROZEN = mock.patch("django_ratelimit.core.time.time", return_value=1_800_000_000.0)


def make_period(by: Any) -> None:
    pre_election_period(by, code=CODE, ends_on=dt.date(2025, 2, 20), quotas=QUOTAS)


@override_settings(PAMONG_BUSINESS_DATE="2024-10-17")
class PublicCase(CastMixin, TestCase):
    """The cast, the period and one proposal in each public state, built once."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        make_period(cls.bkpsdm)
        cls.social = OPD.objects.create(
            pemda=cls.pemda, code="dinsos", name="Dinas Sosial", abbreviation="Dinsos", kind="dinas"
        )
        cls.draft = cls.proposal("Kepala Dinas Rahasia Draf", "jpt_pratama")
        cls.draft_candidate = cls.candidate(cls.draft, "Nama Calon Draf")

        cls.submitted = cls.proposal("Kepala Bidang Pelayanan Medik", "administrator", urgency=("layanan_terhenti",))
        cls.submitted_candidate = cls.candidate(cls.submitted, "Nama Calon Diajukan")
        services.submit_proposal(cls.submitted, by=cls.bkpsdm, today=dt.date(2024, 10, 1))

        cls.approved = cls.proposal("Kepala Dinas Sosial", "jpt_pratama", opd=cls.social, justification=LONG_REASON)
        cls.approved_candidate = cls.candidate(cls.approved, "Nama Calon Disetujui", opd=cls.social)
        cls.take(cls.approved, upto=S.APPROVED)

        cls.appointed = cls.proposal("Sekretaris Dinas Kesehatan Baru", "administrator", urgency=("amanat_uu",))
        cls.appointee = cls.candidate(cls.appointed, "Yohanes Nama Terangkat")
        cls.runner_up = cls.candidate(cls.appointed, "Nama Calon Tidak Terpilih")
        cls.take(cls.appointed, upto=S.APPROVED)
        services.record_appointment(
            cls.appointed,
            by=cls.bkpsdm,
            decree_number="800.1.3.3/SK/117/2024",
            decree_date=dt.date(2024, 10, 14),
            appointee=cls.appointee,
            today=dt.date(2024, 10, 14),
        )

        cls.rejected = cls.proposal("Kepala Seksi Surveilans", "pengawas")
        cls.rejected_candidate = cls.candidate(cls.rejected, "Nama Calon Ditolak")
        cls.take(cls.rejected, upto=S.REJECTED)

        # A Plt in a vacant eselon II post: the head of the health office, same level.
        cls.covered = cls.vacancy("Kepala Badan Penanggulangan Bencana", "jpt_pratama")
        cls.acting = acting.assign_acting(
            cls.covered,
            cls.health_head.employee,  # type: ignore[arg-type]
            "plt",
            dt.date(2024, 9, 2),
            dt.date(2024, 12, 1),
            by=cls.bkpsdm,
        )
        cls.people = [
            cls.draft_candidate,
            cls.submitted_candidate,
            cls.approved_candidate,
            cls.appointee,
            cls.runner_up,
            cls.rejected_candidate,
            cls.health_head.employee,
        ]

    _posts = iter(range(1, 10**6))

    @classmethod
    def vacancy(cls, name: str, level: str, opd: OPD | None = None) -> Vacancy:
        post = Position.objects.create(opd=opd or cls.health, name=name, level=level, grade=GRADES[level])
        return services.open_vacancy(post, by=cls.bkpsdm, since=dt.date(2024, 9, 1), reason="pensiun", field="umum")

    @classmethod
    def proposal(
        cls,
        name: str,
        level: str,
        *,
        opd: OPD | None = None,
        urgency: tuple[str, ...] = ("pa_kpa", "layanan_terhenti"),
        justification: str = "Layanan terhenti.",
    ) -> Proposal:
        return services.draft_proposal(
            cls.vacancy(name, level, opd),
            by=cls.bkpsdm,
            urgency=list(urgency),
            justification=justification,
            today=dt.date(2024, 9, 20),
        )

    @classmethod
    def candidate(cls, proposal: Proposal, name: str, opd: OPD | None = None) -> Employee:
        official = qualified_official(
            opd or cls.health, name, level=proposal.vacancy.position.level, field="umum", front_title="Dr."
        )
        services.add_candidate(proposal, official, by=cls.bkpsdm, today=dt.date(2024, 9, 25))
        return official

    @classmethod
    def take(cls, proposal: Proposal, *, upto: str) -> None:
        services.submit_proposal(proposal, by=cls.bkpsdm, today=dt.date(2024, 9, 26))
        services.approve_by_sekda(proposal, by=cls.sekda, today=dt.date(2024, 9, 27))
        services.approve_by_mayor(proposal, by=cls.mayor, today=dt.date(2024, 9, 30))
        services.send_to_kemendagri(proposal, by=cls.bkpsdm, letter_number="100.2/412/BKPPD/2024", today=DAY)
        services.record_decision(
            proposal,
            by=cls.bkpsdm,
            approved=upto != S.REJECTED,
            letter_number="100.2.2.6/7001/SJ",
            letter_date=dt.date(2024, 10, 8),
            today=dt.date(2024, 10, 9),
        )

    def setUp(self) -> None:
        cache.clear()  # rate-limit counters of earlier tests
        self.anonymous = Client()

    # --- reading ---

    def page(self, path: str = PAGE, **params: Any) -> str:
        response = self.anonymous.get(path, params)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def api(self, path: str, **params: Any) -> Any:
        response = self.anonymous.get(API + path, params)
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def codes(self, proposal: Proposal) -> list[str]:
        ids = [
            str(pk) for pk in ProposalStep.objects.filter(proposal=proposal).order_by("id").values_list("pk", flat=True)
        ]
        entries = {
            e.subject_id: e
            for e in LedgerEntry.objects.filter(subject_type="staffing.proposalstep", subject_id__in=ids)
        }
        return [ledger.format_receipt_code(entries[pk].receipt_code) for pk in ids]

    def personal_strings(self, employee: Employee) -> list[str]:
        """Whatever would identify a person beyond a public name: identity numbers and birth dates."""
        assert employee.birth_date is not None
        with translation.override("id"):
            long_birth = formats.date_format(employee.birth_date, "DATE_FORMAT")
        return [
            employee.identity_number,
            format_identity_number(employee.identity_number),
            mask_identity_number(employee.identity_number),
            employee.birth_date.isoformat(),
            long_birth,
            employee.birth_date.strftime("%d/%m/%Y"),
        ]

    def assertNothingPersonal(self, text: str) -> None:
        for person in self.people:
            assert person is not None
            for value in self.personal_strings(person):
                self.assertNotIn(value, text, f"{person.name}: {value}")
        # Never who took a step, only the role.
        for user in (self.bkpsdm, self.sekda, self.mayor):
            self.assertNotIn(user.username, text)
            self.assertNotIn(user.full_name, text)


class PageTests(PublicCase):
    def test_anyone_sees_every_submitted_proposal_with_its_steps_and_receipts(self) -> None:
        page = self.page()
        for proposal, name in (
            (self.submitted, "Kepala Bidang Pelayanan Medik"),
            (self.approved, "Kepala Dinas Sosial"),
            (self.appointed, "Sekretaris Dinas Kesehatan Baru"),
            (self.rejected, "Kepala Seksi Surveilans"),
        ):
            self.assertIn(name, page)
            self.assertIn(f'data-proposal="{proposal.pk}"', page)
            codes = self.codes(proposal)
            self.assertTrue(codes)
            for code in codes:
                self.assertIn(f'href="/verifikasi/{code}/"', page)
        self.assertIn("Dinas Sosial", page)
        self.assertIn("JPT Pratama (eselon II)", page)
        self.assertIn("Administrator (eselon III)", page)
        self.assertIn("Pengawas (eselon IV)", page)
        for label in ("Diajukan BKPSDM", "Disetujui Kemendagri", "SK pengangkatan terbit", "Ditolak Kemendagri"):
            self.assertIn(f">{label}</span>", page)
        # Step dates and roles (the role, never the person).
        self.assertIn("26 September 2024", page)
        self.assertIn("30 September 2024", page)
        self.assertIn("(oleh Wali Kota)", page)
        self.assertIn("(oleh Sekda)", page)
        self.assertIn("(oleh BKPSDM / BKPPD)", page)
        # The urgency checklist in words, and the Kemendagri letter and decree once recorded.
        self.assertIn("Pengguna/Kuasa Pengguna Anggaran (PA/KPA) kosong", page)
        self.assertIn("Amanat peraturan perundang-undangan", page)
        self.assertIn("Nomor 100.2.2.6/7001/SJ, tanggal 8 Oktober 2024", page)
        self.assertIn("Nomor 800.1.3.3/SK/117/2024, tanggal 14 Oktober 2024", page)

    def test_the_justification_is_summarised(self) -> None:
        page = self.page()
        self.assertIn("Kepala Dinas Sosial pensiun pada 1 September 2024", page)
        self.assertNotIn("RAHASIA-EKOR-JUSTIFIKASI", page)
        summary = re.search(r"Ringkasan alasan</dt><dd class=\"wrap\">(Kepala Dinas Sosial[^<]*)</dd>", page)
        assert summary is not None
        self.assertLessEqual(len(summary.group(1)), 201)
        self.assertTrue(summary.group(1).endswith("…"))

    def test_the_receipts_on_the_page_verify(self) -> None:
        page = self.page()
        codes = re.findall(r'href="/verifikasi/([A-Z0-9-]{19})/"', page)
        self.assertEqual(
            len(codes), sum(len(self.codes(p)) for p in (self.submitted, self.approved, self.appointed, self.rejected))
        )
        for code in codes[:8]:
            response = self.anonymous.get(f"/verifikasi/{code}/")
            self.assertEqual(response.status_code, 200, code)
            self.assertContains(response, "Langkah usulan pengisian jabatan")

    def test_drafts_are_not_public(self) -> None:
        page = self.page()
        self.assertNotIn("Kepala Dinas Rahasia Draf", page)
        self.assertNotIn(f'data-proposal="{self.draft.pk}"', page)
        self.assertEqual(self.anonymous.get(f"{PAGE}{self.draft.pk}/").status_code, 404)
        self.assertEqual(self.anonymous.get(f"{PAGE}999999/").status_code, 404)
        # Asking for drafts by filter is an unknown choice: said, and ignored.
        filtered = self.page(status="draf")
        self.assertNotIn("Kepala Dinas Rahasia Draf", filtered)
        self.assertIn("Pilihan ini tidak dikenal", filtered)

    def test_a_draft_withdrawn_before_submission_stays_internal(self) -> None:
        services.withdraw(self.draft, by=self.bkpsdm, reason="Tidak mendesak.")
        self.assertNotIn("Kepala Dinas Rahasia Draf", self.page())
        self.assertEqual(self.anonymous.get(f"{PAGE}{self.draft.pk}/").status_code, 404)

    def test_candidates_are_named_only_once_appointed_and_only_the_appointee(self) -> None:
        pages = [self.page()] + [
            self.page(f"{PAGE}{p.pk}/") for p in (self.submitted, self.approved, self.appointed, self.rejected)
        ]
        for text in pages:
            for person in (
                self.draft_candidate,
                self.submitted_candidate,
                self.approved_candidate,
                self.runner_up,
                self.rejected_candidate,
            ):
                self.assertNotIn(person.name, text)
        self.assertIn("Dr. Yohanes Nama Terangkat", pages[0])
        self.assertIn("Dr. Yohanes Nama Terangkat", pages[3])
        self.assertNotIn("Yohanes Nama Terangkat", pages[2])
        self.assertNotIn("Eligib", pages[0])
        self.assertNotIn("Pasal 107", pages[0])  # eligibility checks cite it; never shown

    def test_nothing_personal_appears(self) -> None:
        for path in [PAGE] + [f"{PAGE}{p.pk}/" for p in (self.submitted, self.approved, self.appointed, self.rejected)]:
            self.assertNothingPersonal(self.page(path))

    def test_the_detail_page_shows_the_full_timeline_and_the_period_rules(self) -> None:
        page = self.page(f"{PAGE}{self.appointed.pk}/")
        labels = [
            "Diajukan BKPSDM",
            "Disetujui Sekda",
            "Disetujui Wali Kota",
            "Surat usulan dikirim ke Kemendagri",
            "Kemendagri memberi persetujuan tertulis",
            "SK pengangkatan ditetapkan",
        ]
        positions = [page.index(label, page.index("Riwayat langkah")) for label in labels]
        self.assertEqual(positions, sorted(positions))
        for code in self.codes(self.appointed):
            self.assertIn(f'href="/verifikasi/{code}/"', page)
        self.assertIn("100.2/412/BKPPD/2024", page)
        self.assertIn("kuota terpakai 3 dari 15", page)
        self.assertIn("1 Desember 2024", page)

    def test_quota_use_per_group_of_the_period(self) -> None:
        page = self.page()
        # eselon II: the approved proposal; eselon III+IV: submitted, appointed, rejected (rejection keeps its place).
        self.assertRegex(page, r'data-quota="eselon_ii">\s*<strong>eselon II</strong>: kuota terpakai 1 dari 3')
        self.assertRegex(
            page, r'data-quota="eselon_iii_iv">\s*<strong>eselon III dan IV</strong>: kuota terpakai 3 dari 15'
        )

    def test_filters_by_period_status_opd_and_level(self) -> None:
        def shown(**params: Any) -> set[int]:
            return {int(pk) for pk in re.findall(r'data-proposal="(\d+)"', self.page(**params))}

        everything = {self.submitted.pk, self.approved.pk, self.appointed.pk, self.rejected.pk}
        self.assertEqual(shown(), everything)
        self.assertEqual(shown(periode=CODE), everything)
        self.assertEqual(shown(status=S.APPOINTED), {self.appointed.pk})
        self.assertEqual(shown(opd=self.social.pk), {self.approved.pk})
        self.assertEqual(shown(jenjang="administrator"), {self.submitted.pk, self.appointed.pk})
        self.assertEqual(shown(jenjang="pengawas", status=S.REJECTED), {self.rejected.pk})
        self.assertEqual(
            shown(opd="bukan-angka", jenjang="jpt_pratama"), {self.approved.pk}
        )  # the bad filter is dropped

    def test_acting_officials_in_force_and_the_coverage(self) -> None:
        page = self.page()
        self.assertIn("Kepala Badan Penanggulangan Bencana", page)
        self.assertIn("Kepala Dinkes", page)  # the Plt's name: the assignment is an official act
        self.assertIn('<abbr title="Pelaksana Tugas (Plt)">Plt</abbr>', page)
        self.assertIn("2 September 2024 – 1 Desember 2024", page)
        # Five vacancies still open (the appointed post is filled): one covered.
        self.assertIn("1 dari 5 jabatan lowong dijabat Plt/Plh", page)

    def test_the_list_costs_the_same_queries_however_many_proposals(self) -> None:
        with CaptureQueriesContext(connection) as before:
            self.page()
        for number in range(4):
            proposal = self.proposal(f"Kepala Seksi Tambahan {number}", "pengawas")
            self.candidate(proposal, f"Calon Tambahan {number}")
            self.take(proposal, upto=S.APPROVED)
        acting.assign_acting(
            self.vacancy("Kepala Bagian Umum", "administrator"),
            self.health_head.employee,  # type: ignore[arg-type]
            "plh",
            dt.date(2024, 10, 1),
            dt.date(2024, 10, 31),
            by=self.bkpsdm,
        )
        with CaptureQueriesContext(connection) as after:
            page = self.page()
        self.assertIn("Kepala Seksi Tambahan 3", page)
        self.assertEqual(len(after.captured_queries), len(before.captured_queries))
        self.assertLessEqual(len(after.captured_queries), 12)

    def test_the_detail_page_costs_a_few_queries(self) -> None:
        with self.assertNumQueries(7):
            self.page(f"{PAGE}{self.appointed.pk}/")

    def test_the_transparency_page_links_here(self) -> None:
        self.assertIn(f'href="{PAGE}"', self.anonymous.get("/transparansi/").content.decode())

    @FROZEN
    def test_too_many_requests_get_a_429_page_in_indonesian(self, _clock: mock.Mock) -> None:
        with mock.patch.object(public_views, "PUBLIC_RATE", "3/m"):
            for _ in range(3):
                self.assertEqual(self.anonymous.get(PAGE).status_code, 200)
            response = self.anonymous.get(f"{PAGE}{self.approved.pk}/")  # the pages share one budget
            self.assertEqual(response.status_code, 429)
            self.assertContains(response, "Terlalu banyak permintaan", status_code=429)
            self.assertContains(response, "Tunggu sekitar satu menit", status_code=429)
            other = Client(REMOTE_ADDR="10.0.0.2")
            self.assertEqual(other.get(PAGE).status_code, 200)

    def test_only_reading_is_allowed(self) -> None:
        self.assertEqual(self.anonymous.post(PAGE, {}).status_code, 405)


class ApiTests(PublicCase):
    def test_anyone_lists_the_public_proposals_with_the_page_fields(self) -> None:
        data = self.api("/proposals")
        self.assertEqual(data["count"], 4)
        self.assertEqual((data["page"], data["pages"]), (1, 1))
        by_id = {item["id"]: item for item in data["items"]}
        self.assertEqual(set(by_id), {self.submitted.pk, self.approved.pk, self.appointed.pk, self.rejected.pk})
        approved = by_id[self.approved.pk]
        self.assertEqual(
            approved["position"],
            {"name": "Kepala Dinas Sosial", "level": "jpt_pratama", "level_label": "JPT Pratama (eselon II)"},
        )
        self.assertEqual(approved["opd"], {"id": self.social.pk, "name": "Dinas Sosial"})
        self.assertEqual(approved["status"], {"code": S.APPROVED, "label": "Disetujui Kemendagri"})
        self.assertEqual(approved["period"], {"code": CODE, "name": "Masa pra-Pilkada 2024"})
        self.assertEqual(approved["quota"], {"code": "eselon_ii", "label": "eselon II"})
        self.assertEqual([u["code"] for u in approved["urgency"]], ["layanan_terhenti", "pa_kpa"])
        self.assertTrue(approved["justification_summary"].startswith("Kepala Dinas Sosial pensiun"))
        self.assertNotIn("RAHASIA-EKOR-JUSTIFIKASI", json.dumps(data))
        self.assertEqual(approved["mendagri_letter"], {"number": "100.2.2.6/7001/SJ", "date": "2024-10-08"})
        self.assertIsNone(approved["decree"])
        self.assertIsNone(approved["appointee_name"])
        self.assertEqual(approved["request_letter_number"], "100.2/412/BKPPD/2024")
        self.assertTrue(approved["url"].endswith(f"{PAGE}{self.approved.pk}/"))
        steps = approved["steps"]
        self.assertEqual([s["status"] for s in steps], [S.SUBMITTED, S.SEKDA, S.WALI_KOTA, S.SENT, S.APPROVED])
        self.assertEqual(
            [s["on"] for s in steps], ["2024-09-26", "2024-09-27", "2024-09-30", "2024-10-17", "2024-10-09"]
        )
        self.assertEqual([s["role"] for s in steps], ["bkpsdm", "sekda", "wali_kota", "bkpsdm", "bkpsdm"])
        self.assertEqual([s["receipt_code"] for s in steps], self.codes(self.approved))
        for step in steps:
            self.assertEqual(step["verify_url"], f"http://testserver/verifikasi/{step['receipt_code']}/")
        appointed = by_id[self.appointed.pk]
        self.assertEqual(appointed["decree"], {"number": "800.1.3.3/SK/117/2024", "date": "2024-10-14"})
        self.assertEqual(appointed["appointee_name"], "Dr. Yohanes Nama Terangkat")

    def test_the_receipts_in_the_api_verify(self) -> None:
        item = self.api(f"/proposals/{self.appointed.pk}")
        for step in item["steps"]:
            self.assertEqual(self.anonymous.get(f"/verifikasi/{step['receipt_code']}/").status_code, 200)

    def test_drafts_are_never_in_the_api(self) -> None:
        data = self.api("/proposals", page_size=200)
        self.assertNotIn(self.draft.pk, [item["id"] for item in data["items"]])
        self.assertNotIn("Kepala Dinas Rahasia Draf", json.dumps(data))
        self.assertEqual(self.api("/proposals", status="draf")["count"], 0)
        response = self.anonymous.get(f"{API}/proposals/{self.draft.pk}")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"detail": "Usulan tidak ditemukan."})

    def test_candidate_names_only_for_the_appointee_and_nothing_personal(self) -> None:
        texts = [
            json.dumps(self.api("/proposals"), ensure_ascii=False),
            json.dumps(self.api("/acting"), ensure_ascii=False),
        ]
        texts += [
            json.dumps(self.api(f"/proposals/{p.pk}"), ensure_ascii=False)
            for p in (self.submitted, self.approved, self.appointed, self.rejected)
        ]
        texts.append(json.dumps(self.api("/periods"), ensure_ascii=False))
        for text in texts:
            self.assertNothingPersonal(text)
            for person in (
                self.draft_candidate,
                self.submitted_candidate,
                self.approved_candidate,
                self.runner_up,
                self.rejected_candidate,
            ):
                self.assertNotIn(person.name, text)
            self.assertNotIn("checks", text)
            self.assertNotIn("employee", text)
        self.assertIn("Yohanes Nama Terangkat", texts[0])

    def test_filters_and_pages(self) -> None:
        self.assertEqual([i["id"] for i in self.api("/proposals", status=S.APPOINTED)["items"]], [self.appointed.pk])
        self.assertEqual([i["id"] for i in self.api("/proposals", opd=self.social.pk)["items"]], [self.approved.pk])
        self.assertEqual(self.api("/proposals", level="administrator")["count"], 2)
        self.assertEqual(self.api("/proposals", period="lain")["count"], 0)
        first, second = self.api("/proposals", page_size=3), self.api("/proposals", page_size=3, page=2)
        self.assertEqual((first["count"], first["pages"], len(first["items"]), len(second["items"])), (4, 2, 3, 1))
        self.assertEqual(self.api("/proposals", page=9)["items"], [])
        self.assertEqual(self.anonymous.get(f"{API}/proposals", {"status": "entah"}).status_code, 422)

    def test_periods_give_the_rules_and_the_quota_use(self) -> None:
        [period] = self.api("/periods")
        self.assertEqual((period["code"], period["version"], period["in_force"]), (CODE, 1, True))
        self.assertEqual([lv["code"] for lv in period["approval_levels"]], ["jpt_pratama", "administrator", "pengawas"])
        self.assertEqual(period["others_from"], "2024-12-01")
        quotas = {q["code"]: (q["used"], q["limit"], q["left"]) for q in period["quotas"]}
        self.assertEqual(quotas, {"eselon_ii": (1, 3, 2), "eselon_iii_iv": (3, 15, 12)})
        services.revise_period(
            CODE, by=self.bkpsdm, reason="Kuota eselon II menjadi 2", quotas=[{**QUOTAS[0], "limit": 2}, QUOTAS[1]]
        )
        [period] = self.api("/periods")
        self.assertEqual(
            (period["version"], period["reason"], period["quotas"][0]["left"]), (2, "Kuota eselon II menjadi 2", 1)
        )

    def test_acting_officials_in_force(self) -> None:
        data = self.api("/acting")
        self.assertEqual((data["on"], data["open"], data["covered"]), ("2024-10-17", 5, 1))
        [row] = data["assignments"]
        self.assertEqual(row["position"]["name"], "Kepala Badan Penanggulangan Bencana")
        self.assertEqual(row["kind"], {"code": "plt", "label": "Pelaksana Tugas (Plt)"})
        self.assertEqual(
            (row["official_name"], row["starts_on"], row["ends_on"]), ("Kepala Dinkes", "2024-09-02", "2024-12-01")
        )

    def test_the_list_costs_the_same_queries_however_many_proposals(self) -> None:
        with CaptureQueriesContext(connection) as before:
            self.api("/proposals")
        for number in range(3):
            proposal = self.proposal(f"Kepala Seksi API {number}", "pengawas")
            self.take(proposal, upto=S.APPROVED)
        with CaptureQueriesContext(connection) as after:
            self.assertEqual(self.api("/proposals")["count"], 7)
        self.assertEqual(len(after.captured_queries), len(before.captured_queries))
        self.assertLessEqual(len(after.captured_queries), 8)

    def test_a_logged_in_user_reads_the_same_and_nothing_more(self) -> None:
        client = self.client_for(self.bkpsdm)
        data = client.get(f"{API}/proposals").json()
        self.assertEqual(data, self.api("/proposals"))

    def test_the_public_api_is_throttled(self) -> None:
        statuses = [self.anonymous.get(f"{API}/periods").status_code for _ in range(61)]
        self.assertEqual(statuses[:60], [200] * 60)
        self.assertEqual(statuses[60], 429)
        self.assertEqual(
            self.anonymous.get(f"{API}/periods").json()["detail"], "Terlalu banyak permintaan; coba lagi sebentar lagi."
        )


# --- on a 360-px phone ----------------------------------------------------------------------------------


@pytest.fixture
def city(transactional_db: None, settings: Any, tmp_path: Any) -> Iterator[dict[str, Any]]:
    settings.PAMONG_BUSINESS_DATE = "2024-10-17"
    settings.PAMONG_LEDGER_KEY_FILE = tmp_path / "ledger.pem"
    ledger._load_private_key.cache_clear()
    cache.clear()
    pemda = Pemda.objects.create(code="53.71", name="Pemerintah Kota Kupang", short_name="Kota Kupang")
    health = OPD.objects.create(
        pemda=pemda, code="dinkes", name="Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana", kind="dinas"
    )
    personnel = OPD.objects.create(pemda=pemda, code="bkppd", name="BKPPD", kind="badan")
    bkpsdm = make_user(make_employee(personnel, "Analis"), roles=((Role.BKPSDM, None),))
    sekda = make_user(make_employee(personnel, "Sekda"), roles=((Role.SEKDA, None),))
    mayor = make_user(username="wali.kota", roles=((Role.WALI_KOTA, None),))
    make_period(bkpsdm)
    post = Position.objects.create(
        opd=health,
        name="Kepala Bidang Pencegahan dan Pengendalian Penyakit Menular",
        level="administrator",
        grade="III.a",
    )
    vacancy = services.open_vacancy(post, by=bkpsdm, since=dt.date(2024, 9, 1), reason="pensiun", field="kesehatan")
    proposal = services.draft_proposal(
        vacancy, by=bkpsdm, urgency=["layanan_terhenti", "pa_kpa"], justification=LONG_REASON
    )
    official = qualified_official(health, "Maria Goreti Bataona", level="administrator")
    services.add_candidate(proposal, official, by=bkpsdm)
    services.submit_proposal(proposal, by=bkpsdm)
    services.approve_by_sekda(proposal, by=sekda)
    services.approve_by_mayor(proposal, by=mayor)
    services.send_to_kemendagri(proposal, by=bkpsdm, letter_number="100.2/412/BKPPD/2024")
    services.record_decision(proposal, by=bkpsdm, approved=True, letter_number="100.2.2.6/7001/SJ", letter_date=DAY)
    services.record_appointment(proposal, by=bkpsdm, decree_number="800.1.3.3/SK/117/2024", decree_date=DAY)
    yield {"proposal": proposal}
    ledger._load_private_key.cache_clear()


@pytest.mark.browser
def test_the_page_reads_on_a_phone_and_its_receipts_open(live_server: Any, city: dict[str, Any], phone: Phone) -> None:
    page = phone.page
    page.goto(f"{live_server}{PAGE}")
    sync_api.expect(page.locator("h1")).to_have_text("Pengisian jabatan")
    card = page.locator(f"[data-proposal='{city['proposal'].pk}']")
    sync_api.expect(card).to_contain_text("Maria Goreti Bataona")
    no_horizontal_scroll(page)
    card.locator("summary").click()
    no_horizontal_scroll(page)
    with page.expect_navigation():
        card.locator("a.receipt-code").first.click()
    sync_api.expect(page.locator("body")).to_contain_text("Langkah usulan pengisian jabatan")
    page.goto(f"{live_server}{PAGE}{city['proposal'].pk}/")
    sync_api.expect(page.locator("h1")).to_contain_text("Pengendalian Penyakit Menular")
    no_horizontal_scroll(page)
    assert phone.csp_violations == []
    assert phone.failed_requests == []
