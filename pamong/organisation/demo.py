"""The demo city: Pemerintah Kota Kupang with real areas and agencies and a synthetic workforce.

Everything is drawn from one ``random.Random(seed)`` and one ``Faker("id_ID")`` seeded with the same
seed, in a fixed order, so the same seed (and the same data files) gives the same people, identity
numbers and demo accounts. The kecamatan, kelurahan and the agency names that were found in public
sources are read at run time from ``PAMONG_DATA_DIR`` (never copied into the repository); the other
agencies an Indonesian city government has are filled in from the list below. Every person is
synthetic: no real official's name is used.

``manage.py seed_kupang`` is the way in; the functions here are plain so tests and other modules'
seeders can call them.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from pamong.core import ledger
from pamong.core.demo import cosign_as_demo_witnesses, register_demo_witnesses
from pamong.organisation import services
from pamong.organisation.identity import Sex, compose_ni_pppk, compose_nip, compose_ptt
from pamong.organisation.models import (
    OPD,
    Employee,
    Kecamatan,
    Kelurahan,
    Pemda,
    Position,
    Role,
    RoleGrant,
    Unit,
    User,
)
from pamong.organisation.ranks import PNS_RANKS

DEFAULT_SEED = 2024
# The day the demo city describes (the declaration day); ages, ranks and service years are
# computed against it, so the city does not change when the real calendar moves on.
REFERENCE_DATE = dt.date(2024, 10, 17)
OLDEST_BIRTH_DATE = dt.date(1966, 11, 1)
# Workforce at scale 1: several thousand ASN and the ~2,400 PTT the news reports for Kupang.
WORKFORCE_AT_SCALE_1 = {Employee.Kind.PNS: 4300, Employee.Kind.PPPK: 700, Employee.Kind.PTT: 2400}
MINIMUM_WORKFORCE = {Employee.Kind.PNS: 20, Employee.Kind.PPPK: 3, Employee.Kind.PTT: 3}
# Share of structural posts left vacant, and the eselon II vacancies the staffing quota (3) needs
# to be reachable in the demo.
VACANCY_RATE = 0.08
MINIMUM_ESELON_II_VACANCIES = 4
CUTI_RATE = 0.015
USER_BATCH = 2000
WITNESS_ACCOUNTS = (("saksi.kpu", "KPU Kota Kupang"), ("saksi.bawaslu", "Bawaslu Kota Kupang"))
TOTP_DEVICE_NAME = "Demo (manage.py demo_otp)"


class DemoNotAllowed(Exception):
    """Raised when someone tries to build demo accounts outside demo mode."""


class _Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


# --- The agencies ------------------------------------------------------------------------------

K = OPD.Kind
U = Unit.Kind
L = Position.Level
G = Position.Grade


@dataclass(frozen=True)
class UnitSpec:
    """A unit and (when ``post`` is set) the structural post that heads it."""

    name: str
    kind: str
    post: str | None = None
    level: str = L.PENGAWAS
    grade: str = G.IV_A
    children: tuple[UnitSpec, ...] = ()


@dataclass(frozen=True)
class Profile:
    """What the demo knows about one agency: its shape and how many people work there."""

    code: str
    name: str
    abbreviation: str
    kind: str
    # Relative headcount weights (PNS outside structural posts, PPPK, PTT).
    weights: tuple[float, float, float]
    divisions: tuple[str | tuple[str, tuple[str, ...]], ...] = ()
    fungsional: tuple[tuple[str, float], ...] = ()
    degrees: tuple[str, ...] = ()
    head_title: str | None = None
    shape: str = "standard"  # standard | setda | setwan | inspektorat | rsud
    aliases: tuple[str, ...] = ()
    # Share of the ASN outside structural posts who hold a functional post (teachers, nurses, auditors…).
    fungsional_share: float = 0.35


def _f(*titles: str | tuple[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple((t, 1.0) if isinstance(t, str) else t for t in titles)


CATALOGUE: tuple[Profile, ...] = (
    Profile(
        "setda",
        "Sekretariat Daerah Kota Kupang",
        "Setda",
        K.SEKRETARIAT,
        (110, 6, 150),
        fungsional=_f(
            "Analis Kebijakan",
            "Perancang Peraturan Perundang-undangan",
            "Pranata Hubungan Masyarakat",
            "Pengelola Pengadaan Barang/Jasa",
            "Analis Hukum",
        ),
        degrees=("S.H.", "S.Sos.", "S.IP.", "S.E.", "S.STP."),
        head_title="Sekretaris Daerah",
        shape="setda",
    ),
    Profile(
        "setwan",
        "Sekretariat DPRD Kota Kupang",
        "Setwan",
        K.SEKRETARIAT,
        (40, 3, 90),
        fungsional=_f("Analis Kebijakan", "Pranata Hubungan Masyarakat", "Arsiparis"),
        degrees=("S.H.", "S.Sos.", "S.IP.", "S.E."),
        head_title="Sekretaris DPRD",
        shape="setwan",
    ),
    Profile(
        "inspektorat",
        "Inspektorat Daerah Kota Kupang",
        "Inspektorat",
        K.INSPEKTORAT,
        (55, 3, 20),
        divisions=(
            "Inspektorat Pembantu Wilayah I",
            "Inspektorat Pembantu Wilayah II",
            "Inspektorat Pembantu Wilayah III",
            "Inspektorat Pembantu Wilayah IV",
        ),
        fungsional=_f(("Auditor", 3), ("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", 3)),
        degrees=("S.E.", "S.Ak.", "S.H.", "S.T.", "S.IP."),
        head_title="Inspektur",
        shape="inspektorat",
        aliases=("inspektorat kota kupang",),
        fungsional_share=0.7,
    ),
    Profile(
        "bappeda",
        "Badan Perencanaan Pembangunan Daerah Kota Kupang",
        "Bappeda",
        K.BADAN,
        (45, 3, 25),
        divisions=(
            (
                "Bidang Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah",
                ("Subbidang Perencanaan dan Pendanaan", "Subbidang Pengendalian, Evaluasi dan Data"),
            ),
            (
                "Bidang Pemerintahan dan Pembangunan Manusia",
                ("Subbidang Pemerintahan", "Subbidang Pembangunan Manusia"),
            ),
            ("Bidang Perekonomian dan Sumber Daya Alam", ("Subbidang Perekonomian", "Subbidang Sumber Daya Alam")),
            (
                "Bidang Infrastruktur dan Kewilayahan",
                ("Subbidang Infrastruktur", "Subbidang Kewilayahan dan Tata Ruang"),
            ),
        ),
        fungsional=_f(("Perencana", 4), "Analis Kebijakan", "Statistisi"),
        fungsional_share=0.5,
        degrees=("S.E.", "S.T.", "S.Si.", "S.P.", "S.IP."),
    ),
    Profile(
        "bkppd",
        "Badan Kepegawaian, Pendidikan dan Pelatihan Daerah Kota Kupang",
        "BKPPD",
        K.BADAN,
        (45, 3, 30),
        divisions=(
            (
                "Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian",
                ("Subbidang Pengadaan dan Pemberhentian", "Subbidang Data dan Informasi Kepegawaian"),
            ),
            ("Bidang Mutasi dan Promosi", ("Subbidang Mutasi", "Subbidang Promosi dan Jabatan")),
            (
                "Bidang Pengembangan Kompetensi Aparatur",
                ("Subbidang Pendidikan dan Pelatihan", "Subbidang Pengembangan Karier"),
            ),
            (
                "Bidang Penilaian Kinerja Aparatur dan Penghargaan",
                ("Subbidang Penilaian Kinerja", "Subbidang Disiplin dan Penghargaan"),
            ),
        ),
        fungsional=_f(
            ("Analis Sumber Daya Manusia Aparatur", 4),
            "Asesor Sumber Daya Manusia Aparatur",
            "Widyaiswara",
            "Pranata Komputer",
        ),
        degrees=("S.Sos.", "S.H.", "S.IP.", "S.Psi.", "S.Kom.", "S.E."),
        aliases=("bkpsdm", "badan kepegawaian dan pengembangan sumber daya manusia kota kupang"),
    ),
    Profile(
        "bkad",
        "Badan Keuangan dan Aset Daerah Kota Kupang",
        "BKAD",
        K.BADAN,
        (65, 3, 40),
        divisions=(
            ("Bidang Anggaran", ("Subbidang Perencanaan Anggaran", "Subbidang Pengendalian Anggaran")),
            ("Bidang Perbendaharaan", ("Subbidang Pengelolaan Kas", "Subbidang Belanja dan Gaji")),
            ("Bidang Akuntansi dan Pelaporan", ("Subbidang Akuntansi", "Subbidang Pelaporan Keuangan")),
            (
                "Bidang Pengelolaan Barang Milik Daerah",
                ("Subbidang Penatausahaan Barang Milik Daerah", "Subbidang Pemanfaatan dan Pengamanan Aset"),
            ),
        ),
        fungsional=_f(("Analis Keuangan Pusat dan Daerah", 4), "Pranata Keuangan APBD", "Penata Kelola Aset"),
        degrees=("S.E.", "S.Ak.", "S.E.", "S.Kom."),
    ),
    Profile(
        "bapenda",
        "Badan Pendapatan Daerah Kota Kupang",
        "Bapenda",
        K.BADAN,
        (55, 3, 70),
        divisions=(
            "Bidang Pendataan dan Penetapan",
            "Bidang Pajak Daerah",
            "Bidang Retribusi Daerah",
            "Bidang Penagihan dan Keberatan",
        ),
        fungsional=_f(("Analis Keuangan Pusat dan Daerah", 2), "Penilai Pajak Bumi dan Bangunan", "Pranata Komputer"),
        degrees=("S.E.", "S.Ak.", "S.H.", "S.Kom."),
    ),
    Profile(
        "dinkes",
        "Dinas Kesehatan Kota Kupang",
        "Dinkes",
        K.DINAS,
        (600, 110, 230),
        divisions=(
            (
                "Bidang Kesehatan Masyarakat",
                (
                    "Seksi Kesehatan Keluarga dan Gizi",
                    "Seksi Promosi dan Pemberdayaan Masyarakat",
                    "Seksi Kesehatan Lingkungan, Kesehatan Kerja dan Olahraga",
                ),
            ),
            (
                "Bidang Pencegahan dan Pengendalian Penyakit",
                (
                    "Seksi Surveilans dan Imunisasi",
                    "Seksi Pencegahan dan Pengendalian Penyakit Menular",
                    "Seksi Pencegahan dan Pengendalian Penyakit Tidak Menular dan Kesehatan Jiwa",
                ),
            ),
            (
                "Bidang Pelayanan dan Sumber Daya Kesehatan",
                (
                    "Seksi Pelayanan Kesehatan Primer dan Rujukan",
                    "Seksi Kefarmasian dan Alat Kesehatan",
                    "Seksi Sumber Daya Manusia Kesehatan",
                ),
            ),
        ),
        fungsional=_f(
            ("Perawat", 8),
            ("Bidan", 7),
            ("Dokter", 3),
            ("Dokter Gigi", 1),
            ("Nutrisionis", 2),
            ("Sanitarian", 2),
            ("Apoteker", 1),
            ("Tenaga Teknis Kefarmasian", 1),
            ("Pranata Laboratorium Kesehatan", 1),
            ("Epidemiolog Kesehatan", 1),
            ("Penyuluh Kesehatan Masyarakat", 1),
        ),
        degrees=("S.K.M.", "S.Kep.", "S.E.", "S.Kom."),
        fungsional_share=0.8,
    ),
    Profile(
        "dikbud",
        "Dinas Pendidikan dan Kebudayaan Kota Kupang",
        "Dikbud",
        K.DINAS,
        (1750, 440, 450),
        divisions=(
            (
                "Bidang Pendidikan Anak Usia Dini dan Pendidikan Nonformal",
                (
                    "Seksi Kelembagaan dan Sarana Prasarana PAUD dan Pendidikan Nonformal",
                    "Seksi Kurikulum dan Penilaian PAUD dan Pendidikan Nonformal",
                ),
            ),
            (
                "Bidang Pembinaan Sekolah Dasar",
                (
                    "Seksi Kurikulum dan Penilaian Sekolah Dasar",
                    "Seksi Kelembagaan dan Sarana Prasarana Sekolah Dasar",
                    "Seksi Pendidik dan Tenaga Kependidikan Sekolah Dasar",
                ),
            ),
            (
                "Bidang Pembinaan Sekolah Menengah Pertama",
                (
                    "Seksi Kurikulum dan Penilaian Sekolah Menengah Pertama",
                    "Seksi Kelembagaan dan Sarana Prasarana Sekolah Menengah Pertama",
                    "Seksi Pendidik dan Tenaga Kependidikan Sekolah Menengah Pertama",
                ),
            ),
            ("Bidang Kebudayaan", ("Seksi Cagar Budaya dan Permuseuman", "Seksi Kesenian dan Tradisi")),
        ),
        fungsional=_f(
            ("Guru", 40), ("Pengawas Sekolah", 1), ("Penilik", 0.5), ("Pamong Belajar", 0.5), ("Pamong Budaya", 0.3)
        ),
        degrees=("S.Pd.", "S.Pd.", "S.E.", "S.Sos."),
        aliases=("dinas pendidikan kota kupang", "dinas pendidikan", "disdik"),
        fungsional_share=0.9,
    ),
    Profile(
        "pupr",
        "Dinas Pekerjaan Umum dan Penataan Ruang Kota Kupang",
        "PUPR",
        K.DINAS,
        (90, 5, 150),
        divisions=("Bidang Bina Marga", "Bidang Sumber Daya Air", "Bidang Cipta Karya", "Bidang Penataan Ruang"),
        fungsional=_f(
            ("Teknik Jalan dan Jembatan", 2), "Teknik Pengairan", "Teknik Tata Bangunan dan Perumahan", "Penata Ruang"
        ),
        degrees=("S.T.", "S.T.", "S.E.", "S.Sos."),
    ),
    Profile(
        "dlhk",
        "Dinas Lingkungan Hidup dan Kebersihan Kota Kupang",
        "DLHK",
        K.DINAS,
        (70, 4, 420),
        divisions=(
            "Bidang Tata Lingkungan",
            "Bidang Pengelolaan Sampah dan Limbah Bahan Berbahaya dan Beracun",
            "Bidang Pengendalian Pencemaran dan Kerusakan Lingkungan",
            "Bidang Pertamanan dan Kebersihan",
        ),
        fungsional=_f(("Pengendali Dampak Lingkungan", 2), "Penyuluh Lingkungan Hidup"),
        degrees=("S.T.", "S.Si.", "S.Hut.", "S.E."),
    ),
    Profile(
        "distan",
        "Dinas Pertanian Kota Kupang",
        "Distan",
        K.DINAS,
        (50, 3, 30),
        divisions=(
            "Bidang Tanaman Pangan dan Hortikultura",
            "Bidang Peternakan dan Kesehatan Hewan",
            "Bidang Prasarana, Sarana dan Penyuluhan Pertanian",
        ),
        fungsional=_f(("Penyuluh Pertanian", 4), "Medik Veteriner", "Paramedik Veteriner"),
        degrees=("S.P.", "S.Pt.", "S.E."),
    ),
    Profile(
        "perkim",
        "Dinas Perumahan Rakyat dan Kawasan Permukiman Kota Kupang",
        "Perkim",
        K.DINAS,
        (40, 3, 60),
        divisions=(
            "Bidang Perumahan",
            "Bidang Kawasan Permukiman",
            "Bidang Pertanahan",
            "Bidang Prasarana, Sarana dan Utilitas Umum",
        ),
        fungsional=_f("Teknik Tata Bangunan dan Perumahan", "Penata Kelola Pertanahan"),
        degrees=("S.T.", "S.E.", "S.H."),
    ),
    Profile(
        "dinsos",
        "Dinas Sosial Kota Kupang",
        "Dinsos",
        K.DINAS,
        (45, 3, 35),
        divisions=(
            "Bidang Perlindungan dan Jaminan Sosial",
            "Bidang Rehabilitasi Sosial",
            "Bidang Pemberdayaan Sosial dan Penanganan Fakir Miskin",
        ),
        fungsional=_f(("Pekerja Sosial", 3), "Penyuluh Sosial"),
        degrees=("S.Sos.", "S.Sos.", "S.E."),
    ),
    Profile(
        "dp3a",
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak Kota Kupang",
        "DP3A",
        K.DINAS,
        (30, 2, 20),
        divisions=(
            "Bidang Kesetaraan Gender dan Pemberdayaan Perempuan",
            "Bidang Perlindungan Perempuan",
            "Bidang Pemenuhan Hak dan Perlindungan Khusus Anak",
        ),
        fungsional=_f("Analis Kebijakan", "Penyuluh Sosial"),
        degrees=("S.Sos.", "S.H.", "S.Psi."),
    ),
    Profile(
        "p2kb",
        "Dinas Pengendalian Penduduk dan Keluarga Berencana Kota Kupang",
        "P2KB",
        K.DINAS,
        (45, 3, 25),
        divisions=(
            "Bidang Pengendalian Penduduk, Penyuluhan dan Penggerakan",
            "Bidang Keluarga Berencana dan Kesehatan Reproduksi",
            "Bidang Ketahanan dan Kesejahteraan Keluarga",
        ),
        fungsional=_f(
            ("Penyuluh Keluarga Berencana", 5),
        ),
        degrees=("S.Sos.", "S.K.M.", "S.E."),
        aliases=("ppkb", "dp2kb"),
    ),
    Profile(
        "disnakertrans",
        "Dinas Tenaga Kerja dan Transmigrasi Kota Kupang",
        "Disnakertrans",
        K.DINAS,
        (35, 2, 20),
        divisions=(
            "Bidang Pelatihan dan Penempatan Tenaga Kerja",
            "Bidang Hubungan Industrial dan Jaminan Sosial Tenaga Kerja",
            "Bidang Transmigrasi",
        ),
        fungsional=_f("Pengantar Kerja", "Mediator Hubungan Industrial", "Instruktur"),
        degrees=("S.E.", "S.H.", "S.Sos."),
        aliases=("nakertrans", "dinas nakertrans kota kupang", "disnaker", "dinas tenaga kerja kota kupang"),
    ),
    Profile(
        "dukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil Kota Kupang",
        "Dukcapil",
        K.DINAS,
        (40, 2, 60),
        divisions=(
            "Bidang Pelayanan Pendaftaran Penduduk",
            "Bidang Pelayanan Pencatatan Sipil",
            "Bidang Pengelolaan Informasi Administrasi Kependudukan",
            "Bidang Pemanfaatan Data dan Inovasi Pelayanan",
        ),
        fungsional=_f(("Administrator Database Kependudukan", 2), "Pranata Komputer"),
        degrees=("S.Kom.", "S.Sos.", "S.H."),
        aliases=("disdukcapil",),
    ),
    Profile(
        "dishub",
        "Dinas Perhubungan Kota Kupang",
        "Dishub",
        K.DINAS,
        (55, 3, 150),
        divisions=("Bidang Lalu Lintas Jalan", "Bidang Angkutan", "Bidang Sarana dan Prasarana Perhubungan"),
        fungsional=_f(("Penguji Kendaraan Bermotor", 2), "Asisten Penguji Kendaraan Bermotor"),
        degrees=("S.T.", "S.Sos.", "S.E."),
    ),
    Profile(
        "diskominfo",
        "Dinas Komunikasi dan Informatika Kota Kupang",
        "Diskominfo",
        K.DINAS,
        (35, 3, 40),
        divisions=(
            "Bidang Informasi dan Komunikasi Publik",
            "Bidang Aplikasi Informatika",
            "Bidang Persandian dan Statistik",
        ),
        fungsional=_f(("Pranata Komputer", 3), "Pranata Hubungan Masyarakat", "Sandiman", "Statistisi"),
        degrees=("S.Kom.", "S.Kom.", "S.I.Kom.", "S.T."),
        aliases=("kominfo",),
    ),
    Profile(
        "satpolpp",
        "Satuan Polisi Pamong Praja Kota Kupang",
        "Satpol PP",
        K.SATPOL_PP,
        (85, 5, 240),
        divisions=(
            "Bidang Penegakan Peraturan Daerah",
            "Bidang Ketertiban Umum dan Ketenteraman Masyarakat",
            "Bidang Perlindungan Masyarakat",
            "Bidang Sumber Daya Aparatur",
        ),
        fungsional=_f(
            ("Polisi Pamong Praja", 6),
        ),
        degrees=("S.H.", "S.Sos.", "S.IP."),
        head_title="Kepala Satuan Polisi Pamong Praja",
        fungsional_share=0.6,
    ),
    Profile(
        "kesbangpol",
        "Badan Kesatuan Bangsa dan Politik Kota Kupang",
        "Kesbangpol",
        K.BADAN,
        (28, 2, 20),
        divisions=(
            "Bidang Ideologi, Wawasan Kebangsaan dan Karakter Bangsa",
            "Bidang Politik Dalam Negeri dan Organisasi Kemasyarakatan",
            "Bidang Ketahanan Ekonomi, Sosial, Budaya, Agama dan Penanganan Konflik",
        ),
        fungsional=_f("Analis Kebijakan"),
        degrees=("S.Sos.", "S.IP.", "S.H."),
    ),
    Profile(
        "bpbd",
        "Badan Penanggulangan Bencana Daerah Kota Kupang",
        "BPBD",
        K.BADAN,
        (28, 2, 50),
        divisions=(
            "Bidang Pencegahan dan Kesiapsiagaan",
            "Bidang Kedaruratan dan Logistik",
            "Bidang Rehabilitasi dan Rekonstruksi",
        ),
        fungsional=_f("Analis Bencana", "Penata Penanggulangan Bencana"),
        degrees=("S.T.", "S.Sos.", "S.Si."),
        head_title="Kepala Pelaksana Badan Penanggulangan Bencana Daerah",
    ),
    Profile(
        "dispora",
        "Dinas Pemuda dan Olahraga Kota Kupang",
        "Dispora",
        K.DINAS,
        (28, 2, 30),
        divisions=("Bidang Kepemudaan", "Bidang Keolahragaan", "Bidang Sarana dan Prasarana Olahraga"),
        fungsional=_f("Analis Kebijakan"),
        degrees=("S.Pd.", "S.Or.", "S.Sos."),
    ),
    Profile(
        "dispar",
        "Dinas Pariwisata Kota Kupang",
        "Dispar",
        K.DINAS,
        (28, 2, 25),
        divisions=("Bidang Destinasi Pariwisata", "Bidang Pemasaran Pariwisata", "Bidang Ekonomi Kreatif"),
        fungsional=_f("Adyatama Kepariwisataan dan Ekonomi Kreatif"),
        degrees=("S.Par.", "S.E.", "S.Sos."),
    ),
    Profile(
        "dinkopukm",
        "Dinas Koperasi, Usaha Kecil dan Menengah Kota Kupang",
        "Dinkop UKM",
        K.DINAS,
        (30, 2, 20),
        divisions=(
            "Bidang Kelembagaan dan Pengawasan Koperasi",
            "Bidang Pemberdayaan Usaha Kecil dan Menengah",
            "Bidang Usaha Mikro",
        ),
        fungsional=_f("Pengawas Koperasi", "Penyuluh Koperasi"),
        degrees=("S.E.", "S.E.", "S.Sos."),
    ),
    Profile(
        "disperindag",
        "Dinas Perindustrian dan Perdagangan Kota Kupang",
        "Disperindag",
        K.DINAS,
        (40, 2, 60),
        divisions=(
            "Bidang Perindustrian",
            "Bidang Perdagangan",
            "Bidang Pengelolaan Pasar",
            "Bidang Metrologi dan Perlindungan Konsumen",
        ),
        fungsional=_f("Penera", "Pengawas Perdagangan"),
        degrees=("S.E.", "S.T.", "S.Sos."),
    ),
    Profile(
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Kupang",
        "DPMPTSP",
        K.DINAS,
        (32, 2, 25),
        divisions=(
            "Bidang Perencanaan dan Promosi Penanaman Modal",
            "Bidang Pelayanan Perizinan dan Nonperizinan",
            "Bidang Pengendalian dan Pengaduan",
        ),
        fungsional=_f("Analis Kebijakan", "Penata Perizinan"),
        degrees=("S.E.", "S.H.", "S.Sos."),
    ),
    Profile(
        "dkp",
        "Dinas Ketahanan Pangan Kota Kupang",
        "DKP",
        K.DINAS,
        (30, 2, 20),
        divisions=(
            "Bidang Ketersediaan dan Distribusi Pangan",
            "Bidang Konsumsi dan Keamanan Pangan",
            "Bidang Kerawanan Pangan",
        ),
        fungsional=_f("Analis Ketahanan Pangan", "Pengawas Mutu Hasil Pertanian"),
        degrees=("S.P.", "S.TP.", "S.E."),
    ),
    Profile(
        "diskan",
        "Dinas Perikanan Kota Kupang",
        "Diskan",
        K.DINAS,
        (32, 2, 25),
        divisions=(
            "Bidang Perikanan Tangkap",
            "Bidang Perikanan Budidaya",
            "Bidang Pengolahan dan Pemasaran Hasil Perikanan",
        ),
        fungsional=_f(("Penyuluh Perikanan", 2), "Pengawas Perikanan"),
        degrees=("S.Pi.", "S.Pi.", "S.E."),
    ),
    Profile(
        "dispusip",
        "Dinas Perpustakaan dan Kearsipan Kota Kupang",
        "Dispusip",
        K.DINAS,
        (28, 2, 20),
        divisions=(
            "Bidang Layanan Perpustakaan",
            "Bidang Pengembangan Koleksi dan Pembudayaan Gemar Membaca",
            "Bidang Kearsipan",
        ),
        fungsional=_f(("Pustakawan", 2), ("Arsiparis", 2)),
        degrees=("S.Sos.", "S.IP.", "S.Hum."),
    ),
    Profile(
        "damkar",
        "Dinas Pemadam Kebakaran Kota Kupang",
        "Damkar",
        K.DINAS,
        (40, 2, 110),
        divisions=(
            "Bidang Pencegahan dan Penyuluhan",
            "Bidang Operasi Pemadaman dan Penyelamatan",
            "Bidang Sarana dan Prasarana",
        ),
        fungsional=_f(("Analis Kebakaran", 1), ("Pemadam Kebakaran", 4)),
        fungsional_share=0.6,
        degrees=("S.T.", "S.Sos.", "S.H."),
        aliases=("dinas pemadam kebakaran dan penyelamatan kota kupang",),
    ),
    Profile(
        "rsud",
        "RSUD S.K. Lerik Kota Kupang",
        "RSUD S.K. Lerik",
        K.RSUD,
        (300, 80, 280),
        divisions=("Bidang Pelayanan Medik", "Bidang Keperawatan", "Bidang Penunjang Medik dan Nonmedik"),
        fungsional=_f(
            ("Perawat", 10),
            ("Bidan", 3),
            ("Dokter", 2),
            ("Dokter Spesialis", 2),
            ("Dokter Gigi", 0.5),
            ("Apoteker", 1),
            ("Tenaga Teknis Kefarmasian", 1),
            ("Pranata Laboratorium Kesehatan", 1),
            ("Radiografer", 0.5),
            ("Perekam Medis", 1),
            ("Nutrisionis", 0.5),
        ),
        degrees=("S.K.M.", "S.Kep.", "S.E.", "S.Kom."),
        head_title="Direktur RSUD S.K. Lerik",
        shape="rsud",
        fungsional_share=0.85,
        aliases=("rsud sk lerik", "rumah sakit umum daerah s.k. lerik kota kupang"),
    ),
)

# Abbreviations that sources write inside agency names, spelled out.
NAME_EXPANSIONS = {
    "Nakertrans": "Tenaga Kerja dan Transmigrasi",
    "Disnakertrans": "Dinas Tenaga Kerja dan Transmigrasi",
    "Dukcapil": "Kependudukan dan Pencatatan Sipil",
    "Kominfo": "Komunikasi dan Informatika",
    "PUPR": "Pekerjaan Umum dan Penataan Ruang",
}
GENERIC_DIVISIONS = ("Bidang Program dan Perencanaan", "Bidang Pelayanan", "Bidang Pembinaan dan Pengendalian")
CSV_KIND = {
    "sekretariat": K.SEKRETARIAT,
    "badan": K.BADAN,
    "dinas": K.DINAS,
    "inspektorat": K.INSPEKTORAT,
    "satpol pp": K.SATPOL_PP,
    "rsud": K.RSUD,
}
GENERIC_WEIGHTS = (30.0, 2.0, 25.0)

SETDA_ASSISTANTS: tuple[tuple[str, tuple[tuple[str, tuple[str, str]], ...]], ...] = (
    (
        "Asisten Pemerintahan dan Kesejahteraan Rakyat",
        (
            ("Bagian Pemerintahan", ("Subbagian Administrasi Pemerintahan", "Subbagian Otonomi Daerah dan Kerja Sama")),
            ("Bagian Hukum", ("Subbagian Peraturan Perundang-undangan", "Subbagian Bantuan Hukum dan HAM")),
            ("Bagian Kesejahteraan Rakyat", ("Subbagian Bina Mental dan Spiritual", "Subbagian Kesejahteraan Sosial")),
        ),
    ),
    (
        "Asisten Perekonomian dan Pembangunan",
        (
            ("Bagian Perekonomian dan Sumber Daya Alam", ("Subbagian Perekonomian", "Subbagian Sumber Daya Alam")),
            (
                "Bagian Administrasi Pembangunan",
                ("Subbagian Program dan Pengendalian", "Subbagian Evaluasi dan Pelaporan"),
            ),
            (
                "Bagian Pengadaan Barang dan Jasa",
                ("Subbagian Pengelolaan Pengadaan", "Subbagian Layanan Pengadaan Secara Elektronik"),
            ),
        ),
    ),
    (
        "Asisten Administrasi Umum",
        (
            ("Bagian Umum", ("Subbagian Tata Usaha dan Rumah Tangga", "Subbagian Keuangan")),
            (
                "Bagian Organisasi",
                ("Subbagian Kelembagaan dan Analisis Jabatan", "Subbagian Reformasi Birokrasi dan Tata Laksana"),
            ),
            ("Bagian Protokol dan Komunikasi Pimpinan", ("Subbagian Protokol", "Subbagian Komunikasi Pimpinan")),
        ),
    ),
)
SETWAN_SECTIONS = (
    ("Bagian Umum dan Keuangan", ("Subbagian Tata Usaha dan Kepegawaian", "Subbagian Keuangan")),
    (
        "Bagian Persidangan dan Perundang-undangan",
        ("Subbagian Persidangan dan Risalah", "Subbagian Perundang-undangan"),
    ),
    (
        "Bagian Fasilitasi Penganggaran dan Pengawasan",
        ("Subbagian Fasilitasi Penganggaran", "Subbagian Fasilitasi Pengawasan"),
    ),
    ("Bagian Hubungan Masyarakat dan Protokol", ("Subbagian Hubungan Masyarakat", "Subbagian Protokol")),
)
KECAMATAN_SECTIONS = (
    "Seksi Pemerintahan",
    "Seksi Ketenteraman dan Ketertiban Umum",
    "Seksi Pemberdayaan Masyarakat",
    "Seksi Kesejahteraan Sosial",
)
KELURAHAN_SECTIONS = ("Seksi Pemerintahan dan Ketenteraman", "Seksi Pemberdayaan Masyarakat dan Kesejahteraan Sosial")
# The eleven puskesmas of Kota Kupang, as UPTD of the health office (place names only).
PUSKESMAS = (
    "Alak",
    "Bakunase",
    "Kupang Kota",
    "Manutapen",
    "Naioni",
    "Oebobo",
    "Oepoi",
    "Oesapa",
    "Pasir Panjang",
    "Penfui",
    "Sikumana",
)
PELAKSANA = (
    "Pengadministrasi Perkantoran",
    "Pengelola Keuangan",
    "Pengelola Data dan Informasi",
    "Pengadministrasi Kepegawaian",
    "Pengelola Barang Milik Daerah",
)
AREA_PELAKSANA = ("Pengadministrasi Perkantoran", "Pengelola Layanan Masyarakat", "Pengelola Data dan Informasi")
GENERAL_FUNGSIONAL = _f("Analis Kebijakan", "Arsiparis", "Pranata Komputer")

# Headcount weights (PNS outside structural posts, PPPK, PTT) for area offices.
KECAMATAN_WEIGHTS = (12.0, 1.0, 10.0)
KELURAHAN_WEIGHTS = (2.5, 0.3, 4.0)
# Agencies that always have someone to show as a demo account, at any scale.
DEMO_MINIMUM_PNS = {
    "setda": 2,
    "inspektorat": 2,
    "bkppd": 2,
    "bkad": 2,
    "bappeda": 2,
    "dinkes": 3,
    "dikbud": 2,
    "dinsos": 1,
}
DEMO_MINIMUM_PPPK = {"dikbud": 1}
DEMO_MINIMUM_PTT = {"dlhk": 1}
PROTECTED_HEADS = frozenset(DEMO_MINIMUM_PNS) - {"dikbud", "dinsos"}


# --- People ------------------------------------------------------------------------------------

# Common given names and family names of Kupang and Timor, Rote, Sabu, Alor and Flores, mixed with
# Faker's Indonesian names. Family names of well-known Kupang officials are deliberately absent.
LOCAL_GIVEN = {
    Sex.MALE: (
        "Yohanes",
        "Yosef",
        "Fransiskus",
        "Agustinus",
        "Petrus",
        "Paulus",
        "Markus",
        "Stefanus",
        "Yakobus",
        "Daniel",
        "Samuel",
        "Yulius",
        "Melkianus",
        "Ferdinandus",
        "Marthen",
        "Alfred",
        "Yeremias",
        "Frederik",
        "Hendrik",
        "Simon",
        "Andreas",
        "Lukas",
        "Matheus",
        "Robert",
        "Benyamin",
        "Yunus",
        "Elias",
        "Kornelis",
        "Yonathan",
        "Imanuel",
        "Gabriel",
        "Dominggus",
        "Nikolaus",
        "Oktovianus",
        "Abraham",
        "Mesakh",
        "Yusuf",
        "Ahmad",
        "Arnoldus",
        "Gerson",
    ),
    Sex.FEMALE: (
        "Maria",
        "Yuliana",
        "Agustina",
        "Margaretha",
        "Elisabeth",
        "Yohana",
        "Dorkas",
        "Ester",
        "Marselina",
        "Yasinta",
        "Theresia",
        "Florentina",
        "Fransiska",
        "Naomi",
        "Rut",
        "Debora",
        "Selfina",
        "Martha",
        "Magdalena",
        "Veronika",
        "Anastasia",
        "Kristina",
        "Yosefina",
        "Wilhelmina",
        "Novita",
        "Irene",
        "Lidia",
        "Sarlota",
        "Adriana",
        "Oktaviana",
        "Siti",
        "Mersi",
        "Yunita",
        "Jublina",
        "Orpa",
        "Ribka",
    ),
}
LOCAL_FAMILY = (
    "Ndoen",
    "Manafe",
    "Tefa",
    "Nalle",
    "Mooy",
    "Kana",
    "Djami",
    "Nenobais",
    "Tanesib",
    "Nubatonis",
    "Adoe",
    "Boimau",
    "Dethan",
    "Fanggidae",
    "Haning",
    "Ratu",
    "Kiak",
    "Selan",
    "Tualaka",
    "Benu",
    "Nope",
    "Kolo",
    "Atok",
    "Messakh",
    "Pah",
    "Rohi",
    "Sinlae",
    "Taopan",
    "Toelle",
    "Bessie",
    "Bire",
    "Dimu",
    "Wadu",
    "Lado",
    "Ully",
    "Manu",
    "Tallo",
    "Seran",
    "Bria",
    "Nahak",
    "Bere",
    "Klau",
    "Tahu",
    "Lopo",
    "Ballo",
    "Amalo",
    "Saudale",
    "Oematan",
    "Neonbasu",
    "Banunaek",
    "Sabuna",
    "Tamelan",
    "Lenggu",
    "Nomleni",
    "Sanam",
    "Tanone",
    "Pandie",
    "Therik",
    "Ludji",
    "Tanaem",
    "Kause",
    "Sooai",
    "Mbatu",
    "Lomi",
    "Hayon",
    "Koten",
    "Kelen",
    "Making",
    "Tukan",
    "Beda",
    "Mau",
    "Fallo",
    "Nitbani",
    "Lomboan",
    "Radja",
    "Lona",
    "Ngadu",
    "Bili",
    "Kapitan",
)
MASTER_GENERAL = ("M.Si.", "M.Si.", "M.M.", "M.H.", "M.AP.", "M.Sc.")
SPECIALISTS = ("Sp.PD", "Sp.A", "Sp.OG", "Sp.B", "Sp.An", "Sp.Rad", "Sp.P", "Sp.N")
HEALTH_D3 = {
    "Perawat": "A.Md.Kep.",
    "Bidan": "A.Md.Keb.",
    "Tenaga Teknis Kefarmasian": "A.Md.Farm.",
    "Nutrisionis": "A.Md.Gz.",
    "Sanitarian": "A.Md.KL.",
    "Pranata Laboratorium Kesehatan": "A.Md.AK.",
    "Radiografer": "A.Md.Rad.",
    "Perekam Medis": "A.Md.RMIK.",
}
HEALTH_S1 = {
    "Perawat": "S.Kep., Ns.",
    "Bidan": "S.Tr.Keb.",
    "Nutrisionis": "S.Gz.",
    "Sanitarian": "S.K.M.",
    "Epidemiolog Kesehatan": "S.K.M.",
    "Penyuluh Kesehatan Masyarakat": "S.K.M.",
    "Pranata Laboratorium Kesehatan": "S.Tr.Kes.",
    "Radiografer": "S.Tr.Kes.",
    "Perekam Medis": "S.Tr.Kes.",
}
EDUCATION_ORDER = ("sd", "smp", "sma", "d3", "d4", "s1", "s2", "s3")
# Entry golongan of a new PNS by education (index into PNS_RANKS) and the highest reached by
# regular promotion alone.
PNS_RANK_LIST = tuple(PNS_RANKS)
ENTRY_RANK = {"sma": 4, "d3": 6, "d4": 8, "s1": 8, "s2": 9, "s3": 10}
REGULAR_RANK_CAP = {"sma": 9, "d3": 10, "d4": 12, "s1": 12, "s2": 13, "s3": 13}
PPPK_RANK = {"sma": "V", "d3": "VII", "d4": "IX", "s1": "IX", "s2": "X", "s3": "XI"}
# Rank ranges (indices into PNS_RANKS) that go with each eselon.
STRUCTURAL_RANK_RANGE: dict[str, tuple[int, int]] = {
    L.JPT_PRATAMA: (13, 14),
    L.ADMINISTRATOR: (11, 13),
    L.PENGAWAS: (9, 11),
}
STRUCTURAL_BIRTH_YEARS: dict[str, tuple[int, int]] = {
    L.JPT_PRATAMA: (1966, 1978),
    L.ADMINISTRATOR: (1967, 1984),
    L.PENGAWAS: (1968, 1992),
}
STRUCTURAL_MIN_SERVICE: dict[str, int] = {L.JPT_PRATAMA: 16, L.ADMINISTRATOR: 10, L.PENGAWAS: 5}
MOBILE_PREFIXES = ("812", "813", "821", "822", "823", "852", "853", "811", "851")


# --- Results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    role: str
    label: str
    username: str
    full_name: str
    organisation: str
    two_factor: bool


@dataclass
class DemoSummary:
    seed: int
    scale: float
    opd: int = 0
    kecamatan_offices: int = 0
    kelurahan_offices: int = 0
    units: int = 0
    positions: int = 0
    structural_positions: int = 0
    vacancies: int = 0
    employees: dict[str, int] = field(default_factory=dict)
    users: int = 0
    role_grants: int = 0
    regions_loaded: bool = False
    accounts: list[DemoAccount] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    elapsed_seconds: float = 0.0

    @property
    def employee_total(self) -> int:
        return sum(self.employees.values())


# --- Internal working records ------------------------------------------------------------------


@dataclass(eq=False)
class _Office:
    profile: Profile
    obj: OPD
    weights: tuple[float, float, float]
    units: list[Unit] = field(default_factory=list)
    posts: list[_Post] = field(default_factory=list)  # structural, in chain-of-command order
    pelaksana: list[Position] = field(default_factory=list)
    fungsional: list[tuple[Position, float]] = field(default_factory=list)
    uptd: list[Unit] = field(default_factory=list)
    head: _Post | None = None
    quotas: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Tree:
    head_title: str
    level: str
    grade: str
    units: tuple[UnitSpec, ...]


@dataclass(eq=False)
class _Post:
    office: _Office
    obj: Position
    superior: _Post | None
    depth: int
    protected: bool = False
    vacant: bool = False
    holder: Employee | None = None


def _say(stdout: _Writer | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


# --- Reading the agency list -------------------------------------------------------------------


def _normalise(text: str) -> str:
    text = re.sub(r"\(.*?\)", " ", text.lower())
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return " ".join(text.split())


def _clean_name(raw: str) -> str:
    """Drop editorial notes in parentheses and spell out abbreviations inside an agency name."""
    name = " ".join(re.sub(r"\(.*?\)", " ", raw).split())
    for short, full in NAME_EXPANSIONS.items():
        name = re.sub(rf"\b{re.escape(short)}\b", full, name)
    name = re.sub(r"^Dinas Dinas ", "Dinas ", name)
    return name


def _clean_abbreviation(raw: str) -> str:
    return " ".join(re.sub(r"\(.*?\)", " ", raw).split())[:40]


def read_opd_profiles(data_dir: Path) -> tuple[list[Profile], list[str]]:
    """The agencies of the demo city: those named in ``opd.csv`` first (their real names, cleaned),
    then the usual other agencies of an Indonesian city government. Returns (profiles, warnings)."""
    warnings: list[str] = []
    by_key: dict[str, Profile] = {}
    for profile in CATALOGUE:
        for key in (profile.code, _normalise(profile.name), _normalise(profile.abbreviation), *profile.aliases):
            by_key.setdefault(_normalise(key), profile)

    chosen: list[Profile] = []
    used_codes: set[str] = set()
    used_names: set[str] = set()
    path = data_dir / "opd.csv"
    rows: list[dict[str, str]] = []
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    else:
        warnings.append(f"Berkas {path} tidak ditemukan; daftar OPD bawaan dipakai.")
    for row in rows:
        raw_name = (row.get("opd_name") or "").strip()
        if not raw_name:
            continue
        name = _clean_name(raw_name)
        abbreviation = _clean_abbreviation(row.get("abbreviation") or "")
        match = None
        for key in (_normalise(name), _normalise(raw_name), _normalise(abbreviation)):
            if key and key in by_key:
                match = by_key[key]
                break
        if match is not None:
            profile = replace(match, name=name, abbreviation=abbreviation or match.abbreviation)
        else:
            kind = CSV_KIND.get((row.get("type") or "").strip().lower(), K.LAINNYA)
            code = slugify(abbreviation or name)[:40] or "opd"
            profile = Profile(
                code=code,
                name=name,
                abbreviation=abbreviation,
                kind=kind,
                weights=GENERIC_WEIGHTS,
                divisions=GENERIC_DIVISIONS,
            )
        if profile.code in used_codes or profile.name in used_names:
            continue
        used_codes.add(profile.code)
        used_names.add(profile.name)
        chosen.append(profile)
    for profile in CATALOGUE:
        if profile.code not in used_codes and profile.name not in used_names:
            used_codes.add(profile.code)
            used_names.add(profile.name)
            chosen.append(profile)
    return chosen, warnings


# --- Structure ---------------------------------------------------------------------------------


def _agency_units(profile: Profile, office_size: float) -> tuple[str, tuple[UnitSpec, ...]]:
    """(head title, top-level units) of a regular agency."""
    short = profile.name.removesuffix(" Kota Kupang")
    head_title = profile.head_title or f"Kepala {short}"
    sub_prefix = "Subbidang" if profile.kind == K.BADAN else "Seksi"
    if profile.shape == "setda":
        units = tuple(
            UnitSpec(
                assistant,
                U.BIDANG,
                assistant,
                L.JPT_PRATAMA,
                G.II_B,
                tuple(
                    UnitSpec(
                        section,
                        U.BIDANG,
                        f"Kepala {section}",
                        L.ADMINISTRATOR,
                        G.III_A,
                        tuple(UnitSpec(sub, U.SUBBAGIAN, f"Kepala {sub}", L.PENGAWAS, G.IV_A) for sub in subs),
                    )
                    for section, subs in sections
                ),
            )
            for assistant, sections in SETDA_ASSISTANTS
        )
        return head_title, units
    if profile.shape == "setwan":
        units = tuple(
            UnitSpec(
                section,
                U.BIDANG,
                f"Kepala {section}",
                L.ADMINISTRATOR,
                G.III_A,
                tuple(UnitSpec(sub, U.SUBBAGIAN, f"Kepala {sub}", L.PENGAWAS, G.IV_A) for sub in subs),
            )
            for section, subs in SETWAN_SECTIONS
        )
        return head_title, units

    sub_offices = (
        ("Subbagian Umum dan Kepegawaian", "Subbagian Keuangan", "Subbagian Perencanaan dan Pelaporan")
        if office_size >= 80
        else ("Subbagian Umum dan Kepegawaian", "Subbagian Perencanaan dan Keuangan")
    )
    if profile.shape == "rsud":
        secretariat = UnitSpec(
            "Bagian Tata Usaha",
            U.SEKRETARIAT,
            "Kepala Bagian Tata Usaha",
            L.ADMINISTRATOR,
            G.III_A,
            tuple(UnitSpec(s, U.SUBBAGIAN, f"Kepala {s}") for s in sub_offices),
        )
    else:
        secretariat = UnitSpec(
            "Sekretariat",
            U.SEKRETARIAT,
            f"Sekretaris {short}",
            L.ADMINISTRATOR,
            G.III_A,
            tuple(UnitSpec(s, U.SUBBAGIAN, f"Kepala {s}") for s in sub_offices),
        )
    divisions: list[UnitSpec] = []
    for entry in profile.divisions or GENERIC_DIVISIONS:
        if profile.shape == "inspektorat":
            name = entry if isinstance(entry, str) else entry[0]
            title = name.replace("Inspektorat Pembantu", "Inspektur Pembantu")
            divisions.append(UnitSpec(name, U.BIDANG, title, L.ADMINISTRATOR, G.III_B))
            continue
        if isinstance(entry, str):
            topic = entry.removeprefix("Bidang ")
            subs: tuple[str, ...] = (
                f"{sub_prefix} Perencanaan dan Pengembangan {topic}",
                f"{sub_prefix} Pembinaan dan Pengendalian {topic}",
            )
            name = entry
        else:
            name, subs = entry
        divisions.append(
            UnitSpec(
                name,
                U.BIDANG,
                f"Kepala {name}",
                L.ADMINISTRATOR,
                G.III_B,
                tuple(UnitSpec(s, U.SEKSI, f"Kepala {s}") for s in subs),
            )
        )
    return head_title, (secretariat, *divisions)


class _Builder:
    def __init__(self, *, seed: int, scale: float, data_dir: Path, stdout: _Writer | None) -> None:
        self.seed = seed
        self.scale = scale
        self.data_dir = data_dir
        self.stdout = stdout
        # Reproducible demo data, not secrets: the seed must give the same city every time.
        self.rng = random.Random(seed)  # noqa: S311
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.summary = DemoSummary(seed=seed, scale=scale)
        self.offices: list[_Office] = []
        self.by_code: dict[str, _Office] = {}
        self.serials: Counter[str] = Counter()
        self.employees: list[Employee] = []
        self.pemda: Pemda | None = None
        self.password_hash = ""

    # -- regions and agencies ------------------------------------------------------------------

    def load_regions(self) -> None:
        self.pemda = services.ensure_pemda()
        if not self.data_dir.is_dir():
            self.warn(f"Folder data wilayah {self.data_dir} tidak ditemukan; kecamatan dan kelurahan tidak dimuat.")
            return
        try:
            result = services.import_regions(self.data_dir, pemda=self.pemda)
        except services.RegionDataMissing as exc:
            self.warn(str(exc))
            return
        self.summary.regions_loaded = True
        _say(
            self.stdout,
            f"Wilayah: {result.kecamatan} kecamatan dan {result.kelurahan} kelurahan dimuat dari {self.data_dir}.",
        )

    def warn(self, message: str) -> None:
        self.summary.warnings.append(message)
        _say(self.stdout, f"Peringatan: {message}")

    def create_offices(self) -> None:
        assert self.pemda is not None
        profiles, warnings = read_opd_profiles(self.data_dir) if self.data_dir.is_dir() else (list(CATALOGUE), [])
        for message in warnings:
            self.warn(message)
        for profile in profiles:
            obj = OPD(
                pemda=self.pemda,
                code=profile.code,
                name=profile.name,
                abbreviation=profile.abbreviation,
                kind=profile.kind,
            )
            self._add_office(_Office(profile=profile, obj=obj, weights=profile.weights))
        OPD.objects.bulk_create([o.obj for o in self.offices])

        kecamatan = list(Kecamatan.objects.filter(pemda=self.pemda).order_by("code"))
        kelurahan = list(Kelurahan.objects.filter(kecamatan__pemda=self.pemda).order_by("code"))
        kec_offices: dict[int, _Office] = {}
        for kec in kecamatan:
            kec_offices[kec.pk] = self._area_office(
                kec, "kec", "Kecamatan", "Kec.", "Camat", K.KECAMATAN, KECAMATAN_WEIGHTS, kecamatan=kec
            )
        OPD.objects.bulk_create([o.obj for o in kec_offices.values()])
        kel_offices = [
            self._area_office(
                kel,
                "kel",
                "Kelurahan",
                "Kel.",
                "Lurah",
                K.KELURAHAN,
                KELURAHAN_WEIGHTS,
                kecamatan_id=kel.kecamatan_id,
                kelurahan=kel,
                parent=kec_offices[kel.kecamatan_id].obj,
            )
            for kel in kelurahan
        ]
        OPD.objects.bulk_create([o.obj for o in kel_offices])
        self.summary.opd = len(self.offices)
        self.summary.kecamatan_offices = len(kec_offices)
        self.summary.kelurahan_offices = len(kel_offices)

    def _add_office(self, office: _Office) -> _Office:
        self.offices.append(office)
        self.by_code[office.profile.code] = office
        return office

    def _area_office(
        self, area: Any, prefix: str, label: str, short: str, head: str, kind: str, weights: Any, **links: Any
    ) -> _Office:
        """The office of a kecamatan or kelurahan: its profile and its (not yet saved) OPD row."""
        profile = Profile(
            code=self._free_code(f"{prefix}-{slugify(area.name)}", area.code),
            name=f"{label} {area.name}",
            abbreviation=f"{short} {area.name}"[:40],
            kind=kind,
            weights=weights,
            head_title=f"{head} {area.name}",
        )
        obj = OPD(
            pemda=self.pemda,
            code=profile.code,
            name=profile.name,
            abbreviation=profile.abbreviation,
            kind=kind,
            **links,
        )
        return self._add_office(_Office(profile=profile, obj=obj, weights=weights))

    def _free_code(self, wanted: str, fallback: str) -> str:
        wanted = wanted[:40]
        if wanted not in self.by_code:
            return wanted
        return f"{wanted[:20]}-{slugify(fallback)}"[:40]

    # -- units and posts -------------------------------------------------------------------------

    def _tree(self, office: _Office) -> _Tree:
        """The head post and the unit tree of one office."""
        profile = office.profile
        if profile.kind == K.KECAMATAN:
            name = profile.name.removeprefix("Kecamatan ")
            secretariat = UnitSpec(
                "Sekretariat Kecamatan", U.SEKRETARIAT, f"Sekretaris Kecamatan {name}", L.ADMINISTRATOR, G.III_B
            )
            sections = tuple(UnitSpec(s, U.SEKSI, f"Kepala {s}", L.PENGAWAS, G.IV_A) for s in KECAMATAN_SECTIONS)
            return _Tree(profile.head_title or "Camat", L.ADMINISTRATOR, G.III_A, (secretariat, *sections))
        if profile.kind == K.KELURAHAN:
            name = profile.name.removeprefix("Kelurahan ")
            secretariat = UnitSpec(
                "Sekretariat Kelurahan", U.SEKRETARIAT, f"Sekretaris Kelurahan {name}", L.PENGAWAS, G.IV_B
            )
            sections = tuple(UnitSpec(s, U.SEKSI, f"Kepala {s}", L.PENGAWAS, G.IV_B) for s in KELURAHAN_SECTIONS)
            return _Tree(profile.head_title or "Lurah", L.PENGAWAS, G.IV_A, (secretariat, *sections))
        head_title, units = _agency_units(profile, office.weights[0] + office.weights[2] / 3)
        if profile.code == "dinkes":
            units = (*units, *(UnitSpec(f"UPTD Puskesmas {p}", U.UPTD) for p in PUSKESMAS))
        grade = G.II_A if profile.shape == "setda" else G.II_B
        return _Tree(head_title, L.JPT_PRATAMA, grade, units)

    def create_structure(self) -> None:
        trees = [(office, self._tree(office)) for office in self.offices]
        unit_for_spec = self._create_units(trees)
        posts = self._create_posts(trees, unit_for_spec)
        others = self._create_open_positions()
        self.summary.units = len(unit_for_spec)
        self.summary.positions = len(posts) + len(others)
        self.summary.structural_positions = len(posts)

    def _create_units(self, trees: list[tuple[_Office, _Tree]]) -> dict[int, Unit]:
        # Created level by level so that parents have keys when their children are inserted.
        levels: list[list[Unit]] = []
        unit_for_spec: dict[int, Unit] = {}

        def walk(office: _Office, specs: tuple[UnitSpec, ...], parent: Unit | None, depth: int) -> None:
            for spec in specs:
                unit = Unit(opd=office.obj, parent=parent, name=spec.name, kind=spec.kind)
                while len(levels) <= depth:
                    levels.append([])
                levels[depth].append(unit)
                office.units.append(unit)
                unit_for_spec[id(spec)] = unit
                if spec.kind == U.UPTD:
                    office.uptd.append(unit)
                walk(office, spec.children, unit, depth + 1)

        for office, tree in trees:
            walk(office, tree.units, None, 0)
        for level in levels:
            Unit.objects.bulk_create(level)
        return unit_for_spec

    def _create_posts(self, trees: list[tuple[_Office, _Tree]], unit_for_spec: dict[int, Unit]) -> list[_Post]:
        """Structural posts with their chain of command: agency heads and camat answer to the Sekda
        (the Inspektur to the mayor, who holds no post here), lurah to their camat, everyone else to
        the head of the unit above."""

        def place(office: _Office, specs: tuple[UnitSpec, ...], boss: _Post) -> None:
            for spec in specs:
                post = boss
                if spec.post:
                    obj = Position(
                        opd=office.obj,
                        unit=unit_for_spec[id(spec)],
                        name=spec.post,
                        level=spec.level,
                        grade=spec.grade,
                    )
                    post = _Post(office=office, obj=obj, superior=boss, depth=boss.depth + 1)
                    office.posts.append(post)
                place(office, spec.children, post)

        sekda: _Post | None = None
        camat_by_kecamatan: dict[int, _Post] = {}
        # The Sekda first, and kecamatan offices before their kelurahan (the office list is in that order).
        for office, tree in sorted(trees, key=lambda pair: 0 if pair[0].profile.shape == "setda" else 1):
            superior: _Post | None = None
            if office.profile.kind == K.KELURAHAN:
                superior = camat_by_kecamatan.get(office.obj.kecamatan_id or 0)
            elif office.profile.shape not in {"setda", "inspektorat"}:
                superior = sekda
            obj = Position(
                opd=office.obj, name=tree.head_title, level=tree.level, grade=tree.grade, is_head_of_opd=True
            )
            head = _Post(
                office=office,
                obj=obj,
                superior=superior,
                depth=(superior.depth + 1) if superior else 0,
                protected=office.profile.code in PROTECTED_HEADS,
            )
            office.head = head
            office.posts.insert(0, head)
            if office.profile.shape == "setda":
                sekda = head
            if office.profile.kind == K.KECAMATAN and office.obj.kecamatan_id:
                camat_by_kecamatan[office.obj.kecamatan_id] = head
            place(office, tree.units, head)

        posts = [post for office in self.offices for post in office.posts]
        self._fix_depths(posts)
        for depth in range(max(p.depth for p in posts) + 1):
            batch = [p for p in posts if p.depth == depth]
            for post in batch:
                post.obj.superior = post.superior.obj if post.superior else None
            Position.objects.bulk_create([p.obj for p in batch])
        return posts

    def _create_open_positions(self) -> list[Position]:
        """Pelaksana and fungsional posts: many holders each, no eselon."""
        others: list[Position] = []
        for office in self.offices:
            area = office.profile.kind in {K.KECAMATAN, K.KELURAHAN}
            titles: tuple[str, ...] = AREA_PELAKSANA if area else PELAKSANA
            if office.profile.kind == K.KELURAHAN:
                titles = titles[:2]
            for title in titles:
                position = Position(opd=office.obj, name=title, level=L.PELAKSANA, grade="")
                office.pelaksana.append(position)
                others.append(position)
            if not area:
                seen = {t for t, _w in office.profile.fungsional}
                extra = tuple((t, 0.3) for t, _w in GENERAL_FUNGSIONAL if t not in seen)
                for title, weight in office.profile.fungsional + extra:
                    position = Position(opd=office.obj, name=title, level=L.FUNGSIONAL, grade="")
                    office.fungsional.append((position, weight))
                    others.append(position)
        Position.objects.bulk_create(others)
        return others

    @staticmethod
    def _fix_depths(posts: list[_Post]) -> None:
        def depth_of(post: _Post) -> int:
            return 0 if post.superior is None else depth_of(post.superior) + 1

        for post in posts:
            post.depth = depth_of(post)

    # -- vacancies and headcount -----------------------------------------------------------------

    def choose_vacancies(self) -> None:
        by_level: dict[str, list[_Post]] = {}
        for office in self.offices:
            for post in office.posts:
                by_level.setdefault(post.obj.level, []).append(post)
        for level, posts in by_level.items():
            candidates = [p for p in posts if not p.protected]
            wanted = round(len(posts) * VACANCY_RATE)
            if level == L.JPT_PRATAMA:
                wanted = max(wanted, MINIMUM_ESELON_II_VACANCIES)
            for post in self.rng.sample(candidates, min(wanted, len(candidates))):
                post.vacant = True

    def allocate_headcount(self) -> None:
        kinds = (Employee.Kind.PNS, Employee.Kind.PPPK, Employee.Kind.PTT)
        minimum_tables = (DEMO_MINIMUM_PNS, DEMO_MINIMUM_PPPK, DEMO_MINIMUM_PTT)
        for index, kind in enumerate(kinds):
            weights = [office.weights[index] for office in self.offices]
            minimums = [minimum_tables[index].get(office.profile.code, 0) for office in self.offices]
            if kind == Employee.Kind.PNS:
                # At full scale every filled post has a holder; smaller cities fill the top posts first.
                filled = [sum(1 for p in office.posts if not p.vacant) for office in self.offices]
                minimums = [max(m, int(f * min(self.scale, 1.0))) for m, f in zip(minimums, filled, strict=True)]
            total = max(round(WORKFORCE_AT_SCALE_1[kind] * self.scale), MINIMUM_WORKFORCE[kind])
            for office, count in zip(self.offices, _allocate(total, weights, minimums), strict=True):
                office.quotas[kind] = count

    # -- people ----------------------------------------------------------------------------------

    def create_people(self) -> None:
        for office in self.offices:
            quota = office.quotas[Employee.Kind.PNS]
            open_posts = [p for p in office.posts if not p.vacant]
            # A small city fills the top posts first but keeps someone outside the structure
            # (an operator, a plain pegawai) wherever it has two PNS or more.
            filled = open_posts[: quota - 1 if 2 <= quota <= len(open_posts) else quota]
            for post in filled:
                post.holder = self._structural_pns(office, post)
                self.employees.append(post.holder)
            for _i in range(quota - len(filled)):
                self.employees.append(self._regular(office, Employee.Kind.PNS))
            for _i in range(office.quotas[Employee.Kind.PPPK]):
                self.employees.append(self._regular(office, Employee.Kind.PPPK))
            for _i in range(office.quotas[Employee.Kind.PTT]):
                self.employees.append(self._regular(office, Employee.Kind.PTT))
        Employee.objects.bulk_create(self.employees, batch_size=USER_BATCH)
        counts = Counter(e.kind for e in self.employees)
        self.summary.employees = {k.value: counts.get(k.value, 0) for k in Employee.Kind}
        self.summary.vacancies = sum(1 for o in self.offices for p in o.posts if p.holder is None)

    def _structural_pns(self, office: _Office, post: _Post) -> Employee:
        rng = self.rng
        level = post.obj.level
        sex = Sex.FEMALE if rng.random() < 0.32 else Sex.MALE
        if level == L.JPT_PRATAMA:
            education = rng.choices(("s2", "s3", "s1"), (75, 8, 17))[0]
        elif level == L.ADMINISTRATOR:
            education = rng.choices(("s2", "s1"), (50, 50))[0]
        else:
            education = rng.choices(("s1", "s2", "d4", "d3"), (72, 14, 8, 6))[0]
        first, last = STRUCTURAL_BIRTH_YEARS[level]
        birth = self._birth_date(rng.randint(first, last))
        latest_tmt = REFERENCE_DATE.year - STRUCTURAL_MIN_SERVICE[level]
        tmt_year = min(birth.year + rng.randint(23, 30), latest_tmt)
        tmt = dt.date(tmt_year, rng.randint(1, 12), 1)
        low, high = STRUCTURAL_RANK_RANGE[level]
        if office.profile.shape == "setda" and post.obj.is_head_of_opd:
            low, high = 14, 15
        rank_index = min(max(self._seniority_rank(education, tmt, cap=16), low), high)
        front, back = self._titles(education, sex, birth.year, None, office.profile)
        return Employee(
            kind=Employee.Kind.PNS,
            identity_number=self._nip(birth, tmt, sex),
            name=self._person_name(sex),
            front_title=front,
            back_title=back,
            sex=sex.value,
            birth_date=birth,
            start_date=tmt,
            rank=PNS_RANK_LIST[rank_index],
            education=education,
            status=Employee.Status.AKTIF,
            opd=office.obj,
            unit=post.obj.unit,
            position=post.obj,
            phone=self._phone(),
        )

    def _regular(self, office: _Office, kind: str) -> Employee:
        rng = self.rng
        position: Position | None = None
        hint: str | None = None
        if kind != Employee.Kind.PTT:
            share = office.profile.fungsional_share
            fungsional_share = max(share, 0.85) if kind == Employee.Kind.PPPK else share
            draw = rng.random()
            if office.fungsional and draw < fungsional_share:
                position = rng.choices([p for p, _w in office.fungsional], [w for _p, w in office.fungsional])[0]
                hint = position.name
            elif office.pelaksana and draw < 0.97:
                position = rng.choice(office.pelaksana)
        sex = self._sex_for(hint)
        education = self._education(kind, hint)
        unit = self._unit_for(office, position)
        status = Employee.Status.CUTI if rng.random() < CUTI_RATE else Employee.Status.AKTIF
        if kind == Employee.Kind.PNS:
            birth = self._birth_date(int(rng.triangular(1966, 2001.999, 1982)))
            age = rng.randint(22, 35) if education in {"s1", "s2", "s3", "d4"} else rng.randint(22, 30)
            tmt_year = min(birth.year + age, REFERENCE_DATE.year)
            month = rng.randint(1, 12) if tmt_year < REFERENCE_DATE.year else rng.randint(1, 6)
            tmt = dt.date(tmt_year, month, 1)
            identity = self._nip(birth, tmt, sex)
            rank = PNS_RANK_LIST[self._seniority_rank(education, tmt)]
            start = tmt
        elif kind == Employee.Kind.PPPK:
            year = rng.choice((2021, 2022, 2022, 2023, 2023))
            birth = self._birth_date(int(rng.triangular(1966, 2001.999, 1987)))
            identity = self._counted(
                compose_ni_pppk(birth, year, 1, sex, 1)[:15], lambda s: compose_ni_pppk(birth, year, 1, sex, s)
            )
            rank = PPPK_RANK[education]
            start = dt.date(year, 1, 1)
        else:
            year = rng.randint(2008, REFERENCE_DATE.year)
            birth = self._birth_date(rng.randint(max(1966, year - 45), min(2001, year - 19)))
            identity = self._counted(f"PTT-{year}", lambda s: compose_ptt(year, s))
            rank = ""
            start = dt.date(year, 1, 1)
        front, back = self._titles(education, sex, birth.year, hint, office.profile)
        return Employee(
            kind=kind,
            identity_number=identity,
            name=self._person_name(sex),
            front_title=front,
            back_title=back,
            sex=sex.value,
            birth_date=birth,
            start_date=start,
            rank=rank,
            education=education,
            status=status,
            opd=office.obj,
            unit=unit,
            position=position,
            phone=self._phone(),
        )

    def _unit_for(self, office: _Office, position: Position | None) -> Unit | None:
        if office.uptd and position is not None and position.level == L.FUNGSIONAL and self.rng.random() < 0.85:
            return self.rng.choice(office.uptd)
        top = [u for u in office.units if u.parent_id is None and u.kind != U.UPTD]
        return self.rng.choice(top) if top else None

    def _sex_for(self, hint: str | None) -> Sex:
        share_female = {"Bidan": 1.0, "Perawat": 0.78, "Guru": 0.7, "Nutrisionis": 0.8}.get(hint or "", 0.5)
        if hint in {"Polisi Pamong Praja", "Pemadam Kebakaran"}:
            share_female = 0.15
        return Sex.FEMALE if self.rng.random() < share_female else Sex.MALE

    def _education(self, kind: str, hint: str | None) -> str:
        choices = self.rng.choices
        if hint in {"Guru", "Pengawas Sekolah", "Penilik", "Pamong Belajar"}:
            return choices(("s1", "s2", "d4"), (85, 12, 3))[0]
        if hint == "Dokter Spesialis":
            return "s2"
        if hint in {"Dokter", "Dokter Gigi", "Apoteker"}:
            return choices(("s1", "s2"), (85, 15))[0]
        if hint in HEALTH_D3:
            return choices(("d3", "s1"), (60, 40))[0]
        if hint in {"Polisi Pamong Praja", "Pemadam Kebakaran"}:
            return choices(("sma", "d3", "s1"), (55, 10, 35))[0]
        if hint is not None:
            return choices(("s1", "s2", "d3"), (78, 15, 7))[0]
        if kind == Employee.Kind.PTT:
            return choices(("smp", "sma", "d3", "s1"), (6, 56, 10, 28))[0]
        if kind == Employee.Kind.PPPK:
            return choices(("sma", "d3", "s1"), (15, 25, 60))[0]
        return choices(("sma", "d3", "d4", "s1", "s2"), (22, 18, 4, 50, 6))[0]

    def _titles(self, education: str, sex: Sex, birth_year: int, hint: str | None, profile: Profile) -> tuple[str, str]:
        rng = self.rng
        if education in {"sd", "smp", "sma"}:
            return "", ""
        if education == "d3":
            return "", HEALTH_D3.get(hint or "", "A.Md.")
        if education == "d4":
            return "", "S.Tr.Keb." if hint == "Bidan" else "S.ST."
        front = ""
        if hint in {"Dokter", "Dokter Spesialis"}:
            front, first = "dr.", ""
        elif hint == "Dokter Gigi":
            front, first = "drg.", ""
        elif hint == "Apoteker":
            front, first = "apt.", "S.Farm."
        elif hint in HEALTH_S1:
            first = HEALTH_S1[hint]
        elif hint in {"Guru", "Pengawas Sekolah", "Penilik", "Pamong Belajar"}:
            first = "S.Pd."
        else:
            pool = profile.degrees or ("S.E.", "S.Sos.", "S.H.", "S.IP.", "S.Kom.")
            first = (
                rng.choice(pool)
                if rng.random() < 0.75
                else rng.choice(("S.E.", "S.H.", "S.Sos.", "S.IP.", "S.Kom.", "S.T.", "S.Si.", "S.Pd."))
            )
            # Graduates of the old system carry Drs./Dra. (or Ir. for engineers) in front instead.
            if birth_year <= 1969 and rng.random() < 0.6:
                if first in {"S.T.", "S.P.", "S.Pt.", "S.Pi.", "S.Hut."}:
                    front, first = "Ir.", ""
                else:
                    front, first = ("Drs." if sex is Sex.MALE else "Dra."), ""
        parts = [first] if first else []
        if hint == "Dokter Spesialis":
            parts.append(rng.choice(SPECIALISTS))
        elif education in {"s2", "s3"}:
            if hint in {"Guru", "Pengawas Sekolah", "Penilik", "Pamong Belajar"}:
                parts.append("M.Pd.")
            elif hint in HEALTH_S1 or hint in {"Dokter", "Dokter Gigi", "Apoteker"} or first == "S.K.M.":
                parts.append("M.Kes.")
            elif first == "S.T.":
                parts.append(rng.choice(("M.T.", "M.Si.")))
            else:
                parts.append(rng.choice(MASTER_GENERAL))
        if education == "s3":
            front = f"Dr. {front}".strip() if front in {"", "dr.", "Ir."} else "Dr."
        return front, ", ".join(parts)

    def _person_name(self, sex: Sex) -> str:
        rng, fake = self.rng, self.fake
        male = sex is Sex.MALE

        def given() -> str:
            if rng.random() < 0.55:
                return rng.choice(LOCAL_GIVEN[sex])
            return str(fake.first_name_male() if male else fake.first_name_female())

        parts = [given()]
        if rng.random() < 0.3:
            extra = given()
            if extra != parts[0]:
                parts.append(extra)
        family = (
            rng.choice(LOCAL_FAMILY)
            if rng.random() < 0.7
            else str(fake.last_name_male() if male else fake.last_name_female())
        )
        if family in parts:
            family = rng.choice([f for f in LOCAL_FAMILY if f not in parts])
        parts.append(family)
        return " ".join(parts)

    def _birth_date(self, year: int) -> dt.date:
        # Whoever was born before this day in 1966 had reached the retirement age of 58 by the
        # reference date; the demo city has no one past retirement.
        first = max(dt.date(year, 1, 1), OLDEST_BIRTH_DATE)
        return first + dt.timedelta(days=self.rng.randrange((dt.date(year, 12, 31) - first).days + 1))

    @staticmethod
    def _seniority_rank(education: str, tmt: dt.date, cap: int | None = None) -> int:
        years = (REFERENCE_DATE - tmt).days / 365.25
        index = ENTRY_RANK.get(education, 4) + int(years // 4)
        return min(index, cap if cap is not None else REGULAR_RANK_CAP.get(education, 9))

    def _counted(self, prefix: str, compose: Any) -> str:
        self.serials[prefix] += 1
        return str(compose(self.serials[prefix]))

    def _nip(self, birth: dt.date, tmt: dt.date, sex: Sex) -> str:
        return self._counted(compose_nip(birth, tmt, sex, 1)[:15], lambda s: compose_nip(birth, tmt, sex, s))

    def _phone(self) -> str:
        return f"+62{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**7, 10**8)}"

    # -- accounts --------------------------------------------------------------------------------

    def create_users(self) -> dict[int, User]:
        password = make_password(settings.PAMONG_DEMO_PASSWORD)
        users = [
            User(username=e.identity_number, full_name=e.full_name, employee=e, password=password)
            for e in self.employees
        ]
        User.objects.bulk_create(users, batch_size=USER_BATCH)
        self.password_hash = password
        self.summary.users = len(users)
        return {id(u.employee): u for u in users}

    def create_demo_accounts(self, user_for: dict[int, User]) -> None:
        rng = self.rng
        used: set[int] = set()
        grants: list[RoleGrant] = []
        accounts: list[DemoAccount] = []
        two_factor = set(settings.PAMONG_TWO_FACTOR_ROLES)
        pemda_name = self.pemda.name if self.pemda else "Pemerintah Kota Kupang"

        # Every agency head who is in post is Kepala OPD of that agency.
        for office in self.offices:
            if office.head is not None and office.head.holder is not None:
                grants.append(RoleGrant(user=user_for[id(office.head.holder)], role=Role.KEPALA_OPD, opd=office.obj))

        def account(role: str, qualifier: str, user: User, organisation: str) -> None:
            accounts.append(
                DemoAccount(
                    role=role,
                    label=f"{Role(role).label}{qualifier}",
                    username=user.username,
                    full_name=user.full_name,
                    organisation=organisation,
                    two_factor=role in two_factor,
                )
            )

        def staff(
            code: str,
            *,
            kinds: tuple[str, ...] = (Employee.Kind.PNS,),
            head_first: bool = False,
            prefer: str | None = None,
        ) -> Employee:
            office = self.by_code.get(code)
            pool: list[Employee] = []
            if office is not None:
                if head_first and office.head and office.head.holder and id(office.head.holder) not in used:
                    return self._use(office.head.holder, used)
                holders = {id(p.holder) for p in office.posts if p.holder is not None}
                pool = [
                    e
                    for e in self.employees
                    if e.opd is office.obj
                    and e.kind in kinds
                    and id(e) not in used
                    and e.status == Employee.Status.AKTIF
                    and (head_first or id(e) not in holders)
                ]
                if head_first:
                    pool.sort(key=lambda e: (e.position is None, e.start_date, e.identity_number))
                    if pool:
                        return self._use(pool[0], used)
                if prefer:
                    preferred = [e for e in pool if e.position is not None and e.position.level == prefer]
                    pool = preferred or pool
            if not pool and office is not None and Employee.Kind.PTT not in kinds:
                # Another ASN of the same agency rather than someone from elsewhere.
                pool = [
                    e
                    for e in self.employees
                    if e.opd is office.obj
                    and e.is_asn
                    and id(e) not in used
                    and e.status == Employee.Status.AKTIF
                    and (e.position is None or not e.position.is_structural)
                ]
            if not pool:
                pool = [
                    e
                    for e in self.employees
                    if e.kind in kinds and id(e) not in used and e.status == Employee.Status.AKTIF
                ]
            pool.sort(key=lambda e: e.identity_number)
            return self._use(rng.choice(pool), used)

        def office_name(employee: Employee) -> str:
            return employee.opd.name

        # The acting mayor is a provincial official: an NIP, but no employee record in this Pemda.
        mayor_birth = self._birth_date(rng.randint(1970, 1975))
        mayor_tmt = dt.date(mayor_birth.year + rng.randint(22, 25), 3, 1)
        mayor_name = self._person_name(Sex.MALE)
        mayor = User(
            username=self._nip(mayor_birth, mayor_tmt, Sex.MALE),
            full_name=f"Dr. {mayor_name}, S.STP., M.Si.",
            password=self.password_hash,
        )
        mayor.save()
        grants.append(RoleGrant(user=mayor, role=Role.WALI_KOTA))
        account(Role.WALI_KOTA, " (Pj)", mayor, pemda_name)

        citywide = (
            (Role.SEKDA, "setda"),
            (Role.INSPEKTORAT, "inspektorat"),
            (Role.BKPSDM, "bkppd"),
            (Role.BKAD, "bkad"),
            (Role.BAPPEDA, "bappeda"),
        )
        for role, code in citywide:
            employee = staff(code, head_first=True)
            user = user_for[id(employee)]
            grants.append(RoleGrant(user=user, role=role))
            account(role, "", user, office_name(employee))

        head_of_health = staff("dinkes", head_first=True)
        health = head_of_health.opd
        if not any(g.role == Role.KEPALA_OPD and g.user is user_for[id(head_of_health)] for g in grants):
            grants.append(RoleGrant(user=user_for[id(head_of_health)], role=Role.KEPALA_OPD, opd=health))
        account(Role.KEPALA_OPD, "", user_for[id(head_of_health)], health.name)

        for code in ("dinkes", "dikbud"):
            employee = staff(code, prefer=L.PELAKSANA)
            user = user_for[id(employee)]
            grants.append(RoleGrant(user=user, role=Role.OPERATOR_OPD, opd=employee.opd))
            account(Role.OPERATOR_OPD, "", user, office_name(employee))

        for code, kind, label in (
            ("dinsos", Employee.Kind.PNS, " (PNS)"),
            ("dikbud", Employee.Kind.PPPK, " (PPPK)"),
            ("dlhk", Employee.Kind.PTT, " (PTT)"),
        ):
            employee = staff(code, kinds=(kind,))
            account(Role.PEGAWAI, label, user_for[id(employee)], office_name(employee))

        for username, body in WITNESS_ACCOUNTS:
            witness = User(
                username=username,
                full_name=self._person_name(rng.choice((Sex.MALE, Sex.FEMALE))),
                password=self.password_hash,
            )
            witness.save()
            grants.append(RoleGrant(user=witness, role=Role.SAKSI, witness_body=body))
            account(Role.SAKSI, "", witness, body)

        # Two more Inspektorat staff, so confidential reports can be shared out and a case about the
        # Inspektorat's own leadership still has a handler. Drawn last, so that the accounts above stay
        # the same for the same seed; listed after the Inspektur.
        inspectorate = self.by_code.get("inspektorat")
        if inspectorate is not None:
            listed = len(accounts)
            deputy = next(
                (
                    p.holder
                    for p in inspectorate.posts
                    if p.obj.name.startswith("Inspektur Pembantu")
                    and p.holder is not None
                    and id(p.holder) not in used
                    and p.holder.status == Employee.Status.AKTIF
                ),
                None,
            )
            auditors = sorted(
                (
                    e
                    for e in self.employees
                    if e.opd is inspectorate.obj
                    and e.kind == Employee.Kind.PNS
                    and e.position is not None
                    and e.position.name == "Auditor"
                    and id(e) not in used
                    and e.status == Employee.Status.AKTIF
                ),
                key=lambda e: e.identity_number,
            )
            auditor = rng.choice(auditors) if auditors else None
            for inspector, qualifier in ((deputy, " (Inspektur Pembantu)"), (auditor, " (Auditor)")):
                if inspector is not None:
                    self._use(inspector, used)
                    grants.append(RoleGrant(user=user_for[id(inspector)], role=Role.INSPEKTORAT))
                    account(Role.INSPEKTORAT, qualifier, user_for[id(inspector)], office_name(inspector))
            extra = accounts[listed:]
            del accounts[listed:]
            head_row = next(i for i, a in enumerate(accounts) if a.role == Role.INSPEKTORAT)
            accounts[head_row + 1 : head_row + 1] = extra

        RoleGrant.objects.bulk_create(grants)
        ledger.append_entries([ledger.Act("organisation.role_granted", g) for g in grants], by=None)
        register_demo_witnesses()
        cosign_as_demo_witnesses()
        self.summary.role_grants = len(grants)
        self.summary.users += 1 + len(WITNESS_ACCOUNTS)

        by_username = {a.username for a in accounts if a.two_factor}
        for user in User.objects.filter(username__in=by_username).order_by("username"):
            TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
        self.summary.accounts = accounts

    @staticmethod
    def _use(employee: Employee, used: set[int]) -> Employee:
        used.add(id(employee))
        return employee


def _allocate(total: int, weights: list[float], minimums: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` on top of ``minimums`` (largest remainder)."""
    counts = list(minimums)
    remaining = total - sum(counts)
    weight_sum = sum(weights)
    if remaining <= 0 or weight_sum <= 0:
        return counts
    shares = [remaining * w / weight_sum for w in weights]
    floors = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[: remaining - sum(floors)]:
        floors[i] += 1
    return [c + f for c, f in zip(counts, floors, strict=True)]


