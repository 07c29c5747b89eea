"""Every state change of the organisation registry, people and accounts. One transaction each."""

from __future__ import annotations

import csv
import hashlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.core import ledger
from pamong.organisation.identity import parse_identity_number
from pamong.organisation.models import (
    OPD,
    ApiToken,
    Employee,
    Kecamatan,
    Kelurahan,
    Pemda,
    Position,
    Role,
    RoleGrant,
    User,
)
from pamong.organisation.ranks import PNS_RANKS, PPPK_RANKS

EMPLOYEE_FIELDS = (
    "name",
    "front_title",
    "back_title",
    "rank",
    "education",
    "status",
    "opd",
    "unit",
    "position",
    "phone",
    "email",
    "sex",
    "birth_date",
)


def _check_rank(kind: str, rank: str) -> None:
    if kind == Employee.Kind.PNS and rank not in PNS_RANKS:
        raise ValidationError({"rank": _("Golongan PNS ditulis seperti III/a (I/a sampai IV/e).")})
    if kind == Employee.Kind.PPPK and rank not in PPPK_RANKS:
        raise ValidationError({"rank": _("Golongan PPPK ditulis dengan angka Romawi I sampai XVII.")})
    if kind == Employee.Kind.PTT and rank:
        raise ValidationError({"rank": _("PTT tidak memiliki golongan; kosongkan isian ini.")})


def _check_placement(employee: Employee) -> None:
    errors: dict[str, str] = {}
    if employee.unit is not None and employee.unit.opd_id != employee.opd_id:
        errors["unit"] = _("Unit yang dipilih bukan bagian dari OPD pegawai ini.")
    if employee.position_id:
        position = Position.objects.select_for_update().get(pk=employee.position_id)
        if position.opd_id != employee.opd_id:
            errors["position"] = _("Jabatan yang dipilih bukan jabatan di OPD pegawai ini.")
        elif position.is_structural:
            if employee.kind == Employee.Kind.PTT:
                errors["position"] = _("Jabatan struktural hanya dapat dijabat oleh PNS.")
            holder = (
                Employee.objects.filter(position=position, status__in=list(Employee.ACTIVE_STATUSES))
                .exclude(pk=employee.pk)
                .first()
            )
            if holder is not None:
                errors["position"] = _(
                    "Jabatan %(jabatan)s sudah dijabat oleh %(nama)s; kosongkan dulu jabatan itu."
                ) % {"jabatan": position.name, "nama": holder.full_name}
    if errors:
        raise ValidationError(errors)


def _check_editor(by: User, opd: OPD) -> None:
    from pamong.organisation.queries import opds_where_user_edits_people

    if not opds_where_user_edits_people(by).filter(pk=opd.pk).exists():
        raise ValidationError({"opd": _("Anda tidak berwenang mengubah data pegawai OPD ini.")})


@transaction.atomic
def create_employee(*, identity_number: str, by: User | None, **fields: Any) -> Employee:
    """Register an employee. The identity number decides the kind and, for ASN, birth date and sex."""
    try:
        parsed = parse_identity_number(identity_number)
    except ValidationError as exc:
        raise ValidationError({"identity_number": exc.messages}) from None
    if Employee.objects.filter(identity_number=parsed.number).exists():
        raise ValidationError(
            {
                "identity_number": _(
                    "Pegawai dengan nomor %(nomor)s sudah terdaftar. Bila ia pindah OPD, ubah data "
                    "yang ada (atau minta BKPSDM), jangan mendaftarkannya lagi."
                )
                % {"nomor": parsed.number}
            }
        )
    data = {k: v for k, v in fields.items() if k in EMPLOYEE_FIELDS}
    employee = Employee(kind=parsed.kind.value, identity_number=parsed.number, start_date=parsed.start_date, **data)
    if parsed.birth_date is not None:
        employee.birth_date = parsed.birth_date
    if parsed.sex is not None:
        employee.sex = parsed.sex.value
    if by is not None:
        _check_editor(by, employee.opd)
    _check_rank(employee.kind, employee.rank)
    _check_placement(employee)
    employee.full_clean()
    with set_actor(by):
        employee.save()
    return employee


@transaction.atomic
def update_employee(employee: Employee, *, by: User | None, **fields: Any) -> Employee:
    """Change an employee's record; both the old and the new OPD must be the editor's."""
    locked = Employee.objects.select_for_update().get(pk=employee.pk)
    if by is not None:
        _check_editor(by, locked.opd)
    for key, value in fields.items():
        if key in EMPLOYEE_FIELDS:
            setattr(locked, key, value)
    if by is not None:
        _check_editor(by, locked.opd)
    _check_rank(locked.kind, locked.rank)
    _check_placement(locked)
    locked.full_clean()
    with set_actor(by):
        locked.save()
    return locked


@transaction.atomic
def grant_role(user: User, role: str, *, opd: OPD | None = None, witness_body: str = "", by: User | None) -> RoleGrant:
    if role == Role.PEGAWAI:
        raise ValidationError(_("Peran Pegawai mengikuti data kepegawaian; tidak diberikan terpisah."))
    with set_actor(by):
        grant, created = RoleGrant.objects.get_or_create(
            user=user, role=role, opd=opd, defaults={"witness_body": witness_body}
        )
    if created:
        # Who holds which authority, and since when, must stay provable.
        ledger.append_entry("organisation.role_granted", grant, by=by)
    user.forget_roles()
    return grant


