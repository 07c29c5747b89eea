from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pamong.core.management.options import add_today, today_from
from pamong.staffing import services


class Command(BaseCommand):
    help = (
        "Pekerjaan harian kepegawaian: lepaskan lowongan yang antreannya sudah sampai tanggal boleh diusulkan "
        "dan beri tahu BKPSDM. Jalankan tiap hari lewat cron, misalnya: 5 0 * * * manage.py staffing_tick"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_today(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        today = today_from(options)
        released = services.release_queue(today=today)
        self.stdout.write(f"Lowongan dilepas dari antrean: {len(released)}")
