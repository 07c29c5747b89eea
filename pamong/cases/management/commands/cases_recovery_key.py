from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamong.cases import services
from pamong.organisation.forms import canonical_username
from pamong.organisation.models import User


class Command(BaseCommand):
    help = (
        "Buat kunci pemulihan baru untuk Inspektorat dan tampilkan sekali. Cetak, simpan di brankas kantor; "
        "Pamong tidak menyimpannya. Laporan baru dikunci juga untuk kunci ini."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--by", required=True, help="NIP atau nama pengguna pegawai Inspektorat yang membuatnya.")

    def handle(self, *args: Any, **options: Any) -> None:
        username = canonical_username(options["by"])
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Tidak ada pengguna aktif {options['by']!r}.")
        try:
            text = services.create_recovery_key(user)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write("Kunci pemulihan baru (hanya ditampilkan sekali ini):")
        self.stdout.write("")
        self.stdout.write(f"    {text}")
        self.stdout.write("")
        self.stdout.write(
            "Cetak atau tulis kunci ini, periksa setiap hurufnya, lalu simpan di brankas kantor Inspektorat."
        )
        self.stdout.write(
            "Jangan simpan di komputer, surel, atau ponsel. Kunci sebelumnya tidak dipakai lagi untuk laporan baru."
        )
