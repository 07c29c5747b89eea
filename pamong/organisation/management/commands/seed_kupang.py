from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError

from pamong.organisation.demo import (
    DEFAULT_SEED,
    DemoNotAllowed,
    build_demo_city,
    demo_city_exists,
    format_summary,
    reset_demo_city,
)
from pamong.organisation.models import OPD, Employee

MAX_SCALE = 100.0


class Command(BaseCommand):
    help = (
        "Bangun kota demo Kupang: wilayah dan OPD nyata, pegawai sintetis, dan akun demo untuk setiap peran. "
        "Hanya dalam mode demo; tidak pernah di produksi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"Benih acak (bawaan {DEFAULT_SEED}).")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Skala jumlah pegawai (1 = sekitar 4.300 PNS, 700 PPPK, 2.400 PTT).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Jangan lakukan apa pun bila kota demo (atau data organisasi lain) sudah ada.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Hapus data organisasi yang ada (pengguna selain superuser, peran, pegawai, jabatan, unit, OPD) "
            "lalu bangun ulang.",
        )
        parser.add_argument("--data-dir", default=None, help="Folder data Kupang (bawaan: PAMONG_DATA_DIR).")

    def handle(
        self, *args: Any, seed: int, scale: float, if_empty: bool, reset: bool, data_dir: str | None, **options: Any
    ) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "seed_kupang menolak berjalan: akun demo dengan kata sandi bersama tidak boleh dibuat di produksi "
                "(PAMONG_ENV=production). Pakai PAMONG_ENV=demo untuk kota demo."
            )
        if not 0 < scale <= MAX_SCALE:
            raise CommandError(f"Skala harus lebih dari 0 dan paling besar {MAX_SCALE:g}; yang diberikan {scale:g}.")

        if demo_city_exists():
            employees, agencies = Employee.objects.count(), OPD.objects.count()
            if if_empty:
                self.stdout.write(f"Kota demo sudah ada ({employees} pegawai, {agencies} OPD); tidak ada yang diubah.")
                return
            if not reset:
                raise CommandError(
                    f"Basis data sudah berisi data organisasi ({employees} pegawai, {agencies} OPD). "
                    "Tambahkan --reset untuk menghapusnya dan membangun ulang kota demo, "
                    "atau --if-empty untuk membiarkannya."
                )
        path = Path(data_dir) if data_dir else Path(settings.PAMONG_DATA_DIR)
        try:
            with transaction.atomic():
                if reset and demo_city_exists():
                    removed = reset_demo_city()
                    self.stdout.write(
                        "Data organisasi lama dihapus: {users} pengguna, {employees} pegawai, {positions} jabatan, "
                        "{units} unit, {opd} OPD.".format(**removed)
                    )
                summary = build_demo_city(seed=seed, scale=scale, data_dir=path, stdout=self.stdout)
        except DemoNotAllowed as exc:
            raise CommandError(str(exc)) from None
        except (ProtectedError, RestrictedError) as exc:
            raise CommandError(
                "Data organisasi lama tidak dapat dihapus karena masih dirujuk oleh data modul lain "
                f"({exc.args[0]}). Tidak ada yang diubah."
            ) from None
        except (IntegrityError, ValidationError) as exc:
            raise CommandError(f"Kota demo gagal dibangun dan tidak ada yang disimpan: {exc}") from None
        self.stdout.write(format_summary(summary))
