"""The report of an appointment to Kemendagri within 7 working days of the decree, where the
Minister's approval was needed (SE Mendagri 100.2.1.3/1575/SJ; regulations.md §3)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import TestCase

from pamong.core import ledger
from pamong.core.models import LedgerEntry
from pamong.core.testing import CastMixin
from pamong.organisation.models import Position
from pamong.staffing import services
from pamong.staffing.models import Proposal
from pamong.staffing.testing import pre_election_period, qualified_official

DAY = dt.date(2024, 10, 17)  # a Thursday
DECREE = dt.date(2024, 10, 21)  # a Monday: 7 working days later is Wednesday 30 October


class ReportCase(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        pre_election_period(cls.bkpsdm, approval_levels=["jpt_pratama"], quotas=[])

    _n = iter(range(1, 10**6))

    def appointed(self, level: str = "jpt_pratama", *, approve: bool = True) -> Proposal:
        grade = {"jpt_pratama": "II.b", "pengawas": "IV.a"}[level]
        post = Position.objects.create(opd=self.health, name=f"Jabatan {next(self._n)}", level=level, grade=grade)
        vacancy = services.open_vacancy(post, by=self.bkpsdm, since=dt.date(2024, 9, 2), reason="pensiun")
        proposal = services.draft_proposal(vacancy, by=self.bkpsdm, urgency=["pa_kpa"], justification="", today=DAY)
        services.submit_proposal(proposal, by=self.bkpsdm, today=DAY)
        services.approve_by_sekda(proposal, by=self.sekda, today=DAY)
        services.approve_by_mayor(proposal, by=self.mayor, today=DAY)
        if approve:
            services.send_to_kemendagri(proposal, by=self.bkpsdm, today=DAY)
            services.record_decision(
                proposal, by=self.bkpsdm, approved=True, letter_number="100.2.2.6/1/SJ", letter_date=DAY, today=DAY
            )
        official = qualified_official(self.health, f"Calon {next(self._n)}", level=level, field="umum", on=DAY)
        services.add_candidate(proposal, official, by=self.bkpsdm, today=DAY)
        return services.record_appointment(
            proposal, by=self.bkpsdm, decree_number="SK/1", decree_date=DECREE, today=DECREE
        )

    def report(self, proposal: Proposal, on: dt.date, letter: str = "800/77/BKPPD/2024") -> Proposal:
        return services.record_report_to_kemendagri(
            proposal, by=self.bkpsdm, reported_on=on, letter_number=letter, today=dt.date(2024, 12, 31)
        )


class ReportTests(ReportCase):
    def test_the_last_day_is_seven_working_days_after_the_decree(self) -> None:
        self.assertEqual(self.appointed().report_due_on, dt.date(2024, 10, 30))

    def test_no_report_is_due_where_no_approval_was_needed(self) -> None:
        proposal = self.appointed("pengawas", approve=False)
        self.assertIsNone(proposal.report_due_on)
        with self.assertRaisesMessage(ValidationError, "Hanya pengangkatan yang memerlukan persetujuan Mendagri"):
            self.report(proposal, DECREE)

    def test_a_report_in_time_is_a_ledger_entry_and_is_recorded_once(self) -> None:
        proposal = self.appointed()
        before = LedgerEntry.objects.count()
        proposal = self.report(proposal, dt.date(2024, 10, 30))
        self.assertEqual(LedgerEntry.objects.count(), before + 1)
        step = proposal.steps.order_by("-id").first()
        assert step is not None
        self.assertEqual(step.facts, {"reported_on": "2024-10-30", "letter": "800/77/BKPPD/2024", "late": False})
        self.assertEqual(proposal.status, Proposal.Status.APPOINTED)
        with self.assertRaisesMessage(ValidationError, "sudah dicatat"):
            self.report(proposal, dt.date(2024, 10, 30))
        self.assertTrue(ledger.verify_ledger().ok)

    def test_a_late_report_is_recorded_and_marked_late(self) -> None:
        proposal = self.appointed()
        self.assertEqual([p.pk for p in services.overdue_reports(dt.date(2024, 10, 31))], [proposal.pk])
        self.assertEqual(list(services.overdue_reports(dt.date(2024, 10, 30))), [])
        proposal = self.report(proposal, dt.date(2024, 10, 31))
        self.assertTrue(proposal.steps.order_by("-id")[0].facts["late"])
        self.assertEqual(list(services.overdue_reports(dt.date(2024, 11, 30))), [])

    def test_a_report_needs_its_letter_and_a_date_between_the_decree_and_today(self) -> None:
        proposal = self.appointed()
        for on, letter, message in (
            (DECREE, "", "Catat nomor dan tanggal surat laporan"),
            (dt.date(2024, 10, 20), "800/1", "antara tanggal SK dan hari ini"),
            (dt.date(2025, 1, 2), "800/1", "antara tanggal SK dan hari ini"),
        ):
            with self.subTest(on=on, letter=letter), self.assertRaisesMessage(ValidationError, message):
                self.report(proposal, on, letter)
        proposal.refresh_from_db()
        self.assertIsNone(proposal.reported_on)
