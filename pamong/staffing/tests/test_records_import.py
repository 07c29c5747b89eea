"""Importing the records eligibility reads from a real Excel workbook: all or nothing, every wrong
row named with what to fix, a corrected workbook imported again replaces the records."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import TestCase
from openpyxl import load_workbook

from pamong.core.testing import CastMixin, make_employee
from pamong.organisation.models import Employee
from pamong.staffing.models import DisciplineRecord, PerformanceRating, ServiceRecord
from pamong.staffing.records_import import import_records, template_workbook


def workbook_bytes(rows: dict[str, list[list[object]]]) -> io.BytesIO:
    book = template_workbook()
    for sheet, values in rows.items():
        for row in values:
            book[sheet].append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


class ImportTests(CastMixin, TestCase):
    official: Employee

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        cls.official = make_employee(cls.schools, "Maria Bara", birth_date=dt.date(1975, 4, 2))

    def good_rows(self) -> dict[str, list[list[object]]]:
        nip = self.official.identity_number
        return {
            "Riwayat Jabatan": [
                [
                    nip,
                    "Kepala Seksi Kurikulum",
                    "Pengawas (eselon IV)",
                    "",
                    "pendidikan",
                    dt.date(2012, 1, 2),
                    "31-12-2015",
                ],
                [nip, "Kepala Bidang SD", "administrator", "", "Pendidikan dan kebudayaan", "2016-01-04", None],
            ],
            "Predikat Kinerja": [[nip, 2023, "Baik"], [nip, "2022", "sangat baik"]],
            "Hukuman Disiplin": [[nip, "Ringan", "Teguran tertulis", "800/3/BKPPD/2019", "2019-03-01", "2019-03-01"]],
        }

    def test_a_good_workbook_is_imported_by_labels_or_codes_and_day_first_dates(self) -> None:
        result = import_records(workbook_bytes(self.good_rows()), by=self.bkpsdm)
        self.assertTrue(result.ok, result.errors)
        self.assertEqual(
            (result.service_records, result.ratings, result.discipline_records, result.employees), (2, 2, 1, 1)
        )
        first = ServiceRecord.objects.get(employee=self.official, level="pengawas")
        self.assertEqual(
            (first.field, first.starts_on, first.ends_on), ("pendidikan", dt.date(2012, 1, 2), dt.date(2015, 12, 31))
        )
        self.assertEqual(
            dict(PerformanceRating.objects.filter(employee=self.official).values_list("year", "rating")),
            {2023: "baik", 2022: "sangat_baik"},
        )
        self.assertEqual(DisciplineRecord.objects.get(employee=self.official).level, "ringan")

    def test_any_wrong_row_saves_nothing_and_every_problem_is_named(self) -> None:
        rows = self.good_rows()
        rows["Riwayat Jabatan"].append(
            ["199901012020011999", "Kepala Seksi", "pengawas", "", "pendidikan", "2020-01-01", None]
        )
        rows["Riwayat Jabatan"].append(
            [self.official.identity_number, "Staf", "eselon V", "", "luar angkasa", "kemarin", None]
        )
        rows["Predikat Kinerja"].append([self.official.identity_number, 2023, "Baik"])
        rows["Predikat Kinerja"].append([self.official.identity_number, "dua ribu", "luar biasa"])
        rows["Hukuman Disiplin"].append([self.official.identity_number, "Keras", "", "", "2020-02-02", "2020-01-01"])
        result = import_records(workbook_bytes(rows), by=self.bkpsdm)
        self.assertFalse(result.ok)
        text = "\n".join(result.errors)
        for expected in (
            "Lembar Riwayat Jabatan baris 4: NIP 199901012020011999 tidak ditemukan",
            "Lembar Riwayat Jabatan baris 5: jenjang 'eselon V' tidak dikenal",
            "rumpun 'luar angkasa' tidak dikenal",
            "tanggal 'kemarin' tidak terbaca",
            "Lembar Predikat Kinerja baris 4: predikat tahun 2023 untuk NIP ini ditulis dua kali",
            "Lembar Predikat Kinerja baris 5: tahun 'dua ribu' tidak sah",
            "predikat 'luar biasa' tidak dikenal",
            "Lembar Hukuman Disiplin baris 3: tingkat 'Keras' harus Ringan, Sedang, atau Berat",
            "Sampai tidak boleh sebelum Mulai",
            "kolom Hukuman dan Nomor SK wajib diisi",
        ):
            self.assertIn(expected, text)
        self.assertFalse(ServiceRecord.objects.exists())
        self.assertFalse(PerformanceRating.objects.exists())
        self.assertFalse(DisciplineRecord.objects.exists())

    def test_importing_again_replaces_the_listed_employees_records_of_the_sheets_present(self) -> None:
        import_records(workbook_bytes(self.good_rows()), by=self.bkpsdm)
        again = {"Predikat Kinerja": [[self.official.identity_number, 2023, "Butuh perbaikan"]]}
        book = template_workbook()
        del book["Riwayat Jabatan"], book["Hukuman Disiplin"]
        for row in again["Predikat Kinerja"]:
            book["Predikat Kinerja"].append(row)
        out = io.BytesIO()
        book.save(out)
        out.seek(0)
        self.assertTrue(import_records(out, by=self.bkpsdm).ok)
        self.assertEqual(
            list(PerformanceRating.objects.filter(employee=self.official).values_list("year", "rating")),
            [(2023, "butuh_perbaikan")],
        )
        self.assertEqual(ServiceRecord.objects.filter(employee=self.official).count(), 2)  # sheet absent: kept

    def test_not_a_workbook_or_no_known_sheet_or_missing_columns(self) -> None:
        with self.assertRaisesMessage(ValidationError, "bukan buku kerja Excel"):
            import_records(io.BytesIO(b"NIP;Tahun\n1;2"), by=self.bkpsdm)
        book = template_workbook()
        for name in list(book.sheetnames):
            book[name].title = f"Lain {name}"
        out = io.BytesIO()
        book.save(out)
        out.seek(0)
        with self.assertRaisesMessage(ValidationError, "tidak punya lembar"):
            import_records(out, by=self.bkpsdm)
        book = template_workbook()
        book["Predikat Kinerja"].delete_cols(3)
        out = io.BytesIO()
        book.save(out)
        out.seek(0)
        self.assertIn("kolom Predikat tidak ada di baris judul", import_records(out, by=self.bkpsdm).errors[0])

    def test_only_bkpsdm_imports(self) -> None:
        with self.assertRaises(PermissionDenied):
            import_records(workbook_bytes(self.good_rows()), by=self.health_head)
        self.assertFalse(ServiceRecord.objects.exists())

    def test_the_command_writes_a_template_and_imports_or_reports_errors(self) -> None:
        with TemporaryDirectory() as folder:
            template = Path(folder) / "templat.xlsx"
            call_command("import_staff_records", str(template), "--template", stdout=io.StringIO())
            self.assertEqual(
                load_workbook(template).sheetnames, ["Riwayat Jabatan", "Predikat Kinerja", "Hukuman Disiplin"]
            )
            good = Path(folder) / "riwayat.xlsx"
            good.write_bytes(workbook_bytes(self.good_rows()).getvalue())
            out = io.StringIO()
            call_command("import_staff_records", str(good), stdout=out)
            self.assertIn("2 riwayat jabatan, 2 predikat kinerja, 1 hukuman disiplin", out.getvalue())
            bad = Path(folder) / "salah.xlsx"
            bad.write_bytes(workbook_bytes({"Predikat Kinerja": [["1", "x", "y"]]}).getvalue())
            with self.assertRaisesMessage(CommandError, "tidak ada yang disimpan"):
                call_command("import_staff_records", str(bad), stdout=io.StringIO(), stderr=io.StringIO())
