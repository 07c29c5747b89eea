from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pamong.cases import services
from pamong.core.management.options import add_today, today_from


class Command(BaseCommand):
    help = (
        "Pekerjaan berkala laporan rahasia: catat laporan baru ke buku besar, kirim pengingat batas waktu, "
        "tandai atasan yang lalai (PP 94/2021 Pasal 26/28), musnahkan kunci laporan yang habis masa simpannya, "
        "dan hapus berkas yatim. Jalankan tiap 15 menit lewat cron, misalnya: */15 * * * * manage.py cases_tick"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_today(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        today = today_from(options)
        result = services.tick(today=today)
        swept = services.sweep_orphan_files()
        self.stdout.write(f"Dicatat ke buku besar: {result.ledgered} laporan baru")
        self.stdout.write(f"Pengingat batas waktu dikirim: {result.reminded} laporan")
        self.stdout.write(f"Atasan ditandai lalai: {result.flagged} laporan")
        self.stdout.write(f"Kunci dimusnahkan (masa simpan habis): {result.purged} laporan")
        self.stdout.write(f"Berkas yatim dihapus: {swept}")
