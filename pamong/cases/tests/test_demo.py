"""The demo's reports and cases: every stage and kind, handled by the demo's Inspektorat, BKPSDM and
Wali Kota accounts with keys their demo password opens, nobody in the reported person's chain of
command, every step in a whole ledger, and statistics that hide small cells."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.test import TestCase

from pamong.cases import keyring, services
from pamong.cases.demo import STORIES
from pamong.cases.models import (
    Assignment,
    Attachment,
    ElectionStage,
    Examiner,
    ForwardTarget,
    HandlerKey,
    Kind,
    Message,
    Outcome,
    RecoveryKey,
    Report,
    Stage,
    Track,
    Transition,
)
from pamong.core import ledger, workdays
from pamong.core.models import Checkpoint, LedgerEntry, Notification
from pamong.organisation.demo import REFERENCE_DATE, build_demo_city, reset_demo_city
from pamong.organisation.models import Role, User

SEED = 17
SCALE = 0.05
TODAY = REFERENCE_DATE
RECEIPT_LINE = re.compile(r"^Tanda terima demo: (\S+)  \(.*, tahap (.+)\)$", re.MULTILINE)


def case_plan() -> list[tuple[str, ...]]:
    return sorted(
        (
            r.kind,
            r.stage,
            r.received_on.isoformat(),
            r.due_on.isoformat() if r.due_on else "",
            r.opd.name if r.opd else "",
            r.reported_employee.identity_number if r.reported_employee else "",
        )
        for r in Report.objects.select_related("opd", "reported_employee")
    )


class DemoCasesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.out = StringIO()
        cls.summary = build_demo_city(seed=SEED, scale=SCALE, stdout=cls.out)
        cls.output = cls.out.getvalue()

    def key_of(self, user: User) -> object:
        return keyring.key_for_password(user, settings.PAMONG_DEMO_PASSWORD)

    def handler_access(self, report: Report, *roles: str) -> services.HandlerAccess:
        assignment = (
            Assignment.objects.filter(report=report, user__role_grants__role__in=roles or list(services.HANDLING_ROLES))
            .select_related("user")
            .first()
        )
        assert assignment is not None, report.number
        return services.open_as_handler(report.pk, assignment.user, self.key_of(assignment.user))

    def test_there_are_reports_in_every_stage_and_of_every_kind(self) -> None:
        self.assertEqual(Report.objects.count(), len(STORIES))
        self.assertTrue(25 <= len(STORIES) <= 40)
        self.assertEqual(set(Report.objects.values_list("stage", flat=True)), set(Stage.values))
        self.assertEqual(set(Report.objects.values_list("kind", flat=True)), set(Kind.values))
        self.assertIn(f"Laporan rahasia demo: {len(STORIES)} laporan", self.output)

    def test_reports_arrived_over_the_weeks_before_the_declaration_day(self) -> None:
        days = sorted(Report.objects.values_list("received_on", flat=True))
        self.assertLessEqual(days[-1], TODAY)
        self.assertGreaterEqual((TODAY - days[0]).days, 35)
        self.assertGreaterEqual(len({d.isocalendar()[1] for d in days}), 6)
        # Deadlines were counted in working days from the day each stage began.
        for report in Report.objects.filter(stage__in=[Stage.DITERIMA, Stage.VERIFIKASI, Stage.PEMERIKSAAN]):
            days_allowed = settings.PAMONG_CASE_DEADLINES[report.stage]
            self.assertEqual(report.due_on, workdays.add_working_days(report.stage_since, days_allowed), report.number)

    def test_some_cases_are_overdue_and_some_due_soon(self) -> None:
        overdue = services.overdue(Report.objects.all(), today=TODAY)
        self.assertGreaterEqual(overdue.count(), 3)
        self.assertGreaterEqual(len(set(overdue.values_list("stage", flat=True))), 3)
        soon = Report.objects.filter(
            stage__in=[Stage.DITERIMA, Stage.VERIFIKASI, Stage.PEMERIKSAAN, Stage.REKOMENDASI, Stage.DIPUTUS],
            due_on__gte=TODAY,
            due_on__lte=workdays.add_working_days(TODAY, settings.PAMONG_CASE_REMIND_DAYS),
        )
        self.assertGreaterEqual(soon.count(), 3)
        self.assertIn(f"{overdue.count()} lewat batas waktu", self.output)

    def test_tick_flags_the_direct_superior_who_let_an_examination_lapse(self) -> None:
        services.tick(today=TODAY)
        flagged = Report.objects.filter(superior_flagged_on__isnull=False)
        self.assertGreaterEqual(flagged.count(), 1)
        for report in flagged:
            self.assertEqual((report.stage, report.examiner), (Stage.PEMERIKSAAN, Examiner.ATASAN))
            self.assertLess(report.due_on, report.superior_flagged_on)
        # An examination by the superior that is still within its limit is not flagged.
        in_time = Report.objects.filter(stage=Stage.PEMERIKSAAN, examiner=Examiner.ATASAN, due_on__gte=TODAY)
        self.assertTrue(in_time.exists())
        self.assertFalse(in_time.filter(superior_flagged_on__isnull=False).exists())

    def test_the_inspektorat_has_several_demo_handlers_and_each_opens_their_cases_with_the_demo_password(
        self,
    ) -> None:
        inspectors = [a for a in self.summary.accounts if a.role == Role.INSPEKTORAT]
        self.assertGreaterEqual(len(inspectors), 2)
        self.assertTrue(all(a.two_factor for a in inspectors))
        handlers = User.objects.filter(case_assignments__isnull=False).distinct()
        self.assertTrue({a.username for a in inspectors} <= set(handlers.values_list("username", flat=True)))
        for user in handlers:
            stored = bytes(HandlerKey.objects.get(user=user).public_key)
            private_key = self.key_of(user)
            # The demo password unlocks the key the cases were shared with; it is not replaced.
            self.assertEqual(bytes(HandlerKey.objects.get(user=user).public_key), stored)
            for assignment in Assignment.objects.filter(user=user).select_related("report"):
                access = services.open_as_handler(assignment.report_id, user, private_key)
                view = services.read_report(access.report, access.key, internal=True)
                self.assertTrue(view.rows, assignment.report.number)

    def test_the_wali_kota_holds_every_pressure_report_and_every_case_awaiting_a_decision(self) -> None:
        mayor = User.objects.get(role_grants__role=Role.WALI_KOTA)
        held = set(Assignment.objects.filter(user=mayor, role=Assignment.Role.PPK).values_list("report", flat=True))
        pressure = set(Report.objects.filter(kind=Kind.TEKANAN).values_list("pk", flat=True))
        waiting = set(Report.objects.filter(stage__in=[Stage.REKOMENDASI, Stage.DIPUTUS]).values_list("pk", flat=True))
        self.assertTrue(pressure | waiting <= held)
        newest = Report.objects.filter(kind=Kind.TEKANAN, received_on=TODAY).first()
        self.assertIsNotNone(newest)
        self.assertTrue(
            Notification.objects.filter(user=mayor, read_at__isnull=True, title__contains=newest.number).exists()
        )

    def test_no_assignment_puts_a_case_in_the_reported_persons_chain_of_command(self) -> None:
        for assignment in Assignment.objects.select_related("report", "user__employee__position"):
            self.assertIsNone(services.conflict_of(assignment.report, assignment.user), assignment.report.number)
        # The rule had work to do: some handler is kept away from some demo case.
        handlers = list(User.objects.filter(role_grants__role__in=list(services.HANDLING_ROLES)).distinct())
        reports = Report.objects.filter(reported_employee__isnull=False)
        self.assertTrue(any(services.conflict_of(r, u) for r in reports for u in handlers))

    def test_the_people_reported_are_never_demo_accounts(self) -> None:
        usernames = {a.username for a in self.summary.accounts}
        reported = set(
            Report.objects.filter(reported_employee__isnull=False).values_list(
                "reported_employee__user__username", flat=True
            )
        )
        self.assertTrue(reported)
        self.assertFalse(reported & usernames)

    def test_every_step_is_in_the_ledger_and_the_ledger_is_whole(self) -> None:
        self.assertFalse(Report.objects.filter(awaiting_ledger=True).exists())
        steps = set(Transition.objects.values_list("pk", flat=True))
        entries = set(LedgerEntry.objects.filter(kind="cases.transition").values_list("subject_id", flat=True))
        self.assertEqual(entries, {str(pk) for pk in steps})
        latest = Checkpoint.objects.order_by("-size").first()
        self.assertEqual(latest.size, ledger.ledger_size())
        self.assertEqual(latest.cosignatures.count(), 3)
        report = ledger.verify_ledger()
        self.assertTrue(report.ok, report.problems)

    def test_tracks_sanctions_election_stages_and_outcomes_are_all_represented(self) -> None:
        recommended = Report.objects.filter(stage__in=[Stage.REKOMENDASI, Stage.DIPUTUS, Stage.SELESAI])
        self.assertTrue(
            {Track.ETIK, Track.DISIPLIN, Track.KEDUANYA} <= set(recommended.values_list("track", flat=True))
        )
        self.assertTrue(
            set(ElectionStage.values)
            <= set(Report.objects.filter(stage=Stage.REKOMENDASI).values_list("election_stage", flat=True))
        )
        closed = set(Report.objects.filter(stage=Stage.SELESAI).values_list("outcome", flat=True))
        self.assertEqual(closed, {Outcome.SANKSI, Outcome.TIDAK_TERBUKTI})
        self.assertEqual(
            set(Report.objects.filter(stage=Stage.DITERUSKAN).values_list("forwarded_to", flat=True)),
            set(ForwardTarget.values),
        )
        self.assertTrue(
            Report.objects.filter(stage=Stage.PEMERIKSAAN, transitions__facts__returned=True).exists(),
            "a recommendation sent back by the Wali Kota",
        )
        for report in Report.objects.filter(stage=Stage.DITOLAK):
            access = self.handler_access(report)
            step = report.transitions.get(to_stage=Stage.DITOLAK)
            self.assertGreater(len(services.transition_note(report, access.key, step)), 40)

    def test_messages_go_both_ways_with_internal_notes_and_evidence_files(self) -> None:
        authors = set(Message.objects.values_list("author", flat=True))
        self.assertTrue({Message.Author.PELAPOR, Message.Author.PETUGAS, Message.Author.CATATAN} <= authors)
        types = set()
        for row in Attachment.objects.select_related("report"):
            access = self.handler_access(row.report)
            meta, data = services.read_attachment(row.report, access.key, row.pk)
            types.add(meta["type"])
            self.assertGreater(len(data), 500)
            self.assertTrue(row.from_reporter)
        self.assertEqual(types, {"image/jpeg", "application/pdf"})
        for path in Path(settings.PAMONG_CASE_FILES).iterdir():
            self.assertNotIn(b"JFIF", path.read_bytes()[:64])

    def test_the_printed_receipts_open_their_reports_as_the_reporter_sees_them(self) -> None:
        printed = RECEIPT_LINE.findall(self.output)
        self.assertTrue(2 <= len(printed) <= 3, printed)
        stages = set()
        for code, stage in printed:
            access = services.open_with_receipt(code)
            self.assertEqual(access.report.get_stage_display(), stage)
            view = services.read_report(access.report, access.key, internal=False)
            self.assertTrue(view.rows)
            self.assertFalse([m for m in view.messages if m.author == Message.Author.CATATAN])
            stages.add(access.report.stage)
        self.assertGreaterEqual(len(stages), 2)

    def test_reports_are_wrapped_for_the_inspektorat_heads_recovery_key(self) -> None:
        recovery = RecoveryKey.objects.get(active=True)
        self.assertTrue(recovery.created_by.has_role(Role.INSPEKTORAT))
        self.assertFalse(Report.objects.filter(recovery_wrapped=b"").exists())

    def test_statistics_show_small_cells_as_less_than_five(self) -> None:
        stats = services.statistics()
        self.assertEqual(stats["total"], len(STORIES))
        cells = [row["count"] for key in ("by_kind", "by_stage", "by_outcome", "by_opd") for row in stats[key]]
        self.assertIn("<5", cells)
        self.assertFalse([c for c in cells if isinstance(c, int) and 0 < c < 5])
        by_stage = {row["key"]: row["count"] for row in stats["by_stage"]}
        self.assertEqual(by_stage[Stage.DIPUTUS], "<5")

    def test_only_todays_news_is_unread(self) -> None:
        unread = Notification.objects.filter(read_at__isnull=True)
        self.assertTrue(unread.exists())
        self.assertTrue(Notification.objects.filter(read_at__isnull=False).exists())
        self.assertTrue(unread.filter(title__contains="Batas waktu mendekat").exists())

    def test_reset_removes_the_cases_and_their_files_and_the_same_seed_tells_the_same_stories(self) -> None:
        before = case_plan()
        files = [
            Path(settings.PAMONG_CASE_FILES) / n for n in Attachment.objects.values_list("storage_name", flat=True)
        ]
        self.assertTrue(files and all(f.exists() for f in files))
        with self.captureOnCommitCallbacks(execute=True):
            reset_demo_city()
        self.assertFalse(Report.objects.exists() or HandlerKey.objects.exists() or RecoveryKey.objects.exists())
        self.assertFalse(any(f.exists() for f in files))
        build_demo_city(seed=SEED, scale=SCALE)
        self.assertEqual(case_plan(), before)
