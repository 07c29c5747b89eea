from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamong.staffing import services


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Tanggal harus berformat TTTT-BB-HH, bukan {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Pekerjaan harian kepegawaian: lepaskan lowongan yang antreannya sudah sampai tanggal boleh diusulkan "
        "dan beri tahu BKPSDM. Jalankan tiap hari lewat cron, misalnya: 5 0 * * * manage.py staffing_tick"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=_date, help="Tanggal kerja (TTTT-BB-HH); bawaan: hari ini.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options.get("today")
        if isinstance(today, str):
            today = _date(today)
        released = services.release_queue(today=today)
        self.stdout.write(f"Lowongan dilepas dari antrean: {len(released)}")
