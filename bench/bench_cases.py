"""What confidentiality costs at intake, and what one receipt check costs (issue 5, item 11).

(a) Intake. ``services.submit_report`` — a pressure report with ~1 KB of text, a contact line and one
small JPEG carrying EXIF and GPS — against a benchmark-only intake that stores the same report in
plaintext: the same checks of the facts and the contact (``facts.clean_facts``, ``facts.check_text``),
the same cleaning of the photo (``services._clean_files``: type by content, EXIF and GPS removed), then
one row of JSON text in a plain table, one row per file and the cleaned bytes written as they are. No
receipt, no keys, no encryption. The real intake also picks the handlers and shares the report key with
them (two Inspektorat handlers and the Wali Kota, plus the recovery key), writes the first step and the
notifications: the difference is what the confidentiality costs, with that bookkeeping included.
The two are timed in interleaved rounds (BENCH_CASES_INTAKES each, default 100, after
BENCH_CASES_WARMUP, default 10), each round starting with the other one.

(b) One receipt check. ``services.open_with_receipt(code)`` — the salted Argon2id of the code (19 MiB,
2 passes, as the reporter's page runs it) and the unwrapping of the report key — against one plain
SELECT of a report by primary key through the ORM, interleaved, BENCH_CASES_RECEIPTS times each
(default 50). Where the time goes is shown beside: ``crypto.new_receipt()`` (the same Argon2id) alone,
and the attachment cleaning alone.

Database: a fresh SQLite file (a copy of a migrated template cached under var/bench/) unless
DATABASE_URL is set; then a database ``pamong_bench_cases`` is created on that PostgreSQL server for the
run and dropped after it, whatever happens. Measured in a child process (PAMONG_ENV=test; handlers' keys
made at the smallest Argon2 cost, which only the setup uses).

Run: ``PAMONG_ENV=test .venv/bin/python bench/run.py cases`` (SQLite), or with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres`` in front (PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import secrets
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from common import (
    child_env,
    int_env,
    measure_on_fresh_database,
    ms,
    new_report,
    p95,
    provenance,
    save_results,
    setup_django,
)

PLAIN_REPORTS = "bench_plain_report"
PLAIN_FILES = "bench_plain_file"
TEXT = (
    "Pada apel pagi Senin, kepala bidang mengumpulkan kami para tenaga kontrak di ruang rapat lantai dua "
    "dan meminta setiap orang membawa sepuluh fotokopi KTP keluarga untuk mendukung pasangan calon nomor "
    "urut dua. Ia berkata kontrak yang tidak mengumpulkan tidak akan diperpanjang tahun depan, dan daftar "
    "nama akan diserahkan kepada kepala dinas. Beberapa rekan sudah menyerahkan, yang lain takut bertanya. "
)


def _summary(samples: Sequence[float]) -> dict[str, float]:
    return {
        "median_ms": round(ms(statistics.median(samples)), 3),
        "p95_ms": round(ms(p95(samples)), 3),
        "mean_ms": round(ms(statistics.fmean(samples)), 3),
        "per_s": round(len(samples) / sum(samples), 1),
    }


# --- The child: measures the database its environment names ------------------------------------


def cases_env(*, sqlite_path: Path | None = None, database_url: str | None = None, files: Path) -> dict[str, str]:
    return child_env(
        sqlite_path=sqlite_path,
        database_url=database_url,
        PAMONG_CASE_FILES=str(files),
        PAMONG_CASE_KDF="min",  # handlers' password keys: setup only, never timed
    )


def photo() -> bytes:
    """A small phone photo: 320×240 with EXIF (make, model, GPS), about 10–20 KB."""
    from PIL import Image

    image = Image.new("RGB", (320, 240))
    image.putdata([((x * 7) % 256, (y * 5) % 256, ((x + y) * 3) % 256) for y in range(240) for x in range(320)])
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Samsung", "SM-A155F"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "S", (10.0, 9.0, 43.21), "E", (123.0, 35.0, 12.37)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=85)
    return out.getvalue()


def _plain_models() -> tuple[Any, Any]:
    """The plaintext intake's two tables (no keys, no sealed fields)."""
    from django.db import connection, models

    class PlainReport(models.Model):
        kind = models.CharField(max_length=20)
        stage = models.CharField(max_length=20, default="diterima")
        received_on = models.DateField()
        opd_id = models.BigIntegerField(null=True)
        content = models.TextField()

        class Meta:
            app_label = "cases"
            db_table = PLAIN_REPORTS

        def __str__(self) -> str:
            return f"plain report {self.pk}"

    class PlainFile(models.Model):
        report_id = models.BigIntegerField()
        storage_name = models.CharField(max_length=64)
        name = models.CharField(max_length=200)
        content_type = models.CharField(max_length=100)
        size = models.PositiveIntegerField()

        class Meta:
            app_label = "cases"
            db_table = PLAIN_FILES

        def __str__(self) -> str:
            return self.storage_name

    _drop_plain_tables()  # left over by a run that crashed
    with connection.schema_editor() as editor:
        editor.create_model(PlainReport)
        editor.create_model(PlainFile)
    return PlainReport, PlainFile


