from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamong.core.ledger import verify_ledger


class Command(BaseCommand):
    help = (
        "Periksa seluruh buku besar: hitung ulang setiap daun dari rekamannya, setiap simpul dan "
        "checkpoint dari daun, dan setiap tanda tangan. Keluar dengan kode bukan nol pada ketidakcocokan pertama."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="Laporkan semua ketidakcocokan, bukan hanya yang pertama."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_ledger(stop_at_first=not options["all"])
        summary = (
            f"{report.entries} entri, {report.checkpoints} checkpoint, "
            f"{report.cosignatures} tanda tangan saksi diperiksa."
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Buku besar utuh: {summary}"))
            return
        for problem in report.problems:
            self.stderr.write(problem)
        raise CommandError(f"Buku besar TIDAK utuh. {report.problems[0]} ({summary})")
