"""Confidential reports as services: who receives a report's key, the legal flow step by step, the
ledger, deadlines, retention, handlers' keys, receipts and the published counts.

Every class runs on the business date 17 October 2024, with the stage deadlines, reminder window and
retention fixed here (not read from the shell). Handlers get their key pair the way a login makes it,
with ``keyring.key_for_password``, before any report arrives: intake can only share a report with
someone who already holds a key.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory, TestCase, override_settings
from django.utils import timezone, translation
from nacl.public import PrivateKey

from pamong.cases import crypto, keyring, services
from pamong.cases.models import (
    Assignment,
    Attachment,
    Examiner,
    HandlerKey,
    Kind,
    Message,
    Outcome,
    RecoveryKey,
    Report,
    Stage,
    Track,
    Transition,
    transition_payload,
)
from pamong.cases.tests.test_attachments import photo_with_gps
from pamong.core import ledger
from pamong.core.models import LedgerEntry, Notification
from pamong.core.testing import PASSWORD, CastMixin, make_employee, make_user
from pamong.core.workdays import add_working_days
from pamong.organisation.models import OPD, Position, Role, RoleGrant, User
from pamong.organisation.signals import password_verified

TODAY = dt.date(2024, 10, 17)
DEADLINES = {"diterima": 2, "verifikasi": 7, "pemeriksaan": 14, "rekomendasi": 14, "diputus": 7}
RETENTION_DAYS = 30
MARKER = "PENANDALAYANAN4K7Z"


def answers(kind: str, marker: str = MARKER) -> dict[str, Any]:
    """A complete, valid set of facts for each kind."""
    values: dict[str, Any] = {
        "what": f"Saya diminta mendukung calon tertentu {marker}",
        "who": "Kepala Bidang di kantor",
        "when": "2024-10-10",
        "where": "Ruang rapat lantai 2",
    }
    if kind == Kind.TEKANAN:
        values["pressure_form"] = "ajakan_dukung"
    elif kind == Kind.NETRALITAS:
        values |= {"act": "alat_peraga", "candidate": "Pasangan calon nomor 1"}
    elif kind == Kind.CALO:
        values |= {
            "selection": "cpns",
            "promise": "Pasti lulus CPNS",
            "contact_method": "telepon",
            "amount": "50000000",
        }
    return values


def submit(kind: str = Kind.INTEGRITAS, *, today: dt.date = TODAY, **extra: Any) -> services.Submitted:
    return services.submit_report(kind=kind, answers=answers(kind), today=today, **extra)


@override_settings(
    PAMONG_BUSINESS_DATE=TODAY.isoformat(),
    PAMONG_CASE_DEADLINES=DEADLINES,
    PAMONG_CASE_REMIND_DAYS=2,
    PAMONG_CASE_RETENTION_DAYS=RETENTION_DAYS,
    PAMONG_EXTRA_HOLIDAYS=[],
)
class CasesTestCase(CastMixin, TestCase):
    """The cast, a second Inspektorat auditor, and the handlers' keys made as a login makes them."""

    inspector2: ClassVar[User]
    keys: ClassVar[dict[int, bytes]]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        cls.inspector2 = make_user(
            make_employee(cls.inspectorate, "Auditor Inspektorat"), roles=((Role.INSPEKTORAT, None),)
        )
        cls.keys = {}
        for user in (cls.inspector, cls.inspector2, cls.bkpsdm, cls.mayor):
            cls.give_key(user)

    @classmethod
    def give_key(cls, user: User) -> None:
        user.forget_roles()
        private_key = keyring.key_for_password(user, PASSWORD)
        assert private_key is not None
        cls.keys[user.pk] = bytes(private_key)

    def setUp(self) -> None:
        self.enterContext(translation.override("id"))
        super().setUp()

    def key(self, user: User) -> PrivateKey:
        return PrivateKey(self.keys[user.pk])

    def inspectorate_head(self) -> User:
        """The Inspektur, who alone makes the recovery key."""
        post = Position.objects.create(
            opd=self.inspectorate, name="Inspektur", level="jpt_pratama", grade="II.b", is_head_of_opd=True
        )
        return make_user(
            make_employee(self.inspectorate, "Inspektur", position=post), roles=((Role.INSPEKTORAT, None),)
        )

    def handle(self, report: Report, user: User | None = None) -> services.HandlerAccess:
        user = user or self.inspector
        return services.open_as_handler(report.pk, user, self.key(user))

    def examined(
        self, report: Report, examiner: str = Examiner.INSPEKTORAT, *, identify: bool = True
    ) -> services.HandlerAccess:
        """Verified and under examination, by the inspector; the clerk is the reported employee unless
        ``identify`` is false."""
        access = self.handle(report)
        services.start_verification(access)
        if identify:
            services.identify(access, employee=self.clerk.employee, opd=None)
        services.begin_examination(access, examiner)
        return access

    def assigned(self, report: Report) -> dict[User, str]:
        return {a.user: a.role for a in Assignment.objects.filter(report=report).select_related("user")}

    def content(self, report: Report, user: User | None = None) -> dict[str, Any]:
        access = self.handle(report, user)
        return services.read_report(access.report, access.key, internal=True).content

    def snapshot(self, report: Report) -> tuple[Any, ...]:
        row = Report.objects.filter(pk=report.pk).values().get()
        return (
            {k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()},
            list(Transition.objects.filter(report=report).values_list("id", flat=True)),
            LedgerEntry.objects.count(),
            ledger.ledger_size(),
            sorted(Assignment.objects.filter(report=report).values_list("user_id", "role")),
        )


# --- intake -----------------------------------------------------------------------------------------


