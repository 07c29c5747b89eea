"""The management commands: ``cases_tick`` (cron, every 15 minutes) and ``cases_recovery_key``."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from nacl.public import PublicKey

from pamong.cases import crypto, services
from pamong.cases.models import Attachment, Examiner, Kind, RecoveryKey, Report, Stage, Transition
from pamong.cases.tests.test_handler_views import HandlerCase, png_bytes
from pamong.core.models import LedgerEntry, Notification
from pamong.organisation.identity import format_identity_number

FRIDAY = dt.date(2024, 10, 18)


def run(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


class TickTests(HandlerCase):
    def due(self, report: Report, day: dt.date) -> Report:
        Report.objects.filter(pk=report.pk).update(due_on=day)
        return report

    def titles(self) -> list[str]:
        return list(Notification.objects.filter(user=self.inspector).values_list("title", flat=True))

    def test_it_reminds_by_working_days_before_and_after_the_deadline_once_a_day(self) -> None:
        # On a Friday, two working days ahead is Tuesday: Monday's deadline is near, Wednesday's is not.
        near = self.due(self.submit(Kind.CALO), dt.date(2024, 10, 21))
        far = self.due(self.submit(Kind.CALO), dt.date(2024, 10, 23))
        late = self.due(self.submit(Kind.CALO), dt.date(2024, 10, 16))
        Notification.objects.all().delete()  # the intake's own "new report" notices
        output = run("cases_tick", today=FRIDAY.isoformat())
        self.assertIn("Pengingat batas waktu dikirim: 2 laporan", output)
        titles = self.titles()
        self.assertIn(f"Batas waktu mendekat: laporan {near.number} (Diterima)", titles)
        self.assertIn(f"Lewat batas waktu: laporan {late.number} (Diterima)", titles)
        self.assertFalse([t for t in titles if far.number in t])
        self.assertEqual(Report.objects.get(pk=near.pk).reminded_on, FRIDAY)

        again = run("cases_tick", today=FRIDAY.isoformat())
        self.assertIn("Pengingat batas waktu dikirim: 0 laporan", again)
        self.assertEqual(len(self.titles()), 2)
        # The next working day, the far one is near too (and the others are reminded again).
        monday = run("cases_tick", today="2024-10-21")
        self.assertIn("Pengingat batas waktu dikirim: 3 laporan", monday)

    def test_a_direct_superior_who_does_not_examine_in_time_is_flagged(self) -> None:
        by_superior = self.submit(Kind.CALO, today=dt.date(2024, 10, 1))
        by_inspectorate = self.submit(Kind.CALO, today=dt.date(2024, 10, 1))
        for report, examiner in ((by_superior, Examiner.ATASAN), (by_inspectorate, Examiner.INSPEKTORAT)):
            access = self.access(report, self.inspector)
            services.start_verification(access, today=dt.date(2024, 10, 1))
            services.identify(access, employee=self.clerk.employee, opd=None)
            services.begin_examination(access, examiner, today=dt.date(2024, 10, 2))
        due = Report.objects.get(pk=by_superior.pk).due_on
        assert due is not None
        output = run("cases_tick", today=due.isoformat())
        self.assertIn("Atasan ditandai lalai: 0 laporan", output)  # on the day itself, not yet late
        after = (due + dt.timedelta(days=1)).isoformat()
        output = run("cases_tick", today=after)
        self.assertIn("Atasan ditandai lalai: 1 laporan", output)
        flagged = Report.objects.get(pk=by_superior.pk)
        self.assertEqual((flagged.stage, flagged.superior_flagged_on), (Stage.PEMERIKSAAN, due + dt.timedelta(days=1)))
        self.assertIsNone(Report.objects.get(pk=by_inspectorate.pk).superior_flagged_on)

    @override_settings(PAMONG_CASE_RETENTION_DAYS=30)
    def test_it_destroys_a_closed_reports_key_after_the_retention(self) -> None:
        report = self.submit(Kind.CALO, today=dt.date(2024, 10, 1), files=[("bukti.png", png_bytes())])
        stored = Path(settings.PAMONG_CASE_FILES) / Attachment.objects.get(report=report).storage_name
        self.assertTrue(stored.exists())
        services.reject(self.access(report, self.inspector), reason="Bukan wewenang.", today=dt.date(2024, 10, 1))
        self.assertIn("Kunci dimusnahkan (masa simpan habis): 0 laporan", run("cases_tick", today="2024-10-31"))
        self.assertIsNone(Report.objects.get(pk=report.pk).purged_on)
        with self.captureOnCommitCallbacks(execute=True):
            output = run("cases_tick", today="2024-11-01")
        self.assertIn("Kunci dimusnahkan (masa simpan habis): 1 laporan", output)
        purged = Report.objects.get(pk=report.pk)
        self.assertEqual(purged.purged_on, dt.date(2024, 11, 1))
        self.assertEqual(bytes(purged.content), b"")
        self.assertFalse(purged.assignments.exists())
        self.assertFalse(Attachment.objects.filter(report=report).exists())
        self.assertFalse(stored.exists())
        # What remains: the stage for the statistics and the steps whose hashes are in the ledger.
        self.assertEqual((purged.stage, purged.outcome), (Stage.DITOLAK, "ditolak"))
        self.assertEqual(Transition.objects.filter(report=report).count(), 2)

    def test_it_ledgers_new_intakes_and_sweeps_orphan_files(self) -> None:
        report = self.submit()
        orphan = Path(settings.PAMONG_CASE_FILES) / "0123456789abcdef-orphan"
        orphan.write_bytes(b"sealed under a key that was never stored")
        two_hours_ago = time.time() - 7200
        os.utime(orphan, (two_hours_ago, two_hours_ago))
        output = run("cases_tick", today="2024-10-17")
        self.assertIn("Dicatat ke buku besar: 1 laporan baru", output)
        self.assertIn("Berkas yatim dihapus: 1", output)
        self.assertFalse(orphan.exists())
        intake = Transition.objects.get(report=report, from_stage="")
        self.assertTrue(LedgerEntry.objects.filter(kind="cases.transition", subject_id=str(intake.pk)).exists())
        self.assertIn("Dicatat ke buku besar: 0 laporan baru", run("cases_tick", today="2024-10-17"))

    def test_a_malformed_date_is_refused_in_words(self) -> None:
        with self.assertRaisesMessage(CommandError, "TTTT-BB-HH"):
            run("cases_tick", today="18-10-2024")


class RecoveryKeyCommandTests(HandlerCase):
    def test_it_prints_a_new_key_once_that_restores_access(self) -> None:
        output = run("cases_recovery_key", "--by", format_identity_number(self.chief_inspector.username))
        line = next(line.strip() for line in output.splitlines() if line.startswith("    "))
        key = RecoveryKey.objects.get(active=True)
        self.assertEqual(key.created_by, self.chief_inspector)
        self.assertEqual(bytes(crypto.recovery_private_key(line).public_key), bytes(PublicKey(bytes(key.public_key))))
        self.assertIn("brankas", output)
        report = self.submit(Kind.CALO)
        self.assertEqual(services.recover_access(line, for_user=self.bkpsdm), 1)
        self.assertTrue(report.assignments.filter(user=self.bkpsdm).exists())

    def test_only_the_inspektorat_may_make_one(self) -> None:
        with self.assertRaisesMessage(CommandError, "Hanya Inspektorat"):
            run("cases_recovery_key", "--by", self.bkpsdm.username)
        with self.assertRaisesMessage(CommandError, "Tidak ada pengguna aktif"):
            run("cases_recovery_key", "--by", "199001012015011999")
        self.assertFalse(RecoveryKey.objects.exists())