def _drop_plain_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (PLAIN_FILES, PLAIN_REPORTS):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")


def _interleaved(rounds: int, warmup: int, contenders: dict[str, Callable[[], Any]]) -> dict[str, list[float]]:
    """Each contender once per round, the order turning every round; only the timed rounds are kept."""
    names = list(contenders)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for number in range(warmup + rounds):
        k = number % len(names)
        for name in names[k:] + names[:k]:
            started = time.perf_counter()
            contenders[name]()
            elapsed = time.perf_counter() - started
            if number >= warmup:
                samples[name].append(elapsed)
    return samples


def measure(intakes: int, receipts: int, warmup: int) -> dict[str, Any]:
    setup_django()

    import gc

    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from pamong.cases import attachments, crypto, facts, keyring, services
    from pamong.cases.models import Assignment, Kind, Report
    from pamong.core.clock import business_today
    from pamong.core.models import Notification
    from pamong.organisation.models import OPD, Employee, Pemda, Position, Role, RoleGrant, User

    # The city hall the intake sees: two Inspektorat handlers and the Wali Kota, each with a key, and
    # the Inspektorat head's recovery key.
    pemda = Pemda.objects.create(code="53.71", name="Pemerintah Kota Kupang", short_name="Kota Kupang")
    health = OPD.objects.create(pemda=pemda, code="dinkes", name="Dinas Kesehatan", kind="dinas")
    inspectorate = OPD.objects.create(pemda=pemda, code="inspektorat", name="Inspektorat Daerah", kind="inspektorat")
    head_post = Position.objects.create(
        opd=inspectorate, name="Inspektur", level="jpt_pratama", grade="II.b", is_head_of_opd=True
    )
    people = []
    for number, (name, role, opd) in enumerate(
        [
            ("Inspektur", Role.INSPEKTORAT, inspectorate),
            ("Auditor Inspektorat", Role.INSPEKTORAT, inspectorate),
            ("Wali Kota", Role.WALI_KOTA, None),
        ]
    ):
        employee = None
        if opd is not None:
            employee = Employee.objects.create(
                kind="pns",
                identity_number=f"19850314201001100{number}",
                name=name,
                opd=opd,
                sex="L",
                birth_date=dt.date(1985, 3, 14),
                start_date=dt.date(2010, 1, 1),
                # The first is the Inspektur: only the head of the Inspektorat makes the recovery key.
                position=head_post if number == 0 else None,
            )
        user = User.objects.create(username=f"bench-{number}", full_name=name, employee=employee)
        RoleGrant.objects.create(user=user, role=role)
        keyring.key_for_password(user, "sandi-bench-123")
        people.append(user)
    services.create_recovery_key(people[0])

    jpeg = photo()
    answers = {
        "what": (TEXT * 3)[:1000],
        "who": "Kepala Bidang Pelayanan",
        "when": "2024-10-14",
        "where": "Ruang rapat lantai 2",
        "pressure_form": "kumpul_dukungan",
        "candidate": "Pasangan calon nomor urut 2",
    }
    contact = "WhatsApp 0812 3456 7890 setelah jam kerja"
    plain_dir = Path(tempfile.mkdtemp(prefix="pamong-bench-plain-"))
    PlainReport, PlainFile = _plain_models()

    def encrypted() -> services.Submitted:
        return services.submit_report(
            kind=Kind.TEKANAN, answers=answers, opd=health, contact=contact, files=[("foto.jpg", jpeg)]
        )

    def plaintext() -> Any:
        """The same intake without confidentiality: checks and cleaning alike, then stored as it came."""
        today = business_today()
        cleaned = facts.clean_facts(Kind.TEKANAN, answers, today=today)
        checked_contact = facts.check_text(contact, "Cara menghubungi Anda", limit=facts.MAX_LINE)
        files = services._clean_files([("foto.jpg", jpeg)])
        content = {"kind": Kind.TEKANAN, "facts": cleaned, "reported_number": "", "contact": checked_contact}
        with transaction.atomic():
            row = PlainReport.objects.create(
                kind=Kind.TEKANAN,
                received_on=today,
                opd_id=health.pk,
                content=json.dumps(content, ensure_ascii=False),
            )
            for name, clean in files:
                storage_name = secrets.token_hex(16)
                (plain_dir / storage_name).write_bytes(clean.data)
                PlainFile.objects.create(
                    report_id=row.pk,
                    storage_name=storage_name,
                    name=name,
                    content_type=clean.content_type,
                    size=len(clean.data),
                )
        return row

    # What one of each does (statements), outside the timing.
    with CaptureQueriesContext(connection) as captured:
        sample = encrypted()
    encrypted_queries = len(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        plaintext()
    plaintext_queries = len(captured.captured_queries)
    shared = Assignment.objects.filter(report=sample.report).count()

    gc.collect()
    intake = _interleaved(intakes, warmup, {"encrypted": encrypted, "plaintext": plaintext})

    # (b) One receipt check against one SELECT by primary key.
    target = encrypted()
    code, report_id = target.receipt, target.report.pk

    def receipt_check() -> Any:
        access = services.open_with_receipt(code)
        assert access.report.pk == report_id
        return access

    def select_by_pk() -> Any:
        return Report.objects.filter(pk=report_id).first()

    with CaptureQueriesContext(connection) as captured:
        receipt_check()
    receipt_queries = len(captured.captured_queries)
    gc.collect()
    checks = _interleaved(
        receipts,
        min(warmup, 5),
        {
            "receipt_check": receipt_check,
            "select_by_pk": select_by_pk,
            "argon2id_receipt_hash": crypto.new_receipt,
            "clean_photo": lambda: attachments.clean_attachment(jpeg),
        },
    )

    stored = sorted(Path(settings.PAMONG_CASE_FILES).iterdir())
    result = {
        "database_vendor": connection.vendor,
        "intakes": intakes,
        "receipts": receipts,
        "warmup": warmup,
        "photo_bytes": len(jpeg),
        "text_chars": len(answers["what"]),
        "shared_with": shared,
        "queries": {"encrypted": encrypted_queries, "plaintext": plaintext_queries, "receipt_check": receipt_queries},
        "intake": {name: _summary(values) for name, values in intake.items()},
        "checks": {name: _summary(values) for name, values in checks.items()},
        "reports": Report.objects.count(),
        "notifications": Notification.objects.count(),
        "stored_file_bytes": sum(path.stat().st_size for path in stored),
        "stored_files": len(stored),
    }
    result["intake_ratio"] = round(
        result["intake"]["encrypted"]["median_ms"] / result["intake"]["plaintext"]["median_ms"], 2
    )
    result["throughput_ratio"] = round(
        result["intake"]["plaintext"]["per_s"] / result["intake"]["encrypted"]["per_s"], 2
    )
    result["receipt_ratio"] = round(
        result["checks"]["receipt_check"]["median_ms"] / result["checks"]["select_by_pk"]["median_ms"], 1
    )
    _drop_plain_tables()
    shutil.rmtree(plain_dir, ignore_errors=True)
    return result


# --- The databases ------------------------------------------------------------------------------


def measure_on_the_database(intakes: int, receipts: int, warmup: int) -> dict[str, Any]:
    args = ("--intakes", str(intakes), "--receipts", str(receipts), "--warmup", str(warmup))
    print(f"{intakes} intakes each way, {receipts} receipt checks", flush=True)
    with tempfile.TemporaryDirectory(prefix="pamong-bench-cases-files-") as tmp:
        return measure_on_fresh_database(__file__, "cases", partial(cases_env, files=Path(tmp)), *args)


# --- Reporting -----------------------------------------------------------------------------------


def table(report: dict[str, Any]) -> str:
    result = report["result"]
    header = f"{'operation':<44} {'median ms':>10} {'p95 ms':>9} {'per s':>8} {'queries':>8}"
    lines = [f"database: {result['database_vendor']}", header, "-" * len(header)]
    queries = result["queries"]
    rows = [
        ("intake, encrypted (services.submit_report)", result["intake"]["encrypted"], queries["encrypted"]),
        ("intake, plaintext (bench-only variant)", result["intake"]["plaintext"], queries["plaintext"]),
        ("receipt check (services.open_with_receipt)", result["checks"]["receipt_check"], queries["receipt_check"]),
        ("SELECT report by primary key", result["checks"]["select_by_pk"], 1),
        ("  of which: Argon2id of a receipt", result["checks"]["argon2id_receipt_hash"], 0),
        ("  of which: cleaning the photo", result["checks"]["clean_photo"], 0),
    ]
    for name, row, count in rows:
        lines.append(f"{name:<44} {row['median_ms']:>10.2f} {row['p95_ms']:>9.2f} {row['per_s']:>8.1f} {count:>8}")
    lines.append("")
    lines.append(
        f"encrypted ÷ plaintext intake: {result['intake_ratio']}× the time per report "
        f"({result['throughput_ratio']}× fewer reports per second)"
    )
    lines.append(f"receipt check ÷ SELECT by primary key: {result['receipt_ratio']}×")
    lines.append(
        f"{result['intakes']} intakes each way and {result['receipts']} checks each, interleaved, after "
        f"{result['warmup']} warm-up; photo {result['photo_bytes'] / 1024:.1f} KiB, text {result['text_chars']} "
        f"characters; each report shared with {result['shared_with']} people plus the recovery key; "
        + provenance(report)
    )
    return "\n".join(lines)


def run() -> dict[str, Any]:
    intakes = int_env("BENCH_CASES_INTAKES", 100)
    receipts = int_env("BENCH_CASES_RECEIPTS", 50)
    warmup = int_env("BENCH_CASES_WARMUP", 10)
    started = dt.datetime.now(dt.UTC)
    report = new_report("cases", started)
    report["result"] = measure_on_the_database(intakes, receipts, warmup)
    vendor = report["result"]["database_vendor"]
    results_file = save_results(report, f"cases-{vendor}", started)
    result = report["result"]
    figures = {
        "database": vendor,
        "intake_encrypted_over_plaintext": result["intake_ratio"],
        "intake_per_s": {
            "encrypted": result["intake"]["encrypted"]["per_s"],
            "plaintext": result["intake"]["plaintext"]["per_s"],
        },
        "receipt_check_over_select_by_pk": result["receipt_ratio"],
        "receipt_check_median_ms": result["checks"]["receipt_check"]["median_ms"],
    }
    return {"table": table(report), "figures": figures, "results_file": results_file}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    child = sub.add_parser("measure", help="internal: measure the configured database, write JSON to --out")
    child.add_argument("--out", required=True, type=Path)
    child.add_argument("--intakes", type=int, default=100)
    child.add_argument("--receipts", type=int, default=50)
    child.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    if args.command == "measure":
        args.out.write_text(json.dumps(measure(args.intakes, args.receipts, args.warmup)))
        return
    result = run()
    print(result["table"])
    print(f"results: {result['results_file']}")


if __name__ == "__main__":
    main()
