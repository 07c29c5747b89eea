from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pamong.core.ledger import issue_checkpoint, signed_note


class Command(BaseCommand):
    help = "Terbitkan checkpoint bertanda tangan dari buku besar (jalankan berkala, misalnya tiap 5 menit lewat cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = issue_checkpoint()
        if checkpoint is None:
            self.stdout.write("Buku besar masih kosong; belum ada checkpoint.")
            return
        self.stdout.write(signed_note(checkpoint), ending="")