# --- Entry points ------------------------------------------------------------------------------


def demo_city_exists() -> bool:
    return Employee.objects.exists() or OPD.objects.exists() or User.objects.filter(is_superuser=False).exists()


@transaction.atomic
def reset_demo_city() -> dict[str, int]:
    """Delete what the demo city builds (accounts except superusers, roles, people, posts, units,
    agencies). Areas and the Pemda stay. Returns how many rows of each went."""
    counts: dict[str, int] = {}
    # The demo's ledger records the demo's grants; a rebuilt city starts a new ledger.
    ledger.reset_for_demo()
    # Imported here for the same reason as in build_demo_city; signatures and reports refer to people and OPD.
    from pamong.cases.demo import reset_demo_cases
    from pamong.neutrality.models import Campaign, Signature
    from pamong.staffing.demo import reset_demo_staffing

    counts["reports"] = reset_demo_cases()
    counts["staffing_proposals"] = reset_demo_staffing()
    counts["declaration_signatures"] = Signature.objects.all().delete()[0]
    Campaign.objects.all().delete()
    with disable_auditlog():
        counts["role_grants"] = RoleGrant.objects.all().delete()[0]
        counts["users"] = User.objects.filter(is_superuser=False).delete()[1].get(User._meta.label, 0)
        User.objects.filter(employee__isnull=False).update(employee=None)
        counts["employees"] = Employee.objects.all().delete()[0]
        Position.objects.update(superior=None)
        counts["positions"] = Position.objects.all().delete()[0]
        Unit.objects.update(parent=None)
        counts["units"] = Unit.objects.all().delete()[0]
        OPD.objects.update(parent=None)
        counts["opd"] = OPD.objects.all().delete()[0]
    return counts