class IntakeTests(CasesTestCase):
    def test_intake_shares_the_key_with_two_inspectorate_handlers_and_notifies_them(self) -> None:
        submitted = submit(Kind.INTEGRITAS, opd=self.schools)
        report = submitted.report
        self.assertEqual(
            self.assigned(report),
            {self.inspector: Assignment.Role.PETUGAS, self.inspector2: Assignment.Role.PETUGAS},
        )
        # BKPSDM holds a key and has no conflict, but the Inspektorat is preferred at intake.
        self.assertIn(self.bkpsdm, services.eligible_handlers(report))
        self.assertEqual(report.stage, Stage.DITERIMA)
        notified = Notification.objects.filter(url__contains=str(report.pk))
        self.assertEqual(sorted(n.user_id for n in notified), sorted([self.inspector.pk, self.inspector2.pk]))
        for user in (self.inspector, self.inspector2):
            self.assertIn(MARKER, self.content(report, user)["facts"]["what"])

    def test_the_notification_says_a_report_came_but_not_what_it_says(self) -> None:
        report = submit(Kind.TEKANAN, opd=self.health, contact="WA 0812 PENANDAKONTAK").report
        notes = Notification.objects.filter(url__contains=str(report.pk))
        self.assertEqual(notes.count(), 3)  # two handlers and the Wali Kota
        for note in notes:
            text = f"{note.title} {note.body} {note.url}"
            self.assertIn(report.number, note.title)
            for secret in (MARKER, "PENANDAKONTAK", "Kepala Bidang", "Ruang rapat", "mendukung calon"):
                self.assertNotIn(secret, text)

    def test_a_pressure_report_goes_to_the_wali_kota_at_once(self) -> None:
        report = submit(Kind.TEKANAN, opd=self.health).report
        self.assertEqual(self.assigned(report)[self.mayor], Assignment.Role.PPK)
        self.assertTrue(Notification.objects.filter(user=self.mayor, url__contains=str(report.pk)).exists())
        self.assertIn(MARKER, self.content(report, self.mayor)["facts"]["what"])

    def test_a_reporter_can_keep_a_pressure_report_from_the_wali_kota(self) -> None:
        report = submit(Kind.TEKANAN, keep_from_mayor=True).report
        self.assertEqual(set(self.assigned(report)), {self.inspector, self.inspector2})
        self.assertFalse(Notification.objects.filter(user=self.mayor).exists())
        access = self.examined(report)
        with self.assertRaises(ValidationError) as caught:
            services.recommend(access, track=Track.ETIK, ethics_sanction="tertutup")
        self.assertIn("BKN", caught.exception.message_dict["track"][0])
        self.assertNotIn(self.mayor, self.assigned(report))
        services.forward(access, to="bkn")
        report.refresh_from_db()
        self.assertEqual(report.stage, Stage.DITERUSKAN)

    def test_other_kinds_do_not_reach_the_wali_kota_at_intake(self) -> None:
        for kind in (Kind.NETRALITAS, Kind.CALO, Kind.INTEGRITAS):
            with self.subTest(kind=kind):
                report = submit(kind, opd=self.health).report
                self.assertNotIn(self.mayor, self.assigned(report))
                self.assertFalse(Notification.objects.filter(user=self.mayor, url__contains=str(report.pk)).exists())
                with self.assertRaises(Http404):
                    self.handle(report, self.mayor)

    def test_intake_picks_the_least_loaded_handlers(self) -> None:
        inspector3 = make_user(make_employee(self.inspectorate, "Auditor Kedua"), roles=((Role.INSPEKTORAT, None),))
        self.give_key(inspector3)
        for _ in range(2):
            filler = Report.objects.create(kind=Kind.INTEGRITAS, received_on=TODAY, stage_since=TODAY)
            Assignment.objects.create(report=filler, user=self.inspector2, wrapped_key=b"x", assigned_on=TODAY)
        report = submit().report
        self.assertEqual(set(self.assigned(report)), {self.inspector, inspector3})
        # Closed cases are no load: once the fillers are closed, inspector2 is least loaded again.
        Report.objects.exclude(pk=report.pk).update(stage=Stage.SELESAI)
        Assignment.objects.create(
            report=Report.objects.create(kind=Kind.CALO, received_on=TODAY, stage_since=TODAY),
            user=inspector3,
            wrapped_key=b"x",
            assigned_on=TODAY,
        )
        self.assertEqual(set(self.assigned(submit().report)), {self.inspector2, self.inspector})

    def test_without_any_inspectorate_key_intake_falls_back_to_bkpsdm(self) -> None:
        HandlerKey.objects.filter(user__in=[self.inspector, self.inspector2]).delete()
        report = submit().report
        self.assertEqual(set(self.assigned(report)), {self.bkpsdm})

    def test_a_handler_without_a_key_cannot_be_given_the_report(self) -> None:
        newcomer = make_user(make_employee(self.inspectorate, "Auditor Baru"), roles=((Role.INSPEKTORAT, None),))
        report = submit().report
        self.assertNotIn(newcomer, self.assigned(report))
        with self.assertRaises(ValidationError) as caught:
            services.assign(self.handle(report), newcomer)
        self.assertIn("belum punya kunci", caught.exception.messages[0])
        self.assertFalse(Assignment.objects.filter(user=newcomer).exists())

    def test_a_named_reporter_is_in_the_sealed_content_only(self) -> None:
        report = submit(Kind.TEKANAN, reporter=self.ptt, contact="Telepon PENANDAKONTAK").report
        content = self.content(report)
        self.assertEqual(content["reporter"]["name"], self.ptt.full_name)
        self.assertEqual(content["contact"], "Telepon PENANDAKONTAK")
        row = Report.objects.filter(pk=report.pk).values().get()
        flat = repr({k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()})
        for secret in (self.ptt.full_name, self.ptt.employee.identity_number, "PENANDAKONTAK", MARKER):
            self.assertNotIn(secret, flat)

    def test_bad_facts_save_nothing(self) -> None:
        before = (Report.objects.count(), Transition.objects.count(), Notification.objects.count())
        with self.assertRaises(ValidationError) as caught:
            services.submit_report(kind=Kind.CALO, answers={"what": "<script>alert(1)</script>"}, today=TODAY)
        self.assertIn("what", caught.exception.message_dict)
        self.assertIn("selection", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            services.submit_report(kind=Kind.INTEGRITAS, answers=answers(Kind.INTEGRITAS), files=[("x.exe", b"MZ")])
        self.assertEqual((Report.objects.count(), Transition.objects.count(), Notification.objects.count()), before)
        self.assertEqual(list(Path(settings.PAMONG_CASE_FILES).glob("*")), self._files_before)

    def setUp(self) -> None:
        super().setUp()
        Path(settings.PAMONG_CASE_FILES).mkdir(parents=True, exist_ok=True)
        self._files_before = list(Path(settings.PAMONG_CASE_FILES).glob("*"))


# --- conflicts of interest ------------------------------------------------------------------------


class ConflictTests(CasesTestCase):
    """A report about a clerk of the health office, whose chain of command runs
    Pengelola Kepegawaian → Kepala Subbagian Umum → Sekretaris Dinas → Kepala Dinas → Sekretaris Daerah.
    Everyone below holds an Inspektorat grant and a key, so only the conflict rule keeps them out."""

    suspect: ClassVar[User]
    subsection_chief: ClassVar[User]
    secretary: ClassVar[User]
    sekda_handler: ClassVar[User]
    service_chief: ClassVar[User]
    conflicted: ClassVar[list[User]]
    fillers: ClassVar[list[Any]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        sekda_post = Position.objects.create(
            opd=cls.setda, name="Sekretaris Daerah", level="jpt_pratama", grade="II.a", is_head_of_opd=True
        )
        cls.health_head_post.superior = sekda_post
        cls.health_head_post.save()
        subsection = Position.objects.create(
            opd=cls.health,
            name="Kepala Subbagian Umum",
            level="pengawas",
            grade="IV.a",
            superior=cls.health_secretary_post,
        )
        staff = Position.objects.create(
            opd=cls.health, name="Pengelola Kepegawaian", level="pelaksana", superior=subsection
        )
        service = Position.objects.create(
            opd=cls.health,
            name="Kepala Bidang Pelayanan Kesehatan",
            level="administrator",
            grade="III.a",
            superior=cls.health_head_post,
        )

        def handler(opd: OPD, name: str, position: Position) -> User:
            return make_user(make_employee(opd, name, position=position), roles=((Role.INSPEKTORAT, None),))

        cls.suspect = handler(cls.health, "Pegawai Terlapor", staff)
        cls.subsection_chief = handler(cls.health, "Kasubbag Umum", subsection)
        cls.secretary = handler(cls.health, "Sekretaris Dinkes", cls.health_secretary_post)
        cls.sekda_handler = handler(cls.setda, "Sekda Merangkap", sekda_post)
        cls.service_chief = handler(cls.health, "Kabid Pelayanan", service)
        RoleGrant.objects.create(user=cls.health_head, role=Role.INSPEKTORAT)
        cls.conflicted = [
            cls.suspect,
            cls.subsection_chief,
            cls.secretary,
            cls.sekda_handler,
            cls.service_chief,
            cls.health_head,
        ]
        for user in cls.conflicted:
            cls.give_key(user)
        # The clean auditors are busy, so the least-loaded rule alone would pick the conflicted ones.
        cls.fillers = []
        for _ in range(3):
            filler = Report.objects.create(kind=Kind.INTEGRITAS, received_on=TODAY, stage_since=TODAY)
            cls.fillers.append(filler.pk)
            for user in (cls.inspector, cls.inspector2):
                Assignment.objects.create(report=filler, user=user, wrapped_key=b"x", assigned_on=TODAY)

    def unload(self) -> None:
        """The clean auditors are free again and the others busy: the next report goes to the auditors."""
        Report.objects.filter(pk__in=self.fillers).update(stage=Stage.SELESAI)
        busy = Report.objects.create(kind=Kind.INTEGRITAS, received_on=TODAY, stage_since=TODAY)
        for user in self.conflicted:
            Assignment.objects.create(report=busy, user=user, wrapped_key=b"x", assigned_on=TODAY)

    def about_the_suspect(self, kind: str = Kind.INTEGRITAS) -> Report:
        return submit(kind, reported_number=self.suspect.employee.identity_number).report

    def test_the_conflict_rule_names_the_reason(self) -> None:
        report = self.about_the_suspect()
        self.assertEqual(report.reported_employee, self.suspect.employee)
        self.assertEqual(services.conflict_of(report, self.suspect), "terlapor sendiri")
        for user in (self.subsection_chief, self.secretary, self.health_head, self.sekda_handler):
            self.assertEqual(services.conflict_of(report, user), "atasan terlapor", user.full_name)
        report.opd = self.health
        self.assertEqual(services.conflict_of(report, self.service_chief), "pimpinan OPD terlapor")
        for user in (self.inspector, self.inspector2, self.bkpsdm, self.mayor, self.clerk):
            self.assertIsNone(services.conflict_of(report, user))

    def test_nobody_in_the_chain_of_command_is_assigned_at_intake(self) -> None:
        for kind in (Kind.INTEGRITAS, Kind.TEKANAN):
            with self.subTest(kind=kind):
                report = submit(kind, reported_number=self.suspect.employee.identity_number, opd=self.health).report
                handlers = {u for u, role in self.assigned(report).items() if role == Assignment.Role.PETUGAS}
                self.assertEqual(handlers, {self.inspector, self.inspector2})
                self.assertFalse(Assignment.objects.filter(report=report, user__in=self.conflicted).exists())
                self.assertFalse(Notification.objects.filter(user__in=self.conflicted).exists())
                eligible = services.eligible_handlers(report)
                self.assertFalse(set(eligible) & set(self.conflicted))

    def test_the_reported_opds_leadership_is_never_assigned_even_without_a_named_employee(self) -> None:
        report = submit(Kind.TEKANAN, opd=self.health).report
        leaders = [self.health_head, self.secretary, self.subsection_chief, self.service_chief]
        for user in leaders:
            self.assertEqual(services.conflict_of(report, user), "pimpinan OPD terlapor")
        self.assertFalse(Assignment.objects.filter(report=report, user__in=leaders).exists())
        # A staff member of the same OPD in no structural post is no leader, nor is the Sekda of
        # another OPD while nobody is named: being the least loaded, they receive it.
        self.assertIsNone(services.conflict_of(report, self.suspect))
        self.assertEqual(set(self.assigned(report)), {self.suspect, self.sekda_handler, self.mayor})

    def test_a_conflicted_handler_cannot_be_assigned_later(self) -> None:
        report = self.about_the_suspect()
        access = self.handle(report)
        for user in self.conflicted:
            with self.subTest(user=user.full_name), self.assertRaises(ValidationError) as caught:
                services.assign(access, user)
            self.assertIn(user.full_name, caught.exception.messages[0])
            self.assertIn("tidak boleh menangani", caught.exception.messages[0])
        self.assertFalse(Assignment.objects.filter(report=report, user__in=self.conflicted).exists())
        self.assertFalse(Notification.objects.filter(user__in=self.conflicted).exists())
        # The clean BKPSDM analyst can be added.
        services.assign(access, self.bkpsdm)
        self.assertIn(MARKER, self.content(report, self.bkpsdm)["facts"]["what"])

    def test_identifying_the_reported_employee_takes_the_key_from_their_chain(self) -> None:
        self.unload()
        report = submit().report  # nobody named yet: nobody is in conflict
        access = self.handle(report)
        chain = [self.subsection_chief, self.secretary, self.health_head, self.sekda_handler, self.service_chief]
        for user in chain:
            services.assign(access, user)
        self.assertIn(MARKER, self.content(report, self.health_head)["facts"]["what"])

        removed = services.identify(access, employee=self.suspect.employee, opd=None)

        self.assertEqual(set(removed), set(chain))
        report.refresh_from_db()
        self.assertEqual((report.reported_employee, report.opd), (self.suspect.employee, self.health))
        # Their wrapped copy of the report key is gone: nothing left for them to unwrap.
        self.assertFalse(Assignment.objects.filter(report=report, user__in=chain).exists())
        self.assertEqual(set(self.assigned(report)), {self.inspector, self.inspector2})
        for user in chain:
            with self.subTest(user=user.full_name), self.assertRaises(Http404):
                self.handle(report, user)

    def test_a_handler_in_the_chain_cannot_identify_and_keep_the_report(self) -> None:
        self.unload()
        report = submit().report
        services.assign(self.handle(report), self.subsection_chief)
        before = self.snapshot(report)
        with self.assertRaises(ValidationError):
            services.identify(self.handle(report, self.subsection_chief), employee=self.suspect.employee, opd=None)
        self.assertEqual(self.snapshot(report), before)

    def test_the_wali_kota_gets_the_recommendation_but_no_kepala_opd_ever_does(self) -> None:
        report = self.about_the_suspect()
        access = self.examined(report, identify=False)  # the reporter named the suspect
        services.recommend(access, track=Track.ETIK, ethics_sanction="tertutup")
        self.assertEqual(self.assigned(report)[self.mayor], Assignment.Role.PPK)
        self.assertFalse(Assignment.objects.filter(user=self.health_head).exists())
        self.assertFalse(Notification.objects.filter(user=self.health_head).exists())
        # A Kepala OPD without a handling role is no candidate at all.
        with self.assertRaises(ValidationError) as caught:
            services.assign(access, self.school_operator)
        self.assertIn("Hanya pegawai Inspektorat atau BKPSDM", caught.exception.messages[0])

    def test_recovery_skips_the_chain_of_command(self) -> None:
        text = services.create_recovery_key(self.inspectorate_head())
        report = self.about_the_suspect()
        self.assertEqual(services.recover_access(text, for_user=self.secretary), 0)
        self.assertFalse(Assignment.objects.filter(report=report, user=self.secretary).exists())


# --- the legal flow ----------------------------------------------------------------------------------


class TransitionTests(CasesTestCase):
    def new_entries(self, since: int) -> list[LedgerEntry]:
        return list(LedgerEntry.objects.filter(index__gte=since).order_by("index"))

    def assertStep(self, report: Report, step: Any, stage: str, *, by: User) -> Transition:
        """Run one step: one new Transition, exactly one new ledger entry (hashes only), a ledger that verifies."""
        size = ledger.ledger_size()
        transitions = Transition.objects.filter(report=report).count()
        step()
        report.refresh_from_db()
        self.assertEqual(report.stage, stage)
        self.assertEqual(Transition.objects.filter(report=report).count(), transitions + 1)
        transition = Transition.objects.filter(report=report).latest("id")
        self.assertEqual((transition.to_stage, transition.by), (stage, by))
        entries = self.new_entries(size)
        self.assertEqual(len(entries), 1)
        entry = entries[0]
        self.assertEqual(entry.kind, "cases.transition")
        self.assertEqual((entry.subject_type, entry.subject_id), ("cases.transition", str(transition.pk)))
        self.assertIsNone(entry.payload)  # no payload stored: the hash alone
        self.assertEqual(entry.content_hash, ledger.content_hash(transition_payload(transition)))
        self.assertNotIn(report.number, entry.leaf_input)
        self.assertTrue(ledger.verify_ledger().ok)
        return transition

    def test_every_step_in_order_is_one_transition_and_one_ledger_entry(self) -> None:
        report = submit(Kind.INTEGRITAS, opd=self.health).report
        access = self.handle(report)
        self.assertStep(report, lambda: services.start_verification(access), Stage.VERIFIKASI, by=self.inspector)
        services.identify(access, employee=self.clerk.employee, opd=None)  # not a step: no entry
        self.assertEqual(LedgerEntry.objects.count(), 1)
        step = self.assertStep(
            report,
            lambda: services.begin_examination(access, Examiner.INSPEKTORAT, note="Diperiksa Irban II"),
            Stage.PEMERIKSAAN,
            by=self.inspector,
        )
        self.assertEqual(step.facts, {"examiner": "inspektorat"})
        self.assertEqual(services.transition_note(report, access.key, step), "Diperiksa Irban II")
        self.assertNotIn(self.mayor, self.assigned(report))
        step = self.assertStep(
            report,
            lambda: services.recommend(
                access, track=Track.KEDUANYA, ethics_sanction="terbuka", discipline_sanction="teguran_tertulis"
            ),
            Stage.REKOMENDASI,
            by=self.inspector,
        )
        self.assertEqual((step.facts["track"], step.facts["discipline_level"]), ("keduanya", "ringan"))
        # The key goes to the Wali Kota, who decides as PPK.
        self.assertEqual(self.assigned(report)[self.mayor], Assignment.Role.PPK)
        self.assertTrue(Notification.objects.filter(user=self.mayor, url__contains=str(report.pk)).exists())
        decision = self.handle(report, self.mayor)
        self.assertStep(
            report,
            lambda: services.decide(decision, approve=True, discipline_sanction="tidak_puas"),
            Stage.DIPUTUS,
            by=self.mayor,
        )
        self.assertEqual(
            (report.outcome, report.ethics_sanction, report.discipline_sanction), ("sanksi", "terbuka", "tidak_puas")
        )
        self.assertStep(report, lambda: services.close(self.handle(report)), Stage.SELESAI, by=self.inspector)
        self.assertEqual(report.closed_on, TODAY)
        self.assertEqual(report.purge_on, TODAY + dt.timedelta(days=RETENTION_DAYS))
        self.assertIsNone(report.due_on)
        self.assertEqual(
            list(Transition.objects.filter(report=report).values_list("from_stage", "to_stage")),
            [
                ("", "diterima"),
                ("diterima", "verifikasi"),
                ("verifikasi", "pemeriksaan"),
                ("pemeriksaan", "rekomendasi"),
                ("rekomendasi", "diputus"),
                ("diputus", "selesai"),
            ],
        )

    def test_intake_enters_the_ledger_only_in_a_later_shuffled_batch_so_its_time_does_not_tell_when_it_was_sent(
        self,
    ) -> None:
        reports = [submit(kind).report for kind in (Kind.TEKANAN, Kind.CALO, Kind.INTEGRITAS)]
        self.assertEqual(LedgerEntry.objects.count(), 0)
        self.assertTrue(all(r.awaiting_ledger for r in reports))
        self.assertEqual(services.flush_intake_entries(), 3)
        intake = {t.pk for t in Transition.objects.filter(from_stage="")}
        entries = list(LedgerEntry.objects.all())
        self.assertEqual({int(e.subject_id) for e in entries}, intake)
        self.assertEqual({e.actor_role for e in entries}, {"sistem"})
        self.assertEqual(len({e.created_at for e in entries}), 1)  # one batch, one time for all
        self.assertTrue(all(e.payload is None for e in entries))
        self.assertFalse(Report.objects.filter(awaiting_ledger=True).exists())
        self.assertEqual(services.flush_intake_entries(), 0)
        self.assertTrue(ledger.verify_ledger().ok)

    def test_the_batch_order_is_shuffled(self) -> None:
        for _ in range(6):
            submit()
        with mock.patch("random.SystemRandom.shuffle", side_effect=lambda items: items.reverse()) as shuffle:
            services.flush_intake_entries()
        shuffle.assert_called_once()
        ordered = [int(e.subject_id) for e in LedgerEntry.objects.order_by("index")]
        self.assertEqual(ordered, sorted(ordered, reverse=True))

    def test_reject_and_forward_from_the_early_stages(self) -> None:
        for stage_steps in ([], ["verify"], ["verify", "examine"]):
            for action in ("reject", "forward"):
                with self.subTest(after=stage_steps, action=action):
                    report = submit().report
                    access = self.handle(report)
                    if "verify" in stage_steps:
                        services.start_verification(access)
                    if "examine" in stage_steps:
                        services.begin_examination(access, Examiner.INSPEKTORAT)
                    if action == "reject":
                        with self.assertRaises(ValidationError):
                            services.reject(access, reason="  ")  # the reporter reads the reason: required
                        self.assertStep(
                            report,
                            lambda access=access: services.reject(access, reason="Bukan wewenang Inspektorat"),
                            Stage.DITOLAK,
                            by=self.inspector,
                        )
                        self.assertEqual(report.outcome, Outcome.DITOLAK)
                    else:
                        with self.assertRaises(ValidationError):
                            services.forward(access, to="kpk")
                        self.assertStep(
                            report,
                            lambda access=access: services.forward(access, to="bawaslu"),
                            Stage.DITERUSKAN,
                            by=self.inspector,
                        )
                        self.assertEqual((report.outcome, report.forwarded_to), (Outcome.DITERUSKAN, "bawaslu"))
                    self.assertEqual(report.purge_on, TODAY + dt.timedelta(days=RETENTION_DAYS))

    def test_close_as_not_proven_from_examination_needs_a_reason(self) -> None:
        report = submit().report
        access = self.examined(report, identify=False)
        before = self.snapshot(report)
        with self.assertRaises(ValidationError) as caught:
            services.close(access)
        self.assertIn("note", caught.exception.message_dict)
        self.assertEqual(self.snapshot(report), before)
        self.assertStep(
            report, lambda: services.close(access, note="Bukti tidak cukup"), Stage.SELESAI, by=self.inspector
        )
        self.assertEqual((report.outcome, report.track), (Outcome.TIDAK_TERBUKTI, Track.TIDAK_TERBUKTI))

    def test_the_wali_kota_can_send_it_back_to_examination_with_a_reason(self) -> None:
        report = submit(Kind.TEKANAN).report
        access = self.examined(report, Examiner.ATASAN)
        services.recommend(access, track=Track.DISIPLIN, discipline_sanction="potong_tpp_6")
        decision = self.handle(report, self.mayor)
        before = self.snapshot(report)
        with self.assertRaises(ValidationError) as caught:
            services.decide(decision, approve=False)
        self.assertIn("note", caught.exception.message_dict)
        self.assertEqual(self.snapshot(report), before)
        step = self.assertStep(
            report,
            lambda: services.decide(decision, approve=False, note="Periksa lagi saksi kedua"),
            Stage.PEMERIKSAAN,
            by=self.mayor,
        )
        self.assertEqual(step.facts, {"returned": True})
        self.assertEqual(report.outcome, "")
        self.assertEqual(report.due_on, add_working_days(TODAY, DEADLINES["pemeriksaan"]))

    def test_a_decision_must_fit_the_track(self) -> None:
        report = submit(Kind.TEKANAN).report
        access = self.examined(report)
        services.recommend(access, track=Track.ETIK, ethics_sanction="tertutup")
        decision = self.handle(report, self.mayor)
        services.decide(decision, approve=True, discipline_sanction="pemberhentian")
        report.refresh_from_db()
        # The ethics track carries no discipline sentence, whatever was sent.
        self.assertEqual((report.ethics_sanction, report.discipline_sanction), ("tertutup", ""))

    def test_steps_out_of_order_change_nothing_and_record_nothing(self) -> None:
        report = submit(Kind.TEKANAN).report  # the Wali Kota holds the key from the start
        ins = self.handle(report)
        mayor = self.handle(report, self.mayor)
        examine = lambda: services.begin_examination(ins, Examiner.INSPEKTORAT)  # noqa: E731
        verify = lambda: services.start_verification(ins)  # noqa: E731
        recommend = lambda: services.recommend(ins, track=Track.ETIK, ethics_sanction="tertutup")  # noqa: E731
        decide = lambda: services.decide(mayor, approve=True, ethics_sanction="tertutup")  # noqa: E731
        close = lambda: services.close(ins, note="selesai")  # noqa: E731
        reject = lambda: services.reject(ins, reason="tidak jelas")  # noqa: E731
        forward = lambda: services.forward(ins, to="bkn")  # noqa: E731
        sent_back = lambda: services.decide(mayor, approve=False, note="ulang")  # noqa: E731
        plan = [
            (None, [examine, recommend, decide, close, sent_back]),
            (verify, [verify, recommend, decide, close, sent_back]),
            (lambda: services.identify(ins, employee=self.clerk.employee, opd=None), []),
            (examine, [verify, examine, decide, sent_back]),
            (recommend, [verify, examine, recommend, reject, forward, close]),
            (decide, [verify, examine, recommend, decide, sent_back, reject, forward]),
            (close, [verify, examine, recommend, decide, close, reject, forward, sent_back]),
        ]
        for advance, refused in plan:
            if advance is not None:
                advance()
            for step in refused:
                report.refresh_from_db()
                before = self.snapshot(report)
                with self.subTest(stage=report.stage, step=step), self.assertRaises(ValidationError):
                    step()
                self.assertEqual(self.snapshot(report), before)
        report.refresh_from_db()
        self.assertEqual(report.stage, Stage.SELESAI)
        self.assertTrue(ledger.verify_ledger().ok)

    def test_a_message_names_the_stage_and_the_refused_step(self) -> None:
        report = submit().report
        with self.assertRaises(ValidationError) as caught:
            services.begin_examination(self.handle(report), Examiner.INSPEKTORAT)
        self.assertIn("Diterima", caught.exception.messages[0])
        self.assertIn("Pemeriksaan", caught.exception.messages[0])


# --- who may do what --------------------------------------------------------------------------------


class PermissionTests(CasesTestCase):
    def at_recommendation(self) -> Report:
        report = submit(Kind.TEKANAN).report
        services.recommend(self.examined(report), track=Track.DISIPLIN, discipline_sanction="teguran_lisan")
        return report

    def test_only_the_wali_kota_decides(self) -> None:
        report = self.at_recommendation()
        services.assign(self.handle(report), self.bkpsdm)
        for user in (self.inspector, self.bkpsdm):
            before = self.snapshot(report)
            with self.subTest(user=user.full_name), self.assertRaises(PermissionDenied):
                services.decide(self.handle(report, user), approve=True)
            self.assertEqual(self.snapshot(report), before)
        services.decide(self.handle(report, self.mayor), approve=True)
        report.refresh_from_db()
        self.assertEqual(report.stage, Stage.DIPUTUS)

    def test_a_handler_cannot_take_a_pressure_report_away_from_the_wali_kota(self) -> None:
        report = submit(Kind.TEKANAN).report
        before = self.snapshot(report)
        with self.assertRaisesMessage(ValidationError, "petugas tidak dapat melepasnya"):
            services.unassign(self.handle(report), self.mayor)
        self.assertEqual(self.snapshot(report), before)
        self.assertEqual(self.assigned(report)[self.mayor], Assignment.Role.PPK)

    def test_the_wali_kota_does_not_run_the_handlers_steps(self) -> None:
        report = submit(Kind.TEKANAN).report
        mayor = self.handle(report, self.mayor)
        for step in (
            lambda: services.start_verification(mayor),
            lambda: services.reject(mayor, reason="tidak"),
            lambda: services.forward(mayor, to="bkn"),
        ):
            with self.assertRaises(PermissionDenied):
                step()
        report.refresh_from_db()
        self.assertEqual(report.stage, Stage.DITERIMA)
        self.assertEqual(LedgerEntry.objects.count(), 0)

    def test_people_not_assigned_get_404(self) -> None:
        report = submit(Kind.TEKANAN).report
        for user in (self.clerk, self.ptt, self.health_head, self.sekda, self.witness, self.bkpsdm, self.bkad):
            with self.subTest(user=user.full_name), self.assertRaises(Http404):
                services.open_as_handler(report.pk, user, PrivateKey.generate())
            self.assertNotIn(report, services.visible_reports(user))
        # Even a stray assignment row does not let a plain employee in.
        Assignment.objects.create(report=report, user=self.clerk, wrapped_key=b"x", assigned_on=TODAY)
        with self.assertRaises(Http404):
            services.open_as_handler(report.pk, self.clerk, PrivateKey.generate())
        self.assertFalse(services.can_see_queue(self.clerk))

    def test_an_assigned_handler_still_needs_their_unlocked_key(self) -> None:
        report = submit().report
        with self.assertRaises(PermissionDenied):
            services.open_as_handler(report.pk, self.inspector, None)
        with self.assertRaises(PermissionDenied):
            services.open_as_handler(report.pk, self.inspector, PrivateKey.generate())
        self.assertEqual(self.handle(report).report, report)

    def test_the_inspectorate_sees_the_whole_queue_others_only_their_own(self) -> None:
        mine = submit(Kind.TEKANAN).report
        HandlerKey.objects.filter(user__in=[self.inspector, self.inspector2]).delete()
        bkpsdm_case = submit().report  # falls to BKPSDM
        self.assertEqual(set(services.visible_reports(self.inspector)), {mine, bkpsdm_case})
        self.assertEqual(set(services.visible_reports(self.bkpsdm)), {bkpsdm_case})
        self.assertEqual(set(services.visible_reports(self.mayor)), {mine})
        self.assertEqual(list(services.visible_reports(self.clerk)), [])


# --- the examiner's recommendation --------------------------------------------------------------------


class RecommendationTests(CasesTestCase):
    def assertRefused(self, access: services.HandlerAccess, field: str, **kwargs: Any) -> None:
        before = self.snapshot(access.report)
        with self.assertRaises(ValidationError) as caught:
            services.recommend(access, **kwargs)
        self.assertIn(field, caught.exception.message_dict, kwargs)
        self.assertEqual(self.snapshot(access.report), before)
        self.assertNotIn(self.mayor, self.assigned(access.report))

    def test_the_sanctions_must_fit_the_track(self) -> None:
        access = self.examined(submit().report)
        self.assertRefused(access, "track", track="")
        self.assertRefused(access, "track", track=Track.TIDAK_TERBUKTI)
        self.assertRefused(access, "ethics_sanction", track=Track.ETIK)
        self.assertRefused(access, "ethics_sanction", track=Track.ETIK, ethics_sanction="dipecat")
        self.assertRefused(
            access,
            "discipline_sanction",
            track=Track.ETIK,
            ethics_sanction="terbuka",
            discipline_sanction="teguran_lisan",
        )
        self.assertRefused(access, "discipline_sanction", track=Track.DISIPLIN)
        self.assertRefused(
            access,
            "ethics_sanction",
            track=Track.DISIPLIN,
            discipline_sanction="teguran_lisan",
            ethics_sanction="terbuka",
        )
        self.assertRefused(access, "discipline_sanction", track=Track.KEDUANYA, ethics_sanction="terbuka")
        self.assertRefused(access, "ethics_sanction", track=Track.KEDUANYA, discipline_sanction="turun_jabatan")
        self.assertRefused(
            access, "election_stage", track=Track.ETIK, ethics_sanction="terbuka", election_stage="kemarin"
        )
        services.recommend(access, track=Track.DISIPLIN, discipline_sanction="pembebasan")
        step = Transition.objects.filter(report=access.report).latest("id")
        self.assertEqual(step.facts["discipline_level"], "berat")

    def test_a_neutrality_violation_records_the_election_stage(self) -> None:
        access = self.examined(submit(Kind.NETRALITAS).report)
        self.assertRefused(access, "election_stage", track=Track.ETIK, ethics_sanction="terbuka")
        services.recommend(access, track=Track.ETIK, ethics_sanction="terbuka", election_stage="sesudah_penetapan")
        access.report.refresh_from_db()
        self.assertEqual(access.report.election_stage, "sesudah_penetapan")
        step = Transition.objects.filter(report=access.report).latest("id")
        self.assertEqual(step.facts["election_stage"], "sesudah_penetapan")

    def test_the_reported_employee_must_be_known(self) -> None:
        access = self.examined(submit().report, identify=False)
        self.assertRefused(access, "track", track=Track.ETIK, ethics_sanction="terbuka")

    def test_the_direct_superior_examines_only_a_named_employee(self) -> None:
        report = submit().report
        access = self.handle(report)
        services.start_verification(access)
        before = self.snapshot(report)
        for examiner in (Examiner.ATASAN, "bupati"):
            with self.assertRaises(ValidationError) as caught:
                services.begin_examination(access, examiner)
            self.assertIn("examiner", caught.exception.message_dict)
        self.assertEqual(self.snapshot(report), before)


# --- deadlines, reminders, retention -----------------------------------------------------------------


class DeadlineTests(CasesTestCase):
    def test_a_report_received_on_friday_is_due_on_tuesday(self) -> None:
        report = submit(today=dt.date(2024, 10, 25)).report
        self.assertEqual((report.received_on, report.stage_since), (dt.date(2024, 10, 25),) * 2)
        self.assertEqual(report.due_on, dt.date(2024, 10, 29))

    def test_a_deadline_is_soon_within_the_reminder_window_and_late_after_it(self) -> None:
        report = submit(today=dt.date(2024, 10, 25)).report  # due Tuesday 29 October
        self.assertEqual(services.deadline_state(report, dt.date(2024, 10, 23)), "")
        self.assertEqual(services.deadline_state(report, dt.date(2024, 10, 25)), "soon")
        self.assertEqual(services.deadline_state(report, dt.date(2024, 10, 29)), "soon")
        self.assertEqual(services.deadline_state(report, dt.date(2024, 10, 30)), "late")
        services.reject(self.handle(report), reason="Bukan wewenang Inspektorat.", today=dt.date(2024, 10, 30))
        report.refresh_from_db()
        self.assertEqual(services.deadline_state(report, dt.date(2024, 11, 30)), "")

    def test_the_pilkada_holiday_is_skipped(self) -> None:
        report = submit(today=dt.date(2024, 11, 26)).report
        self.assertEqual(report.due_on, dt.date(2024, 11, 29))  # 27 Nov is the Pilkada, 28 and 29 count
        access = self.handle(report)
        services.start_verification(access, today=dt.date(2024, 11, 26))
        report.refresh_from_db()
        # Seven working days for verification: 28, 29 Nov, 2, 3, 4, 5, 6 Dec.
        self.assertEqual((report.stage_since, report.due_on), (dt.date(2024, 11, 26), dt.date(2024, 12, 6)))

    def test_overdue_lists_open_reports_past_their_deadline(self) -> None:
        late = submit(today=dt.date(2024, 10, 25)).report
        closed = submit(today=dt.date(2024, 10, 25)).report
        services.reject(self.handle(closed), reason="Bukan laporan", today=dt.date(2024, 10, 25))
        self.assertEqual(list(services.overdue(Report.objects.all(), today=dt.date(2024, 10, 29))), [])
        self.assertEqual(list(services.overdue(Report.objects.all(), today=dt.date(2024, 10, 30))), [late])

    def reminders(self, report: Report, user: User) -> list[str]:
        titles = Notification.objects.filter(user=user, url__contains=str(report.pk)).order_by("id")
        return [title for title in titles.values_list("title", flat=True) if "atas waktu" in title]

    def test_tick_reminds_before_and_after_the_deadline_once_a_day(self) -> None:
        friday = dt.date(2024, 10, 25)
        report = submit(today=friday).report  # due Tuesday 29 October
        far = submit(today=friday).report
        services.start_verification(self.handle(far), today=friday)  # due 5 November
        result = services.tick(today=dt.date(2024, 10, 24))  # the intake entries go to the ledger
        self.assertEqual((result.ledgered, result.reminded), (2, 0))

        result = services.tick(today=friday)  # two working days before Tuesday
        self.assertEqual((result.ledgered, result.reminded), (0, 1))
        self.assertEqual(len(self.reminders(report, self.inspector)), 1)
        self.assertIn("Batas waktu mendekat", self.reminders(report, self.inspector)[0])
        self.assertEqual(len(self.reminders(report, self.inspector2)), 1)
        self.assertEqual(self.reminders(far, self.inspector), [])

        self.assertEqual(services.tick(today=friday).reminded, 0)  # once a day
        self.assertEqual(len(self.reminders(report, self.inspector)), 1)

        self.assertEqual(services.tick(today=dt.date(2024, 10, 28)).reminded, 1)
        self.assertEqual(services.tick(today=dt.date(2024, 11, 1)).reminded, 2)  # the second is near its deadline too
        titles = self.reminders(report, self.inspector)
        self.assertEqual(len(titles), 3)
        self.assertTrue(titles[-1].startswith("Lewat batas waktu"), titles)
        self.assertIn(report.number, titles[-1])
        report.refresh_from_db()
        self.assertEqual(report.reminded_on, dt.date(2024, 11, 1))
        self.assertIn("Batas waktu mendekat", self.reminders(far, self.inspector)[0])
        for note in Notification.objects.all():
            self.assertNotIn(MARKER, f"{note.title} {note.body}")

    def examined_by(self, examiner: str) -> Report:
        report = submit(today=dt.date(2024, 10, 17)).report
        access = self.handle(report)
        services.start_verification(access, today=dt.date(2024, 10, 17))
        services.identify(access, employee=self.clerk.employee, opd=None)
        services.begin_examination(access, examiner, today=dt.date(2024, 10, 18))
        report.refresh_from_db()
        return report

    def test_a_direct_superior_who_lets_the_deadline_pass_is_flagged(self) -> None:
        by_superior = self.examined_by(Examiner.ATASAN)
        by_inspectorate = self.examined_by(Examiner.INSPEKTORAT)
        due = by_superior.due_on
        assert due is not None
        self.assertEqual(due, dt.date(2024, 11, 7))  # 14 working days after 18 October
        self.assertEqual(services.tick(today=due).flagged, 0)
        day_after = due + dt.timedelta(days=1)
        result = services.tick(today=day_after)
        self.assertEqual(result.flagged, 1)
        by_superior.refresh_from_db()
        by_inspectorate.refresh_from_db()
        self.assertEqual(by_superior.superior_flagged_on, day_after)
        self.assertIsNone(by_inspectorate.superior_flagged_on)
        # Flagged once: later ticks remind again but keep the first date.
        result = services.tick(today=day_after + dt.timedelta(days=3))
        self.assertEqual((result.flagged, result.reminded), (0, 2))
        by_superior.refresh_from_db()
        self.assertEqual(by_superior.superior_flagged_on, day_after)

    def test_tick_purges_once_the_retention_has_passed(self) -> None:
        report = submit().report
        services.reject(self.handle(report), reason="Di luar wewenang")
        report.refresh_from_db()
        self.assertEqual(report.purge_on, TODAY + dt.timedelta(days=RETENTION_DAYS))
        self.assertEqual(services.tick(today=report.purge_on).purged, 0)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(services.tick(today=report.purge_on + dt.timedelta(days=1)).purged, 1)
        report.refresh_from_db()
        self.assertEqual(report.purged_on, report.purge_on + dt.timedelta(days=1))
        self.assertEqual(bytes(report.content), b"")
        self.assertEqual(services.tick(today=report.purge_on + dt.timedelta(days=2)).purged, 0)


class PurgeTests(CasesTestCase):
    def test_purging_destroys_everything_sealed_and_keeps_the_statistics_and_the_ledger(self) -> None:
        submitted = submit(
            Kind.TEKANAN, opd=self.health, contact="WA PENANDAKONTAK", files=[("foto.jpg", photo_with_gps())]
        )
        report = submitted.report
        access = self.handle(report)
        reporter = services.open_with_receipt(submitted.receipt)
        services.start_verification(access)
        services.post_message(access, "Mohon kirim bukti tambahan", files=[("foto2.jpg", photo_with_gps("PNG"))])
        services.post_message(access, "Catatan internal", internal=True)
        services.reporter_reply(reporter, "Ini buktinya", files=[("foto3.jpg", photo_with_gps())])
        services.reject(access, reason="Sudah ditangani Bawaslu")
        names = list(Attachment.objects.filter(report=report).values_list("storage_name", flat=True))
        files = [Path(settings.PAMONG_CASE_FILES) / name for name in names]
        self.assertEqual(len(files), 3)
        self.assertTrue(all(path.exists() for path in files))
        transitions = list(Transition.objects.filter(report=report).values_list("id", "from_stage", "to_stage"))
        services.flush_intake_entries()

        with self.captureOnCommitCallbacks(execute=True):
            services.purge(report, today=dt.date(2024, 12, 1))

        report.refresh_from_db()
        self.assertTrue(report.is_purged)
        for name in ("content", "receipt_salt", "receipt_verifier", "receipt_key", "recovery_wrapped"):
            self.assertEqual(bytes(getattr(report, name)), b"", name)
        self.assertIsNone(report.receipt_locator)
        self.assertFalse(Assignment.objects.filter(report=report).exists())
        self.assertFalse(Message.objects.filter(report=report).exists())
        self.assertFalse(Attachment.objects.filter(report=report).exists())
        self.assertFalse(any(path.exists() for path in files))
        # What the statistics and the ledger need stays.
        self.assertEqual(
            (report.kind, report.stage, report.outcome, report.opd, report.received_on),
            (Kind.TEKANAN, Stage.DITOLAK, Outcome.DITOLAK, self.health, TODAY),
        )
        self.assertEqual(
            list(Transition.objects.filter(report=report).values_list("id", "from_stage", "to_stage")), transitions
        )
        self.assertFalse(Transition.objects.filter(report=report).exclude(note=b"").exists())
        self.assertTrue(ledger.verify_ledger().ok)
        self.assertEqual(services.statistics()["by_stage"], [{"key": "ditolak", "label": "Ditolak", "count": "<5"}])
        # The old receipt and the old key open nothing.
        with self.assertRaises(services.ReceiptRefused):
            services.open_with_receipt(submitted.receipt)
        self.assertIsNone(services.reporter_access(str(report.pk), submitted.report_key))
        for user in (self.inspector, self.mayor):
            with self.assertRaises(Http404):
                self.handle(report, user)


# --- handlers' keys ----------------------------------------------------------------------------------


class HandlerKeyTests(CasesTestCase):
    NEW_PASSWORD = "sandi-baru-yang-panjang-456"

    def stored(self, user: User) -> crypto.SealedPrivateKey:
        row = HandlerKey.objects.get(user=user)
        return crypto.SealedPrivateKey(
            public_key=bytes(row.public_key), sealed=bytes(row.sealed_private), salt=bytes(row.salt)
        )

    def test_a_password_change_keeps_access(self) -> None:
        report = submit().report
        public_key = self.stored(self.inspector).public_key
        password_verified.send(
            sender=User, user=self.inspector, password=self.NEW_PASSWORD, request=None, old_password=PASSWORD
        )
        stored = self.stored(self.inspector)
        self.assertEqual(stored.public_key, public_key)  # the same key pair, sealed anew
        with self.assertRaises(crypto.DecryptionFailed):
            crypto.unlock_private_key(stored, PASSWORD)  # the old password no longer unlocks it
        new_key = keyring.key_for_password(self.inspector, self.NEW_PASSWORD)
        access = services.open_as_handler(report.pk, self.inspector, new_key)
        self.assertIn(MARKER, services.read_report(access.report, access.key, internal=True).content["facts"]["what"])
        self.assertEqual(self.stored(self.inspector).public_key, public_key)

    def test_change_password_directly_and_log_in_with_the_new_one(self) -> None:
        report = submit().report
        keyring.change_password(self.inspector2, PASSWORD, self.NEW_PASSWORD)
        # A web login: the receiver unlocks the key with the password just typed and seals it for the cookie.
        request = RequestFactory().post("/masuk/")
        request.user = self.inspector2
        password_verified.send(sender=User, user=self.inspector2, password=self.NEW_PASSWORD, request=request)
        key = keyring.private_key(request)
        self.assertIsNotNone(key)
        access = services.open_as_handler(report.pk, self.inspector2, key)
        self.assertIn(MARKER, services.read_report(access.report, access.key, internal=False).content["facts"]["what"])
        # The old password opens nothing any more.
        with self.assertRaises(crypto.DecryptionFailed):
            crypto.unlock_private_key(self.stored(self.inspector2), PASSWORD)

    def test_a_password_set_by_an_administrator_makes_a_new_key_that_opens_no_old_report(self) -> None:
        report = submit().report
        old_public = self.stored(self.inspector).public_key
        new_key = keyring.key_for_password(self.inspector, "disetel-oleh-admin-789")  # old password unknown
        assert new_key is not None
        self.assertNotEqual(self.stored(self.inspector).public_key, old_public)
        with self.assertRaises(PermissionDenied):
            services.open_as_handler(report.pk, self.inspector, new_key)
        # A colleague shares it again, for the new key.
        services.assign(self.handle(report, self.inspector2), self.inspector)
        access = services.open_as_handler(report.pk, self.inspector, new_key)
        self.assertEqual(access.report, report)

    def test_the_recovery_key_gives_a_new_handler_the_reports_made_after_it(self) -> None:
        before = submit().report
        with self.assertRaises(PermissionDenied):
            services.create_recovery_key(self.bkpsdm)
        with self.assertRaises(PermissionDenied):
            services.create_recovery_key(self.inspector)  # an auditor, not the Inspektur
        text = services.create_recovery_key(self.inspectorate_head())
        after = submit(Kind.CALO).report
        self.assertEqual(bytes(before.recovery_wrapped), b"")
        self.assertNotEqual(bytes(after.recovery_wrapped), b"")
        # Every handler is lost (say, left the service); a newcomer arrives.
        HandlerKey.objects.filter(user__in=[self.inspector, self.inspector2]).delete()
        newcomer = make_user(make_employee(self.inspectorate, "Inspektur Baru"), roles=((Role.INSPEKTORAT, None),))
        self.give_key(newcomer)
        with self.assertRaises(ValidationError):
            services.recover_access("AAAA-BBBB", for_user=newcomer)
        with self.assertRaises(ValidationError):
            services.recover_access(text, for_user=self.clerk)

        self.assertEqual(services.recover_access(text, for_user=newcomer), 1)

        content = self.content(after, newcomer)
        self.assertEqual(content["facts"]["promise"], "Pasti lulus CPNS")
        with self.assertRaises(Http404):
            self.handle(before, newcomer)

    def test_a_report_older_than_the_recovery_key_is_wrapped_for_it_when_a_handler_opens_it(self) -> None:
        newcomer = make_user(make_employee(self.inspectorate, "Inspektur Pengganti"), roles=((Role.INSPEKTORAT, None),))
        self.give_key(newcomer)
        before = submit().report
        text = services.create_recovery_key(self.inspectorate_head())
        self.handle(before)  # the inspector opens it once
        self.assertNotIn(newcomer, self.assigned(before))
        self.assertEqual(services.recover_access(text, for_user=newcomer), 1)
        self.assertEqual(self.handle(before, newcomer).report, before)

    def test_a_new_recovery_key_replaces_the_old_one(self) -> None:
        head = self.inspectorate_head()
        first = services.create_recovery_key(head)
        second = services.create_recovery_key(head)
        self.assertNotEqual(first, second)
        self.assertEqual(RecoveryKey.objects.filter(active=True).count(), 1)
        report = submit().report
        newcomer = make_user(make_employee(self.inspectorate, "Auditor Cadangan"), roles=((Role.INSPEKTORAT, None),))
        self.give_key(newcomer)
        self.assertEqual(services.recover_access(first, for_user=newcomer), 0)
        self.assertEqual(services.recover_access(second, for_user=newcomer), 1)
        self.assertEqual(self.handle(report, newcomer).report, report)


# --- receipts ----------------------------------------------------------------------------------------


def wrong(code: str) -> str:
    """The same locator with one secret character changed: finds the report, fails the check."""
    swapped = "A" if code[7] != "A" else "B"
    return code[:7] + swapped + code[8:]


class ReceiptTests(CasesTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.now = timezone.now()
        self.enterContext(mock.patch("django.utils.timezone.now", side_effect=lambda: self.now))

    def state(self, report: Report) -> tuple[int, dt.datetime | None]:
        report.refresh_from_db()
        return report.receipt_failures, report.receipt_locked_until

    def refused(self, code: str) -> str:
        with self.assertRaises(services.ReceiptRefused) as caught:
            services.open_with_receipt(code)
        return str(caught.exception)

    def test_the_receipt_opens_the_report_for_the_reporter(self) -> None:
        submitted = submit(Kind.TEKANAN)
        access = services.open_with_receipt(submitted.receipt.lower().replace("-", " "))
        self.assertEqual((access.report, access.key), (submitted.report, submitted.report_key))
        for code in ("", "ABC", "ZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ", submitted.receipt + "A"):
            self.assertIn("tidak dikenali", self.refused(code))

    def test_wrong_codes_are_slowed_after_three_and_refused_after_ten(self) -> None:
        submitted = submit()
        report, code = submitted.report, submitted.receipt
        for n in (1, 2):
            self.assertIn("tidak dikenali", self.refused(wrong(code)))
            self.assertEqual(self.state(report), (n, None))
        self.refused(wrong(code))
        self.assertEqual(self.state(report), (3, self.now + dt.timedelta(seconds=30)))
        # While slowed, even the right code waits.
        self.assertIn("Tunggu 31 detik", self.refused(code))
        self.now += dt.timedelta(seconds=20)
        self.assertIn("Tunggu 11 detik", self.refused(code))
        self.assertEqual(self.state(report)[0], 3)
        waits = {4: 60, 5: 120, 6: 240, 7: 480, 8: 960, 9: 1920}
        for failures in range(4, 10):
            self.now += dt.timedelta(hours=1)
            self.refused(wrong(code))
            self.assertEqual(self.state(report), (failures, self.now + dt.timedelta(seconds=waits[failures])))
        self.now += dt.timedelta(hours=1)
        self.refused(wrong(code))
        self.assertEqual(self.state(report), (10, self.now + dt.timedelta(days=1)))
        self.now += dt.timedelta(hours=23)
        self.assertIn("coba lagi besok", self.refused(code))
        self.now += dt.timedelta(hours=1, seconds=1)
        self.assertEqual(services.open_with_receipt(code).report, report)
        self.assertEqual(self.state(report), (0, None))

    def test_a_right_code_resets_the_count(self) -> None:
        submitted = submit()
        report, code = submitted.report, submitted.receipt
        self.refused(wrong(code))
        self.refused(wrong(code))
        services.open_with_receipt(code)
        self.assertEqual(self.state(report), (0, None))
        self.refused(wrong(code))
        self.refused(wrong(code))
        self.assertEqual(self.state(report), (2, None))
        self.assertEqual(services.open_with_receipt(code).report, report)

    def test_one_receipts_lockout_does_not_touch_another(self) -> None:
        first, second = submit(), submit()
        for _ in range(3):
            self.refused(wrong(first.receipt))
        self.assertEqual(services.open_with_receipt(second.receipt).report, second.report)
        self.assertEqual(self.state(second.report), (0, None))


# --- statistics ---------------------------------------------------------------------------------------


class StatisticsTests(CasesTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        kinds = [Kind.TEKANAN] * 7 + [Kind.CALO] * 6 + [Kind.NETRALITAS] * 2
        opds = [cls.health] * 8 + [cls.schools] * 5 + [None] * 2
        stages = (
            [(Stage.DITERIMA, "")] * 10 + [(Stage.SELESAI, Outcome.SANKSI)] * 3 + [(Stage.DITOLAK, Outcome.DITOLAK)] * 2
        )
        for kind, opd, (stage, outcome) in zip(kinds, opds, stages, strict=True):
            Report.objects.create(
                kind=kind, opd=opd, stage=stage, outcome=outcome, received_on=TODAY, stage_since=TODAY, due_on=TODAY
            )

    def cells(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {row["key"]: row["count"] for row in rows}

    def test_small_cells_are_hidden(self) -> None:
        stats = services.statistics()
        self.assertEqual((stats["total"], stats["open"]), (15, 10))
        self.assertEqual(self.cells(stats["by_stage"]), {"diterima": 10, "selesai": "<5", "ditolak": "<5"})
        self.assertEqual(self.cells(stats["by_outcome"]), {"": 10, "sanksi": "<5", "ditolak": "<5"})
        labels = {row["key"]: row["label"] for row in stats["by_opd"]}
        self.assertEqual(labels[""], "Belum diketahui")
        self.assertEqual(labels[self.health.pk], "Dinas Kesehatan")

    def test_one_hidden_cell_hides_another_so_it_cannot_be_subtracted_from_the_total(self) -> None:
        stats = services.statistics()
        self.assertEqual(self.cells(stats["by_kind"]), {"tekanan": 7, "calo": "≥5", "netralitas": "<5"})
        self.assertEqual(self.cells(stats["by_opd"]), {self.health.pk: 8, self.schools.pk: "≥5", "": "<5"})
        for name in ("by_kind", "by_stage", "by_outcome", "by_opd"):
            shown = [row["count"] for row in stats[name]]
            hidden = [c for c in shown if not isinstance(c, int)]
            self.assertNotEqual(len(hidden), 1, name)
            # Whatever is hidden, the visible numbers and the total never give a hidden cell away.
            if hidden:
                self.assertLess(sum(c for c in shown if isinstance(c, int)), stats["total"])

    def test_a_small_selection_shows_only_less_than_five(self) -> None:
        stats = services.statistics(Report.objects.filter(kind=Kind.NETRALITAS))
        self.assertEqual(stats["total"], "<5")
        self.assertEqual(self.cells(stats["by_kind"]), {"netralitas": "<5"})
        self.assertEqual((stats["open"], stats["overdue"]), (0, 0))
        empty = services.statistics(Report.objects.none())
        self.assertEqual((empty["total"], empty["by_kind"]), (0, []))

    def test_overdue_is_counted_and_suppressed_too(self) -> None:
        with override_settings(PAMONG_BUSINESS_DATE="2024-10-18"):
            self.assertEqual(services.statistics()["overdue"], 10)
        self.assertEqual(services.statistics()["overdue"], 0)
