from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamong.organisation.forms import canonical_username
from pamong.organisation.models import OPD, OPD_SCOPED_ROLES, Role, User
from pamong.organisation.services import grant_role


class Command(BaseCommand):
    help = "Berikan peran kepada pengguna (dicatat di buku besar transparansi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="NIP / NI PPPK / nomor PTT atau nama pengguna saksi.")
        parser.add_argument("role", choices=[r for r in Role.values if r != Role.PEGAWAI])
        parser.add_argument("--opd", help="Kode OPD, wajib untuk kepala_opd dan operator_opd.")
        parser.add_argument("--witness-body", default="", help='Untuk saksi: lembaganya, misalnya "KPU Kota Kupang".')

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=canonical_username(options["username"])).first()
        if user is None:
            raise CommandError(f"Pengguna {options['username']} tidak ditemukan.")
        opd = None
        if options["opd"]:
            opd = OPD.objects.filter(code=options["opd"]).first()
            if opd is None:
                raise CommandError(f"OPD dengan kode {options['opd']} tidak ditemukan.")
        if options["role"] in OPD_SCOPED_ROLES and opd is None:
            raise CommandError("Peran ini berlaku untuk satu OPD: sebutkan --opd KODE.")
        if options["role"] == Role.SAKSI and not options["witness_body"]:
            raise CommandError('Peran saksi memerlukan --witness-body, misalnya "Bawaslu Kota Kupang".')
        try:
            grant = grant_role(user, options["role"], opd=opd, witness_body=options["witness_body"], by=None)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"{user.full_name}: {grant} diberikan."))