@transaction.atomic
def build_demo_city(
    *, seed: int = DEFAULT_SEED, scale: float = 1.0, data_dir: Path | None = None, stdout: _Writer | None = None
) -> DemoSummary:
    """Build the demo city into an empty organisation registry. Deterministic for a seed and data."""
    if not settings.DEMO_MODE or not settings.PAMONG_DEMO_PASSWORD:
        raise DemoNotAllowed("Kota demo dan akun demo tidak boleh dibuat di luar mode demo (PAMONG_ENV=production).")
    if scale <= 0:
        raise ValueError("scale must be positive")
    started = time.perf_counter()
    builder = _Builder(seed=seed, scale=scale, data_dir=Path(data_dir or settings.PAMONG_DATA_DIR), stdout=stdout)
    builder.load_regions()
    builder.create_offices()
    builder.create_structure()
    builder.choose_vacancies()
    builder.allocate_headcount()
    builder.create_people()
    user_for = builder.create_users()
    builder.create_demo_accounts(user_for)
    # Imported here: the neutrality and cases apps build on the organisation app, not the other way round.
    from pamong.cases.demo import seed_demo_cases
    from pamong.neutrality.demo import seed_demo_campaign
    from pamong.staffing.demo import seed_demo_staffing

    demo_accounts = [a.username for a in builder.summary.accounts]
    seed_demo_campaign(seed=seed, stdout=stdout, keep_unsigned=demo_accounts)
    vacant = [post.obj.pk for office in builder.offices for post in office.posts if post.vacant]
    seed_demo_staffing(seed=seed, stdout=stdout, demo_accounts=demo_accounts, vacant_posts=vacant)
    # Last: its final checkpoint covers the whole demo ledger.
    seed_demo_cases(seed=seed, stdout=stdout, demo_accounts=demo_accounts)
    builder.summary.elapsed_seconds = time.perf_counter() - started
    return builder.summary