def requires_two_factor(user: User) -> bool:
    """Decision-holding roles, and anyone with access to the Django admin, need a second factor."""
    return user.is_staff or user.has_role(*settings.PAMONG_TWO_FACTOR_ROLES)


# --- API tokens --------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: Any
    api_token: ApiToken


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_api_token(user: User) -> IssuedToken:
    """A new bearer token; the caller sees it once, the database keeps only its hash."""
    token = secrets.token_urlsafe(32)
    expires_at = timezone.now() + settings.PAMONG_API_TOKEN_TTL
    row = ApiToken.objects.create(user=user, key_hash=_token_hash(token), expires_at=expires_at)
    return IssuedToken(token=token, expires_at=expires_at, api_token=row)


def api_token_for(token: str) -> ApiToken | None:
    """The valid token row for a bearer token, or None."""
    found = ApiToken.objects.select_related("user").filter(key_hash=_token_hash(token)).first()
    if found is None or not found.is_valid_at(timezone.now()):
        return None
    return found


def user_for_api_token(token: str) -> User | None:
    now = timezone.now()
    found = api_token_for(token)
    if found is None:
        return None
    # Touch at most once a minute so a busy client does not write on every request.
    if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user


@transaction.atomic
def revoke_api_tokens(user: User) -> int:
    deleted, _detail = ApiToken.objects.filter(user=user).delete()
    return deleted


# --- Regions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionImport:
    kecamatan: int
    kelurahan: int
    with_boundary: int


class RegionDataMissing(Exception):
    pass


def ensure_pemda(code: str = "53.71", name: str = "Pemerintah Kota Kupang", short_name: str = "Kota Kupang") -> Pemda:
    pemda, _created = Pemda.objects.get_or_create(code=code, defaults={"name": name, "short_name": short_name})
    return pemda


@transaction.atomic
def import_regions(directory: Path, *, pemda: Pemda | None = None) -> RegionImport:
    """Load kecamatan and kelurahan (codes, names, boundaries) from a directory shaped like
    shared/data/kupang: ``kelurahan.csv`` and ``kelurahan.geojson`` (``kecamatan.geojson`` optional).

    Idempotent: running it again updates names and boundaries in place.
    """
    csv_path = directory / "kelurahan.csv"
    geo_path = directory / "kelurahan.geojson"
    if not csv_path.is_file():
        raise RegionDataMissing(_("Berkas %(berkas)s tidak ditemukan; wilayah tidak dimuat.") % {"berkas": csv_path})
    pemda = pemda or ensure_pemda()
    boundaries: dict[str, dict[str, Any]] = {}
    if geo_path.is_file():
        for feature in json.loads(geo_path.read_text(encoding="utf-8"))["features"]:
            boundaries[feature["properties"]["kelurahan_code"]] = feature
    kec_boundaries: dict[str, Any] = {}
    kec_path = directory / "kecamatan.geojson"
    if kec_path.is_file():
        for feature in json.loads(kec_path.read_text(encoding="utf-8"))["features"]:
            props = feature["properties"]
            kec_boundaries[props.get("kecamatan_code") or props.get("code")] = feature["geometry"]

    kecamatan: dict[str, Kecamatan] = {}
    kelurahan_count = with_boundary = 0
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                kec_code, kec_name = row["kecamatan_code"].strip(), row["kecamatan"].strip()
                kel_code, kel_name = row["kelurahan_code"].strip(), row["kelurahan"].strip()
            except (KeyError, AttributeError):
                raise ValidationError(
                    _(
                        "Baris %(baris)d %(berkas)s: kolom kecamatan_code, kecamatan, kelurahan_code, "
                        "kelurahan wajib ada."
                    )
                    % {"baris": line, "berkas": csv_path.name}
                ) from None
            if not kel_code.startswith(kec_code + "."):
                raise ValidationError(
                    _("Baris %(baris)d: kode kelurahan %(kel)s tidak berada di kecamatan %(kec)s.")
                    % {"baris": line, "kel": kel_code, "kec": kec_code}
                )
            if kec_code not in kecamatan:
                kecamatan[kec_code], _c = Kecamatan.objects.update_or_create(
                    code=kec_code,
                    defaults={"pemda": pemda, "name": kec_name, "boundary": kec_boundaries.get(kec_code)},
                )
            feature = boundaries.get(kel_code)
            props = feature["properties"] if feature else {}
            kelurahan = Kelurahan(
                kecamatan=kecamatan[kec_code],
                code=kel_code,
                name=kel_name,
                boundary=feature["geometry"] if feature else None,
                centroid_lat=props.get("centroid_lat"),
                centroid_lng=props.get("centroid_lng"),
                area_km2=props.get("area_km2_approx"),
            )
            kelurahan.full_clean(exclude=["kecamatan"], validate_unique=False)
            Kelurahan.objects.update_or_create(
                code=kel_code,
                defaults={
                    f: getattr(kelurahan, f)
                    for f in ("kecamatan", "name", "boundary", "centroid_lat", "centroid_lng", "area_km2")
                },
            )
            kelurahan_count += 1
            with_boundary += feature is not None
    return RegionImport(kecamatan=len(kecamatan), kelurahan=kelurahan_count, with_boundary=with_boundary)
