"""Staffing acts on the public verification page: in words, with nothing a citizen must decode, and
the rules themselves (each policy period version) in the ledger beside the acts taken under them."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from pamong.core import ledger
from pamong.core.models import LedgerEntry
from pamong.core.testing import CastMixin, make_employee
from pamong.organisation.models import Position
from pamong.staffing import acting, services
from pamong.staffing.testing import QUOTAS_2024, pre_election_period

DAY = dt.date(2024, 10, 17)


class LedgerWordsTests(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        pre_election_period(cls.bkpsdm, approval_levels=["jpt_pratama"], quotas=QUOTAS_2024[:1])

    def page(self, entry: LedgerEntry) -> str:
        response = self.client.get(f"/verifikasi/{ledger.format_receipt_code(entry.receipt_code)}/")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def latest(self, kind: str) -> LedgerEntry:
        entry = LedgerEntry.objects.filter(kind=kind).order_by("-index").first()
        assert entry is not None
        return entry

    def test_each_period_version_is_an_entry_that_reads_as_its_rules(self) -> None:
        services.revise_period("pra-pilkada-2024", by=self.bkpsdm, reason="Penarikan mengembalikan kuota.")
        self.assertEqual(LedgerEntry.objects.filter(kind="staffing.policy_period").count(), 2)
        page = self.page(self.latest("staffing.policy_period"))
        for words in (
            "Masa pra-Pilkada 2024 (versi 2)",
            "22 Maret 2024",
            "JPT Pratama (eselon II)",
            "eselon II: ≤ 3",
            "1 Desember 2024",
            "Arahan Kemendagri kepada Pemda, Juli 2024",
            "Penarikan mengembalikan kuota.",
        ):
            self.assertIn(words, page)
        self.assertTrue(ledger.verify_ledger().ok)

    def test_a_proposal_step_reads_as_post_agency_status_and_date_and_a_withdrawal_keeps_its_reason(self) -> None:
        post = Position.objects.create(opd=self.health, name="Kepala Bidang Gizi", level="jpt_pratama", grade="II.b")
        vacancy = services.open_vacancy(post, by=self.bkpsdm, since=dt.date(2024, 9, 2), reason="pensiun")
        proposal = services.draft_proposal(vacancy, by=self.bkpsdm, urgency=["pa_kpa"], justification="", today=DAY)
        services.submit_proposal(proposal, by=self.bkpsdm, today=DAY)
        page = self.page(self.latest("staffing.proposal_step"))
        for words in (
            "Kepala Bidang Gizi",
            "Dinas Kesehatan",
            "Draf → Diajukan BKPSDM",
            "17 Oktober 2024",
            "eselon_ii",
        ):
            self.assertIn(words, page)
        services.withdraw(proposal, by=self.bkpsdm, reason="Cukup dengan Plt sampai Desember.", today=DAY)
        self.assertEqual(proposal.steps.order_by("-id")[0].facts["reason"], "Cukup dengan Plt sampai Desember.")
        self.assertIn("Cukup dengan Plt sampai Desember.", self.page(self.latest("staffing.proposal_step")))

    def test_an_acting_assignment_and_its_extension_read_in_words(self) -> None:
        post = Position.objects.create(opd=self.health, name="Kepala Seksi Gizi", level="pengawas", grade="IV.a")
        vacancy = services.open_vacancy(post, by=self.bkpsdm, since=dt.date(2024, 9, 2), reason="mutasi")
        own = Position.objects.create(opd=self.health, name="Kepala Seksi Rujukan", level="pengawas", grade="IV.a")
        official = make_employee(self.health, "Yohana Bessie", position=own)
        assignment = acting.assign_acting(
            vacancy, official, "plt", dt.date(2024, 10, 1), dt.date(2024, 12, 31), by=self.bkpsdm
        )
        page = self.page(self.latest("staffing.acting"))
        for words in (
            "Kepala Seksi Gizi",
            "Pelaksana Tugas (Plt)",
            "Yohana Bessie",
            "1 Oktober 2024",
            "31 Desember 2024",
        ):
            self.assertIn(words, page)
        self.assertNotIn(official.identity_number, page)
        acting.extend_acting(assignment, dt.date(2025, 3, 31), by=self.bkpsdm, today=dt.date(2024, 12, 20))
        page = self.page(self.latest("staffing.acting_extension"))
        self.assertIn("31 Maret 2025", page)
        self.assertIn("31 Desember 2024", page)
