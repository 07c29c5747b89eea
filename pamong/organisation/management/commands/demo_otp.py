from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pamong.organisation.forms import canonical_username
from pamong.organisation.models import User


class Command(BaseCommand):
    help = "Tampilkan kode TOTP 6 digit yang berlaku sekarang untuk akun demo (hanya dalam mode demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="NIP, NI PPPK, nomor PTT, atau nama pengguna akun demo.")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "demo_otp hanya tersedia dalam mode demo. Di produksi kode sekali pakai hanya ada di aplikasi "
                "autentikator pemilik akun."
            )
        user = (
            User.objects.filter(username=canonical_username(username)).first()
            or User.objects.filter(username=username.strip()).first()
        )
        if user is None:
            raise CommandError(f"Pengguna {username} tidak ditemukan.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(
                f"Pengguna {user.username} tidak memiliki perangkat TOTP yang aktif. seed_kupang hanya "
                "menyiapkannya untuk akun demo yang wajib faktor kedua (Wali Kota, Sekda, Inspektorat, BKPSDM, BKAD)."
            )
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
