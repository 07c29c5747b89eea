"""Import the records eligibility reads — posts held, yearly performance ratings, discipline
sanctions — from one Excel workbook, in the shape BKPSDM keeps them (one sheet each, one row per
record, the employee by NIP).

All or nothing: every row is read and checked first; if any row is wrong, nothing is saved and the
answer lists every wrong row by sheet and row number, with what to fix, in Indonesian. Importing the
same workbook again replaces each listed employee's records of that kind, so a corrected export can
simply be imported again.

Sheets and columns (header row first; column order free, names case-insensitive):

* ``Riwayat Jabatan``: NIP, Nama Jabatan, Jenjang, Jenjang Fungsional, Rumpun, TMT, Sampai
* ``Predikat Kinerja``: NIP, Tahun, Predikat
* ``Hukuman Disiplin``: NIP, Tingkat, Hukuman, Nomor SK, Mulai, Sampai
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any
from zipfile import BadZipFile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pamong.organisation.models import Employee, Position, Role, User
from pamong.staffing.models import DisciplineRecord, Field, PerformanceRating, ServiceRecord

SHEETS: dict[str, list[str]] = {
    "Riwayat Jabatan": ["NIP", "Nama Jabatan", "Jenjang", "Jenjang Fungsional", "Rumpun", "TMT", "Sampai"],
    "Predikat Kinerja": ["NIP", "Tahun", "Predikat"],
    "Hukuman Disiplin": ["NIP", "Tingkat", "Hukuman", "Nomor SK", "Mulai", "Sampai"],
}
MAX_ROWS = 50_000


@dataclass
class ImportResult:
    service_records: int = 0
    ratings: int = 0
    discipline_records: int = 0
    employees: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _label_map(choices: list[tuple[str, Any]]) -> dict[str, str]:
    """Accept a choice by its code or its label, case- and space-insensitively."""
    mapping: dict[str, str] = {}
    for value, label in choices:
        mapping[_key(value)] = value
        mapping[_key(str(label))] = value
    return mapping


def _key(text: Any) -> str:
    return " ".join(str(text or "").replace("_", " ").split()).casefold()


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.replace("/", "-").split("-")
    if len(parts) == 3 and all(part.isdigit() for part in parts):  # 17-10-2024, as typed in Indonesia
        try:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            pass
    raise ValueError(text)


def _nip(value: Any) -> str:
    text = str(value or "").strip().replace(" ", "")
    return text[:-2] if text.endswith(".0") else text


def _rows(sheet: Any, wanted: list[str], errors: list[str]) -> list[tuple[int, dict[str, Any]]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return []
    columns = {_key(name): index for index, name in enumerate(header) if name}
    missing = [name for name in wanted if _key(name) not in columns and name not in ("Jenjang Fungsional", "Sampai")]
    if missing:
        errors.append(
            _("Lembar %(sheet)s: kolom %(columns)s tidak ada di baris judul.")
            % {"sheet": sheet.title, "columns": ", ".join(missing)}
        )
        return []
    out = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            errors.append(_("Lembar %(sheet)s: paling banyak %(n)d baris.") % {"sheet": sheet.title, "n": MAX_ROWS})
            break
        if not any(v not in (None, "") for v in values):
            continue
        record = {name: values[columns[_key(name)]] if _key(name) in columns else None for name in wanted}
        out.append((number, record))
    return out


def import_records(source: IO[bytes], *, by: User | None) -> ImportResult:
    """Read the workbook and, when every row is right, replace the records of the employees it lists."""
    if by is not None and not by.has_role(Role.BKPSDM):
        raise PermissionDenied(_("Riwayat pegawai diimpor oleh BKPSDM."))
    result = ImportResult()
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise ValidationError(_("Berkas bukan buku kerja Excel (.xlsx) yang dapat dibaca.")) from exc
    present = [name for name in SHEETS if name in workbook.sheetnames]
    if not present:
        raise ValidationError(
            _("Buku kerja tidak punya lembar %(sheets)s.") % {"sheets": ", ".join(f"'{s}'" for s in SHEETS)}
        )
    read = {name: _rows(workbook[name], SHEETS[name], result.errors) for name in present}
    nips = {_nip(row["NIP"]) for rows in read.values() for _n, row in rows}
    employees = {e.identity_number: e for e in Employee.objects.filter(identity_number__in=nips)}
    levels = _label_map(list(Position.Level.choices))
    fields = _label_map(list(Field.choices))
    ratings = _label_map(list(PerformanceRating.Rating.choices))
    sanction_levels = _label_map(list(DisciplineRecord.Level.choices))

    def problem(sheet: str, number: int, message: str) -> None:
        result.errors.append(
            _("Lembar %(sheet)s baris %(row)d: %(message)s") % {"sheet": sheet, "row": number, "message": message}
        )

    def employee_of(sheet: str, number: int, row: dict[str, Any]) -> Employee | None:
        found = employees.get(_nip(row["NIP"]))
        if found is None:
            problem(sheet, number, _("NIP %(nip)s tidak ditemukan di data pegawai.") % {"nip": _nip(row["NIP"])})
        return found

    def dates(sheet: str, number: int, row: dict[str, Any], start: str, end: str) -> tuple[Any, Any] | None:
        try:
            first, last = _date(row[start]), _date(row.get(end))
        except ValueError as exc:
            problem(sheet, number, _("tanggal '%(text)s' tidak terbaca; tulis TTTT-BB-HH.") % {"text": exc})
            return None
        if first is None:
            problem(sheet, number, _("kolom %(column)s wajib diisi.") % {"column": start})
            return None
        if last is not None and last < first:
            problem(sheet, number, _("%(end)s tidak boleh sebelum %(start)s.") % {"end": end, "start": start})
            return None
        return first, last

    new_services: list[ServiceRecord] = []
    for number, row in read.get("Riwayat Jabatan", []):
        sheet = "Riwayat Jabatan"
        employee = employee_of(sheet, number, row)
        level = levels.get(_key(row["Jenjang"]))
        field_value = fields.get(_key(row["Rumpun"]))
        span = dates(sheet, number, row, "TMT", "Sampai")
        if level is None:
            problem(sheet, number, _("jenjang '%(text)s' tidak dikenal.") % {"text": row["Jenjang"] or ""})
        if field_value is None:
            problem(sheet, number, _("rumpun '%(text)s' tidak dikenal.") % {"text": row["Rumpun"] or ""})
        name = str(row["Nama Jabatan"] or "").strip()
        if not name:
            problem(sheet, number, _("kolom Nama Jabatan wajib diisi."))
        if employee and level and field_value and span and name:
            new_services.append(
                ServiceRecord(
                    employee=employee,
                    position_name=name[:200],
                    level=level,
                    functional_grade=_key(row.get("Jenjang Fungsional")).replace(" ", "_")[:20],
                    field=field_value,
                    starts_on=span[0],
                    ends_on=span[1],
                )
            )
    new_ratings: list[PerformanceRating] = []
    seen_years: set[tuple[int, int]] = set()
    for number, row in read.get("Predikat Kinerja", []):
        sheet = "Predikat Kinerja"
        employee = employee_of(sheet, number, row)
        rating = ratings.get(_key(row["Predikat"]))
        try:
            year = int(str(row["Tahun"]).strip().removesuffix(".0"))
        except ValueError:
            year = 0
        if not 2000 <= year <= 2100:
            problem(sheet, number, _("tahun '%(text)s' tidak sah.") % {"text": row["Tahun"] or ""})
        if rating is None:
            problem(sheet, number, _("predikat '%(text)s' tidak dikenal.") % {"text": row["Predikat"] or ""})
        if employee and rating and 2000 <= year <= 2100:
            if (employee.pk, year) in seen_years:
                problem(sheet, number, _("predikat tahun %(year)d untuk NIP ini ditulis dua kali.") % {"year": year})
                continue
            seen_years.add((employee.pk, year))
            new_ratings.append(PerformanceRating(employee=employee, year=year, rating=rating))
    new_discipline: list[DisciplineRecord] = []
    for number, row in read.get("Hukuman Disiplin", []):
        sheet = "Hukuman Disiplin"
        employee = employee_of(sheet, number, row)
        level = sanction_levels.get(_key(row["Tingkat"]))
        span = dates(sheet, number, row, "Mulai", "Sampai")
        sanction = str(row["Hukuman"] or "").strip()
        decree = str(row["Nomor SK"] or "").strip()
        if level is None:
            problem(
                sheet,
                number,
                _("tingkat '%(text)s' harus Ringan, Sedang, atau Berat.") % {"text": row["Tingkat"] or ""},
            )
        if not sanction or not decree:
            problem(sheet, number, _("kolom Hukuman dan Nomor SK wajib diisi."))
        if employee and level and span and sanction and decree:
            new_discipline.append(
                DisciplineRecord(
                    employee=employee,
                    level=level,
                    sanction=sanction[:200],
                    decree_number=decree[:100],
                    starts_on=span[0],
                    ends_on=span[1],
                )
            )
    if result.errors:
        return result
    with transaction.atomic():
        if "Riwayat Jabatan" in present:
            ServiceRecord.objects.filter(employee_id__in={r.employee_id for r in new_services}).delete()
            ServiceRecord.objects.bulk_create(new_services)
        if "Predikat Kinerja" in present:
            PerformanceRating.objects.filter(employee_id__in={r.employee_id for r in new_ratings}).delete()
            PerformanceRating.objects.bulk_create(new_ratings)
        if "Hukuman Disiplin" in present:
            DisciplineRecord.objects.filter(employee_id__in={r.employee_id for r in new_discipline}).delete()
            DisciplineRecord.objects.bulk_create(new_discipline)
    result.service_records, result.ratings, result.discipline_records = (
        len(new_services),
        len(new_ratings),
        len(new_discipline),
    )
    result.employees = len(
        {r.employee_id for r in new_services}
        | {r.employee_id for r in new_ratings}
        | {r.employee_id for r in new_discipline}
    )
    return result


def template_workbook() -> Workbook:
    """An empty workbook with the three sheets and their header rows, to fill and import."""
    workbook = Workbook()
    first = True
    for name, columns in SHEETS.items():
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        sheet.title = name
        sheet.append(columns)
        first = False
    return workbook
