"""The cast every test class can build once (setUpTestData): the people of a small city hall.

Names say who they are, so tests read like a specification:
``self.mayor``, ``self.sekda``, ``self.inspector``, ``self.bkpsdm``, ``self.bkad``, ``self.bappeda``,
``self.health_head`` (Kepala Dinas Kesehatan), ``self.health_operator``, ``self.school_operator``
(operator of another OPD), ``self.clerk`` (a plain PNS of the health office), ``self.ptt``,
``self.witness`` (Bawaslu), and ``self.anonymous`` is simply a client that never logged in.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from pamong.organisation.identity import Sex, compose_nip, compose_ptt
from pamong.organisation.models import OPD, Employee, Pemda, Position, Role, RoleGrant, User

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "rahasia-uji-123"


@cache
def password_hash() -> str:
    # Argon2 costs ~0.1 s; hash once per process and share it among the cast.
    return make_password(PASSWORD)


_serial = iter(range(1, 10**6))


def make_nip(*, birth: dt.date = dt.date(1985, 3, 14), tmt: dt.date = dt.date(2010, 1, 1), sex: Sex = Sex.MALE) -> str:
    return compose_nip(birth, tmt, sex, next(_serial) % 999 + 1)


def make_employee(
    opd: OPD, name: str, *, kind: str = "pns", position: Position | None = None, **extra: Any
) -> Employee:
    if kind == "ptt":
        number = compose_ptt(2019, next(_serial))
        defaults: dict[str, Any] = {"sex": "P", "start_date": dt.date(2019, 1, 1), "rank": ""}
    else:
        birth = extra.pop("birth_date", dt.date(1985, 3, 14))
        number = extra.pop("identity_number", None) or make_nip(birth=birth)
        defaults = {"sex": "L", "birth_date": birth, "start_date": dt.date(2010, 1, 1), "rank": "III/b"}
    defaults.update(extra)
    return Employee.objects.create(kind=kind, identity_number=number, name=name, opd=opd, position=position, **defaults)


def make_user(
    employee: Employee | None = None,
    *,
    username: str | None = None,
    roles: tuple[tuple[str, OPD | None], ...] = (),
    witness_body: str = "",
    totp: bool = False,
) -> User:
    user = User.objects.create(
        username=username or (employee.identity_number if employee else "user"),
        full_name=employee.full_name if employee else (username or "user"),
        employee=employee,
        password=password_hash(),
    )
    for role, opd in roles:
        RoleGrant.objects.create(user=user, role=role, opd=opd, witness_body=witness_body)
    if totp:
        TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
    return user


def login(client: Client, user: User) -> Client:
    """Log a user in, with the second factor passed when they have a device."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


