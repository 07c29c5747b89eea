from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamong.cases import services


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Tanggal harus berformat TTTT-BB-HH, bukan {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Pekerjaan berkala laporan rahasia: catat laporan baru ke buku besar, kirim pengingat batas waktu, "
        "tandai atasan yang lalai (PP 94/2021 Pasal 26/28), musnahkan kunci laporan yang habis masa simpannya, "
        "dan hapus berkas yatim. Jalankan tiap 15 menit lewat cron, misalnya: */15 * * * * manage.py cases_tick"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=_date, help="Tanggal kerja (TTTT-BB-HH); bawaan: hari ini.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options.get("today")
        if isinstance(today, str):  # call_command(today="2024-10-17") passes the text through
            today = _date(today)
        result = services.tick(today=today)
        swept = services.sweep_orphan_files()
        self.stdout.write(f"Dicatat ke buku besar: {result.ledgered} laporan baru")
        self.stdout.write(f"Pengingat batas waktu dikirim: {result.reminded} laporan")
        self.stdout.write(f"Atasan ditandai lalai: {result.flagged} laporan")
        self.stdout.write(f"Kunci dimusnahkan (masa simpan habis): {result.purged} laporan")
        self.stdout.write(f"Berkas yatim dihapus: {swept}")