def format_summary(summary: DemoSummary) -> str:
    """The report printed at the end of seed_kupang: counts and the demo accounts."""
    e = summary.employees
    lines = [
        f"Kota demo Kupang selesai dibangun (seed {summary.seed}, skala {summary.scale:g}) "
        f"dalam {summary.elapsed_seconds:.1f} detik.",
        f"OPD: {summary.opd} (termasuk {summary.kecamatan_offices} kantor kecamatan dan "
        f"{summary.kelurahan_offices} kantor kelurahan); unit kerja: {summary.units}.",
        f"Jabatan: {summary.positions}, di antaranya {summary.structural_positions} struktural; "
        f"{summary.vacancies} jabatan struktural lowong.",
        f"Pegawai: {summary.employee_total} (PNS {e.get('pns', 0)}, PPPK {e.get('pppk', 0)}, PTT {e.get('ptt', 0)}); "
        f"pengguna: {summary.users}; pemberian peran: {summary.role_grants}.",
        "",
        "Akun demo:",
    ]
    header = ("Peran", "Nama pengguna", "Nama", "OPD / lembaga")
    rows = [
        (a.label + (" *" if a.two_factor else ""), a.username, a.full_name, a.organisation) for a in summary.accounts
    ]
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(4)]
    for row in (header, tuple("-" * w for w in widths), *rows):
        lines.append("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    lines += [
        "",
        f"Kata sandi semua akun demo: {settings.PAMONG_DEMO_PASSWORD}",
        "* Peran ini wajib faktor kedua. Kode TOTP saat ini: python manage.py demo_otp NAMA_PENGGUNA",
        "Setiap pegawai juga dapat masuk dengan NIP / NI PPPK / nomor PTT-nya dan kata sandi yang sama.",
    ]
    return "\n".join(lines)