class CastMixin:
    """Mix into a django.test.TestCase; call ``build_cast(cls)`` from setUpTestData."""

    pemda: Pemda
    setda: OPD
    health: OPD
    schools: OPD
    inspectorate: OPD
    personnel: OPD
    health_head_post: Position
    health_secretary_post: Position
    mayor: User
    sekda: User
    inspector: User
    bkpsdm: User
    bkad: User
    bappeda: User
    health_head: User
    health_operator: User
    school_operator: User
    clerk: User
    ptt: User
    witness: User
    teacher: Employee

    @classmethod
    def build_cast(cls) -> None:
        cls.pemda = Pemda.objects.create(code="53.71", name="Pemerintah Kota Kupang", short_name="Kota Kupang")
        cls.setda = OPD.objects.create(
            pemda=cls.pemda, code="setda", name="Sekretariat Daerah", abbreviation="Setda", kind="sekretariat"
        )
        cls.health = OPD.objects.create(
            pemda=cls.pemda, code="dinkes", name="Dinas Kesehatan", abbreviation="Dinkes", kind="dinas"
        )
        cls.schools = OPD.objects.create(
            pemda=cls.pemda, code="dindik", name="Dinas Pendidikan", abbreviation="Dindik", kind="dinas"
        )
        cls.inspectorate = OPD.objects.create(
            pemda=cls.pemda, code="inspektorat", name="Inspektorat Daerah", kind="inspektorat"
        )
        cls.personnel = OPD.objects.create(pemda=cls.pemda, code="bkppd", name="BKPPD", kind="badan")
        cls.health_head_post = Position.objects.create(
            opd=cls.health, name="Kepala Dinas Kesehatan", level="jpt_pratama", grade="II.b", is_head_of_opd=True
        )
        cls.health_secretary_post = Position.objects.create(
            opd=cls.health,
            name="Sekretaris Dinas Kesehatan",
            level="administrator",
            grade="III.a",
            superior=cls.health_head_post,
        )

        cls.mayor = make_user(username=make_nip(birth=dt.date(1968, 5, 2)), roles=((Role.WALI_KOTA, None),), totp=True)
        cls.sekda = make_user(make_employee(cls.setda, "Sekretaris Daerah"), roles=((Role.SEKDA, None),), totp=True)
        cls.inspector = make_user(
            make_employee(cls.inspectorate, "Inspektur Pembantu"), roles=((Role.INSPEKTORAT, None),), totp=True
        )
        cls.bkpsdm = make_user(
            make_employee(cls.personnel, "Analis Kepegawaian"), roles=((Role.BKPSDM, None),), totp=True
        )
        cls.bkad = make_user(make_employee(cls.setda, "Analis Keuangan"), roles=((Role.BKAD, None),), totp=True)
        cls.bappeda = make_user(make_employee(cls.setda, "Perencana"), roles=((Role.BAPPEDA, None),))
        cls.health_head = make_user(
            make_employee(cls.health, "Kepala Dinkes", position=cls.health_head_post, rank="IV/b"),
            roles=((Role.KEPALA_OPD, cls.health),),
        )
        cls.health_operator = make_user(
            make_employee(cls.health, "Operator Dinkes"), roles=((Role.OPERATOR_OPD, cls.health),)
        )
        cls.school_operator = make_user(
            make_employee(cls.schools, "Operator Dindik"), roles=((Role.OPERATOR_OPD, cls.schools),)
        )
        cls.clerk = make_user(make_employee(cls.health, "Pelaksana Dinkes"))
        cls.ptt = make_user(make_employee(cls.health, "Tenaga Kontrak", kind="ptt"))
        cls.witness = make_user(
            username="saksi.bawaslu", roles=((Role.SAKSI, None),), witness_body="Bawaslu Kota Kupang"
        )
        cls.teacher = make_employee(cls.schools, "Guru Dindik")

    def client_for(self, user: User | None) -> Client:
        client = Client()
        return login(client, user) if user is not None else client


class RaceMixin:
    """For tests that race writers in child processes: SQLite's in-memory test database is copied
    to a file for the children and back again; PostgreSQL children get the test database's URL."""

    def run_children(self, sync: Path, script: str, env: dict[str, str], per_child: list[dict[str, str]]) -> None:
        """Start one ``manage.py shell -c script`` per entry of ``per_child`` against the test
        database, let them begin together (each touches ``ready-*`` in ``sync``, then waits for
        ``go``), and require that every one exits cleanly."""
        env = dict(env)
        if connection.vendor == "sqlite":
            env.pop("DATABASE_URL", None)
            env["SQLITE_PATH"] = str(sync / "race.sqlite3")
            self.copy_sqlite(to_file=sync / "race.sqlite3")
        else:
            env["DATABASE_URL"] = self.postgres_url()
        children = [
            subprocess.Popen(
                [sys.executable, "manage.py", "shell", "-c", script],
                cwd=ROOT,
                env={**env, **extra},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for extra in per_child
        ]
        try:
            deadline = time.monotonic() + 60
            while len(list(sync.glob("ready-*"))) < len(children):
                if time.monotonic() > deadline or any(c.poll() is not None for c in children):
                    break
                time.sleep(0.01)
            (sync / "go").touch()  # all connected: start together
            outputs = [c.communicate(timeout=120) for c in children]
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()
                    child.wait()
        for child, (_out, err) in zip(children, outputs, strict=True):
            assert child.returncode == 0, err
        if connection.vendor == "sqlite":
            self.copy_sqlite(from_file=sync / "race.sqlite3")

    def copy_sqlite(self, *, to_file: Path | None = None, from_file: Path | None = None) -> None:
        import sqlite3

        connection.ensure_connection()
        memory = connection.connection
        if to_file is not None:
            with sqlite3.connect(to_file) as target:
                memory.backup(target)
            target.close()
        if from_file is not None:
            source = sqlite3.connect(from_file)
            try:
                source.backup(memory)
            finally:
                source.close()

    def postgres_url(self) -> str:
        db = settings.DATABASES["default"]
        user, password = quote(db.get("USER") or ""), quote(str(db.get("PASSWORD") or ""))
        return f"postgres://{user}:{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
