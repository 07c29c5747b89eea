"""A first walk through the staffing services (issue 6, first part); the full suite follows."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import TestCase

from pamong.core import ledger
from pamong.core.testing import CastMixin
from pamong.organisation.models import Position
from pamong.staffing import services
from pamong.staffing.models import Proposal, Vacancy
from pamong.staffing.testing import QUOTAS_2024, pre_election_period, qualified_official

DAY = dt.date(2024, 10, 17)


class StaffingWalkTests(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        pre_election_period(cls.bkpsdm, quotas=[{**QUOTAS_2024[0], "limit": 1}])

    def vacancy(self, name: str) -> Vacancy:
        post = Position.objects.create(opd=self.health, name=name, level="jpt_pratama", grade="II.b")
        return services.open_vacancy(post, by=self.bkpsdm, since=dt.date(2024, 9, 1), reason="pensiun")

    def test_the_quota_refuses_the_next_proposal_and_names_who_holds_it(self) -> None:
        first = services.draft_proposal(self.vacancy("Kepala A"), by=self.bkpsdm, urgency=["pa_kpa"], justification="")
        services.submit_proposal(first, by=self.bkpsdm, today=DAY)
        second = services.draft_proposal(self.vacancy("Kepala B"), by=self.bkpsdm, urgency=["pa_kpa"], justification="")
        with self.assertRaisesMessage(ValidationError, "sudah penuh: 1 dari 1 usulan terpakai"):
            services.submit_proposal(second, by=self.bkpsdm, today=DAY)
        second.refresh_from_db()
        self.assertEqual(second.status, Proposal.Status.DRAFT)

    def test_without_urgency_a_vacancy_waits_for_the_queue_date(self) -> None:
        draft = services.draft_proposal(self.vacancy("Kepala C"), by=self.bkpsdm, urgency=[], justification="")
        with self.assertRaisesMessage(ValidationError, "baru dapat diusulkan mulai 1 Desember 2024"):
            services.submit_proposal(draft, by=self.bkpsdm, today=DAY)

    def test_no_appointment_without_the_ministers_approval(self) -> None:
        proposal = services.draft_proposal(
            self.vacancy("Kepala D"), by=self.bkpsdm, urgency=["amanat_uu"], justification=""
        )
        services.submit_proposal(proposal, by=self.bkpsdm, today=DAY)
        services.approve_by_sekda(proposal, by=self.sekda, today=DAY)
        services.approve_by_mayor(proposal, by=self.mayor, today=DAY)
        with self.assertRaisesMessage(ValidationError, "perlu persetujuan tertulis Mendagri"):
            services.record_appointment(proposal, by=self.bkpsdm, decree_number="SK/1", decree_date=DAY)
        services.send_to_kemendagri(proposal, by=self.bkpsdm, today=DAY)
        services.record_decision(
            proposal, by=self.bkpsdm, approved=True, letter_number="100.2.2.6/999/SJ", letter_date=DAY
        )
        official = qualified_official(self.health, "Calon Kepala D", field=proposal.vacancy.field, on=DAY)
        services.add_candidate(proposal, official, by=self.bkpsdm, today=DAY)
        services.record_appointment(proposal, by=self.bkpsdm, decree_number="SK/1", decree_date=DAY)
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, Proposal.Status.APPOINTED)
        self.assertEqual(proposal.steps.count(), 6)
        self.assertTrue(ledger.verify_ledger().ok)

    def test_one_vacancy_has_one_live_proposal_at_a_time(self) -> None:
        vacancy = self.vacancy("Kepala E")
        first = services.draft_proposal(vacancy, by=self.bkpsdm, urgency=["pa_kpa"], justification="")
        with self.assertRaisesMessage(ValidationError, "sudah punya usulan yang berjalan"):
            services.draft_proposal(vacancy, by=self.bkpsdm, urgency=["pa_kpa"], justification="")
        services.withdraw(first, by=self.bkpsdm, reason="Salah jabatan", today=DAY)
        second = services.draft_proposal(vacancy, by=self.bkpsdm, urgency=["pa_kpa"], justification="")
        self.assertEqual(second.status, Proposal.Status.DRAFT)
