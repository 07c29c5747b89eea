from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamong.staffing.records_import import SHEETS, import_records, template_workbook


class Command(BaseCommand):
    help = (
        "Impor riwayat jabatan, predikat kinerja, dan hukuman disiplin pegawai dari buku kerja Excel "
        f"(lembar: {', '.join(SHEETS)}). Semua atau tidak sama sekali: bila ada baris salah, tidak ada yang disimpan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Berkas .xlsx yang diimpor, atau tujuan templat dengan --template.")
        parser.add_argument("--template", action="store_true", help="Tulis templat kosong ke PATH.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if options["template"]:
            template_workbook().save(path)
            self.stdout.write(f"Templat ditulis ke {path}")
            return
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        try:
            with path.open("rb") as source:
                result = import_records(source, by=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(result.errors)} baris salah; tidak ada yang disimpan.")
        self.stdout.write(
            f"Diimpor untuk {result.employees} pegawai: {result.service_records} riwayat jabatan, "
            f"{result.ratings} predikat kinerja, {result.discipline_records} hukuman disiplin."
        )
