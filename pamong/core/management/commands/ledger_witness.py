from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamong.core import ledger, notes
from pamong.core.models import Cosignature, Witness


class Command(BaseCommand):
    help = (
        "Kelola saksi checkpoint (Inspektorat, KPU, Bawaslu): daftarkan kunci, lihat daftar, atau (demo) tanda tangani."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Daftarkan kunci publik saksi (vkey dari scripts/pamong_witness.py keygen).")
        add.add_argument("body", help='Nama lembaga, misalnya "Bawaslu Kota Kupang".')
        add.add_argument("verifier_key", help="Kunci verifikasi saksi: NAMA+IDKUNCI+BASE64.")
        sub.add_parser("list", help="Tampilkan saksi dan checkpoint terbesar yang mereka tanda tangani.")
        sub.add_parser("demo-cosign", help="Mode demo: saksi demo memeriksa dan menandatangani checkpoint terbaru.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "add":
            try:
                name, kind, public_key = notes.parse_verifier_key(options["verifier_key"])
            except notes.NoteError as exc:
                raise CommandError(f"Kunci verifikasi tidak sah: {exc}") from None
            if kind != notes.COSIGNATURE_V1:
                raise CommandError(
                    "Kunci saksi harus bertipe cosignature/v1 (0x04); buat dengan pamong_witness.py keygen."
                )
            try:
                witness = ledger.register_witness(name=name, body=options["body"], public_key=public_key, by=None)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
            self.stdout.write(
                self.style.SUCCESS(f"Saksi {witness.body} ({witness.name}) terdaftar dan dicatat di buku besar.")
            )
        elif action == "list":
            for witness in Witness.objects.order_by("body"):
                last = (
                    Cosignature.objects.filter(witness=witness)
                    .order_by("-checkpoint__size")
                    .values_list("checkpoint__size", flat=True)
                    .first()
                )
                state = f"terakhir menandatangani ukuran {last}" if last else "belum pernah menandatangani"
                self.stdout.write(f"{witness.body:35} {witness.name:40} {state}")
        else:
            from pamong.core.demo import cosign_as_demo_witnesses

            checkpoint = cosign_as_demo_witnesses()
            if checkpoint is None:
                self.stdout.write("Buku besar masih kosong.")
            else:
                self.stdout.write(ledger.signed_note(checkpoint), ending="")
