"""The queue of vacancies that wait for the date other vacancies may be proposed (issue 6, point 6),
and acting assignments as ledger entries (point 2, "every step public")."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import TestCase

from pamong.core import ledger
from pamong.core.models import LedgerEntry, Notification
from pamong.core.testing import CastMixin, make_employee
from pamong.organisation.models import Position
from pamong.staffing import acting, services
from pamong.staffing.models import ActingAssignment, ActingExtension, Vacancy
from pamong.staffing.testing import QUOTAS_2024, pre_election_period

OCTOBER = dt.date(2024, 10, 17)
DECEMBER_1 = dt.date(2024, 12, 1)


class QueueCase(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        pre_election_period(cls.bkpsdm, approval_levels=["jpt_pratama"], quotas=QUOTAS_2024[:1])

    _posts = iter(range(1, 10**6))

    def vacancy(self, level: str = "pengawas") -> Vacancy:
        grade = {"pengawas": "IV.a", "administrator": "III.a", "jpt_pratama": "II.b"}[level]
        post = Position.objects.create(
            opd=self.health, name=f"Kepala Seksi {next(self._posts)}", level=level, grade=grade
        )
        return services.open_vacancy(post, by=self.bkpsdm, since=dt.date(2024, 9, 2), reason="pensiun")


class QueueTests(QueueCase):
    def test_a_vacancy_waits_until_the_periods_date(self) -> None:
        vacancy = services.queue_vacancy(self.vacancy(), by=self.bkpsdm, today=OCTOBER)
        self.assertEqual((vacancy.queued_until, vacancy.released_on), (DECEMBER_1, None))

    def test_no_queue_on_or_after_the_date_and_only_bkpsdm_queues(self) -> None:
        vacancy = self.vacancy()
        with self.assertRaisesMessage(ValidationError, "boleh langsung diusulkan"):
            services.queue_vacancy(vacancy, by=self.bkpsdm, today=DECEMBER_1)
        with self.assertRaises(PermissionDenied):
            services.queue_vacancy(vacancy, by=self.sekda, today=OCTOBER)
        self.assertIsNone(Vacancy.objects.get(pk=vacancy.pk).queued_until)

    def test_a_vacancy_with_a_live_proposal_is_not_queued(self) -> None:
        vacancy = self.vacancy()
        services.draft_proposal(vacancy, by=self.bkpsdm, urgency=["pa_kpa"], justification="", today=OCTOBER)
        with self.assertRaisesMessage(ValidationError, "sudah punya usulan"):
            services.queue_vacancy(vacancy, by=self.bkpsdm, today=OCTOBER)

    def test_the_release_waits_for_the_date_then_tells_every_bkpsdm_user_once(self) -> None:
        queued = [services.queue_vacancy(self.vacancy(), by=self.bkpsdm, today=OCTOBER) for _ in range(3)]
        self.assertEqual(services.release_queue(today=dt.date(2024, 11, 30)), [])
        self.assertFalse(Notification.objects.exists())
        released = services.release_queue(today=DECEMBER_1)
        self.assertEqual({v.pk for v in released}, {v.pk for v in queued})
        self.assertEqual(set(Vacancy.objects.values_list("released_on", flat=True)), {DECEMBER_1})
        notes = list(Notification.objects.all())
        self.assertEqual([n.user for n in notes], [self.bkpsdm])
        self.assertIn("3 jabatan boleh diusulkan", notes[0].title)
        self.assertIn(queued[0].position.name, notes[0].body)
        self.assertEqual(notes[0].url, "/kepegawaian/lowongan/?antrean=dilepas")
        # Run again: nothing new, nobody told twice.
        self.assertEqual(services.release_queue(today=dt.date(2024, 12, 2)), [])
        self.assertEqual(Notification.objects.count(), 1)

    def test_after_the_release_the_vacancy_is_proposed_without_urgency(self) -> None:
        vacancy = services.queue_vacancy(self.vacancy(), by=self.bkpsdm, today=OCTOBER)
        draft = services.draft_proposal(vacancy, by=self.bkpsdm, urgency=[], justification="", today=OCTOBER)
        with self.assertRaisesMessage(ValidationError, "baru dapat diusulkan mulai 1 Desember 2024"):
            services.submit_proposal(draft, by=self.bkpsdm, today=OCTOBER)
        services.release_queue(today=DECEMBER_1)
        services.submit_proposal(draft, by=self.bkpsdm, today=DECEMBER_1)
        vacancy.refresh_from_db()
        self.assertIsNone(vacancy.queued_until)  # left the queue with its proposal
        self.assertEqual(vacancy.released_on, DECEMBER_1)

    def test_the_daily_command_releases_and_reports(self) -> None:
        services.queue_vacancy(self.vacancy(), by=self.bkpsdm, today=OCTOBER)
        out = StringIO()
        call_command("staffing_tick", today="2024-12-01", stdout=out)
        self.assertIn("Lowongan dilepas dari antrean: 1", out.getvalue())
        self.assertEqual(Notification.objects.count(), 1)


class ActingLedgerTests(QueueCase):
    def test_an_assignment_and_its_extension_are_two_ledger_entries_that_stay_verifiable(self) -> None:
        vacancy = self.vacancy()
        official_post = Position.objects.create(
            opd=self.health, name="Kepala Seksi Gizi", level="pengawas", grade="IV.a"
        )
        official = make_employee(self.health, "Kepala Seksi Gizi", position=official_post)
        before = LedgerEntry.objects.count()
        assignment = acting.assign_acting(
            vacancy, official, "plt", dt.date(2024, 10, 1), dt.date(2024, 12, 31), by=self.bkpsdm
        )
        entry = LedgerEntry.objects.order_by("-index").first()
        assert entry is not None
        self.assertEqual(entry.kind, "staffing.acting")
        acting.extend_acting(assignment, dt.date(2025, 3, 31), by=self.bkpsdm, today=dt.date(2024, 12, 20))
        self.assertEqual(LedgerEntry.objects.count(), before + 2)
        self.assertEqual(LedgerEntry.objects.order_by("-index").first().kind, "staffing.acting_extension")  # type: ignore[union-attr]
        extension = ActingExtension.objects.get(assignment=assignment)
        self.assertEqual((extension.from_ends_on, extension.ends_on), (dt.date(2024, 12, 31), dt.date(2025, 3, 31)))
        assignment = ActingAssignment.objects.get(pk=assignment.pk)
        self.assertEqual((assignment.first_ends_on, assignment.ends_on), (dt.date(2024, 12, 31), dt.date(2025, 3, 31)))
        # The assignment's entry vouches for the term as assigned, so the extension leaves it valid.
        self.assertTrue(ledger.verify_ledger().ok)

    def test_a_refused_assignment_leaves_no_entry(self) -> None:
        before = LedgerEntry.objects.count()
        with self.assertRaises(ValidationError):
            acting.assign_acting(
                self.vacancy(), make_employee(self.health, "Pelaksana"), "plt", OCTOBER, OCTOBER, by=self.bkpsdm
            )
        self.assertEqual(LedgerEntry.objects.count(), before)


class ActingOfficialCannotAppointTests(QueueCase):
    def test_a_plt_sekda_cannot_approve_an_appointment_proposal(self) -> None:
        # The Sekda's own definitive post is an Administrator post; acting as Plt of a vacant JPT post
        # makes them an acting official, who may not take appointment decisions (SE BKN 1/SE/I/2021).
        sekda_employee = self.sekda.employee
        assert sekda_employee is not None
        own_post = Position.objects.create(
            opd=self.setda, name="Asisten Pemerintahan", level="jpt_pratama", grade="II.a"
        )
        sekda_employee.position = own_post
        sekda_employee.save()
        vacant = Position.objects.create(opd=self.setda, name="Staf Ahli", level="jpt_pratama", grade="II.b")
        vacancy = services.open_vacancy(vacant, by=self.bkpsdm, since=dt.date(2024, 9, 2), reason="pensiun")
        acting.assign_acting(
            vacancy, sekda_employee, "plt", dt.date(2024, 10, 1), dt.date(2024, 12, 31), by=self.bkpsdm
        )
        proposal = services.draft_proposal(
            self.vacancy(), by=self.bkpsdm, urgency=["pa_kpa"], justification="", today=OCTOBER
        )
        services.submit_proposal(proposal, by=self.bkpsdm, today=OCTOBER)
        with self.assertRaisesMessage(PermissionDenied, "tidak berwenang mengangkat pegawai dalam jabatan"):
            services.approve_by_sekda(proposal, by=self.sekda, today=OCTOBER)
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "diajukan")
        # Once the acting term is over, the same person approves.
        services.approve_by_sekda(proposal, by=self.sekda, today=dt.date(2025, 1, 2))
