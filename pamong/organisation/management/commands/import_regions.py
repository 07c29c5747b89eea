from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamong.organisation.services import RegionDataMissing, import_regions


class Command(BaseCommand):
    help = "Muat kecamatan dan kelurahan (kode, nama, batas) dari folder berisi kelurahan.csv dan kelurahan.geojson."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", nargs="?", default=None, help="Folder data (bawaan: PAMONG_DATA_DIR).")

    def handle(self, *args: Any, directory: str | None, **options: Any) -> None:
        path = Path(directory) if directory else Path(settings.PAMONG_DATA_DIR)
        try:
            result = import_regions(path)
        except RegionDataMissing as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.kecamatan} kecamatan dan {result.kelurahan} kelurahan dimuat "
                f"({result.with_boundary} dengan batas wilayah) dari {path}."
            )
        )
