"""The demo's confidential reports: a realistic mix of cases in every stage, handled by the demo's
Inspektorat, BKPSDM and Wali Kota accounts in the weeks before the declaration day (17 October 2024).

Every step goes through ``services`` with the day it happened (``today=``), so deadlines are counted
in working days from those days, each step is a ledger entry, and the case history reads as it
would have. The days are played in order and ``services.tick`` runs at the end of each, as the
``cases_tick`` timer would have: reminders, overdue flags and the direct superior who let a case
lapse are what the software itself decided on those days.

The people reported are synthetic employees of the demo city (never a demo account); candidates and
brokers are invented names. Each handler's key is made with the demo password, so logging in to the
demo opens their cases.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import textwrap
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from nacl.public import PrivateKey
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas

from pamong.cases import keyring, services
from pamong.cases.models import (
    Assignment,
    Attachment,
    DisciplineSanction,
    ElectionStage,
    EthicsSanction,
    Examiner,
    ForwardTarget,
    HandlerKey,
    Kind,
    Message,
    RecoveryKey,
    Report,
    Stage,
    TokenKey,
    Track,
    Transition,
)
from pamong.core import workdays
from pamong.core.demo import cosign_as_demo_witnesses
from pamong.core.models import Notification
from pamong.organisation.demo import LOCAL_FAMILY, LOCAL_GIVEN, REFERENCE_DATE
from pamong.organisation.identity import Sex
from pamong.organisation.models import OPD, Employee, Kelurahan, Position, Role, User

PNS = Employee.Kind.PNS
PPPK = Employee.Kind.PPPK
PTT = Employee.Kind.PTT
L = Position.Level
KELURAHAN = OPD.Kind.KELURAHAN
KECAMATAN = OPD.Kind.KECAMATAN


class _Writer(Protocol):
    def write(self, text: str) -> object: ...


def D(month: int, day: int) -> dt.date:
    return dt.date(2024, month, day)


# --- How a story is told ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The employee a story is about: the first who fits, loosening the wish until someone does
    (a small demo city may have no Sekretaris Kelurahan free)."""

    opd_kinds: tuple[str, ...] = ()
    opd_codes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = (PNS,)
    levels: tuple[str, ...] = ()
    title: str = ""  # the post's name starts with this
    with_superior: bool = False  # the post has a direct superior in office (to examine them)


@dataclass(frozen=True)
class Evidence:
    """A small generated file: a chat screenshot or a photo (JPEG), or a document (PDF)."""

    name: str
    look: str  # chat | photo | pdf
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    on: dt.date
    action: str
    text: str = ""
    value: str = ""
    track: str = ""
    ethics: str = ""
    discipline: str = ""
    election: str = ""
    files: tuple[Evidence, ...] = ()


def verify(on: dt.date) -> Step:
    return Step(on, "verify")


def ask(on: dt.date, text: str, *files: Evidence) -> Step:
    """A handler writes to the reporter."""
    return Step(on, "ask", text, files=files)


def reply(on: dt.date, text: str, *files: Evidence) -> Step:
    """The reporter answers, with the report key their receipt opened."""
    return Step(on, "reply", text, files=files)


def note(on: dt.date, text: str) -> Step:
    """An internal note: handlers only."""
    return Step(on, "note", text)


def identify(on: dt.date) -> Step:
    return Step(on, "identify")


def assign(on: dt.date, who: str) -> Step:
    return Step(on, "assign", value=who)


def examine(on: dt.date, examiner: str, text: str = "") -> Step:
    return Step(on, "examine", text, value=examiner)


def recommend(
    on: dt.date, track: str, *, ethics: str = "", discipline: str = "", election: str = "", text: str = ""
) -> Step:
    return Step(on, "recommend", text, track=track, ethics=ethics, discipline=discipline, election=election)


def decide(on: dt.date, text: str = "", *, approve: bool = True) -> Step:
    return Step(on, "decide" if approve else "return", text)


def close(on: dt.date, text: str = "") -> Step:
    return Step(on, "close", text)


def reject(on: dt.date, reason: str) -> Step:
    return Step(on, "reject", reason)


def forward(on: dt.date, to: str, text: str) -> Step:
    return Step(on, "forward", text, value=to)


@dataclass(frozen=True)
class Story:
    key: str
    kind: str
    received: dt.date
    facts: dict[str, Any]  # text values are formatted with the story's words (see _Run.words)
    steps: tuple[Step, ...] = ()
    target: Target | None = None
    known_number: bool = False  # the reporter gave the reported person's NIP
    names_opd: bool = True  # the reporter chose the reported person's OPD on the form
    contact: str = ""
    files: tuple[Evidence, ...] = ()
    reporter: Target | None = None  # an employee who reports under their own name
    show_receipt: bool = False  # printed for the demo presenter (see seed_demo_cases)


# --- Evidence ----------------------------------------------------------------------------------------------

WA_BROKER = Evidence(
    "tangkapan-layar-wa",
    "chat",
    "{calo1}",
    (
        "<Sore kaka. Beta bisa bantu lulus PPPK tahun ini, pasti aman.",
        ">Bagaimana caranya?",
        "<Beta ada orang dalam di kepegawaian. Siap Rp 75 juta, tanda jadi Rp 25 juta dulu.",
        ">Itu resmi ko?",
        "<Aman sa. Sonde usah ikut tes ulang. Jang kasi tau orang lain e.",
    ),
)
WA_GROUP = Evidence(
    "pesan-grup-kantor",
    "chat",
    "Grup Staf {kantor}",
    (
        "<Selamat pagi. Sabtu jam 15.00 semua staf PNS dan PTT wajib hadir di kampanye dialogis {calon2_singkat}.",
        "<Ketua RT/RW juga diajak. Daftar hadir dicek hari Senin.",
        "<Yang tidak hadir akan diingat.",
        ">Siap, pak.",
    ),
)
CAR_PHOTO = Evidence(
    "foto-kendaraan",
    "photo",
    "Mobil pelat merah {pelat} di lokasi kampanye, {kejadian}",
    ("{pelat}", "Kelurahan {tempat1}"),
)
POSTS_PDF = Evidence(
    "rekap-unggahan",
    "pdf",
    "Rekap tangkapan layar media sosial",
    (
        "Akun Facebook atas nama {nama}:",
        "- menyukai dan membagikan unggahan akun kampanye {calon1_singkat};",
        "- menulis komentar 'Lanjutkan, kaka! Kupang pasti menang';",
        "- mengganti foto profil dengan bingkai nomor urut 1.",
        "Tangkapan layar diambil pelapor pada 9 dan 10 Oktober 2024.",
    ),
)
TRANSFER_PDF = Evidence(
    "bukti-transfer",
    "pdf",
    "Bukti transfer antarbank",
    (
        "Tanggal: 12 September 2024",
        "Jumlah: Rp 30.000.000",
        "Ke rekening atas nama: {calo2}",
        "Berita: tanda jadi urus PPPK",
    ),
)


# --- The stories ------------------------------------------------------------------------------------------

KELURAHAN_SECRETARY = Target(opd_kinds=(KELURAHAN,), levels=(L.PENGAWAS,), title="Sekretaris Kelurahan")
KELURAHAN_SECTION = Target(opd_kinds=(KELURAHAN,), levels=(L.PENGAWAS,), title="Kepala Seksi", with_superior=True)
LURAH = Target(opd_kinds=(KELURAHAN,), levels=(L.PENGAWAS,), title="Lurah")
CAMAT = Target(opd_kinds=(KECAMATAN,), levels=(L.ADMINISTRATOR,), title="Camat")

STORIES: tuple[Story, ...] = (
    # --- received: not yet verified ---
    Story(
        "ktp-ptt",
        Kind.TEKANAN,
        D(10, 17),
        {
            "what": "Saya tenaga PTT di {kantor}. Hari Senin {jabatan}, {nama}, mengumpulkan kami tenaga PTT di "
            "ruang rapat dan meminta setiap orang membawa paling sedikit 20 fotokopi KTP warga untuk mendukung "
            "{calon2}. Katanya yang tidak mengumpulkan, kontraknya tahun depan tidak diperpanjang. Beberapa teman "
            "sudah mulai minta KTP dari tetangga. Saya takut kalau menolak.",
            "who": "{nama}, {jabatan}",
            "when": D(10, 14),
            "where": "Ruang rapat kantor {kantor}",
            "pressure_form": "kumpul_dukungan",
            "candidate": "{calon2}",
        },
        target=KELURAHAN_SECRETARY,
        contact="Lewat pesan di halaman ini saja. Tolong jangan telepon ke kantor.",
        show_receipt=True,
    ),
    Story(
        "calo-wa-pppk",
        Kind.CALO,
        D(10, 16),
        {
            "what": "Adik saya tenaga honorer di puskesmas. Dia dihubungi lewat WhatsApp dari nomor yang berakhiran "
            "{hp1} oleh orang yang mengaku bisa 'mengurus' kelulusan PPPK tahun ini. Biayanya Rp 75 juta: Rp 25 "
            "juta dibayar dulu sebagai tanda jadi, sisanya sesudah pengumuman. Dia mengirim foto kartu pegawai yang "
            "buram. Kami belum membayar apa pun.",
            "who": "Orang yang mengaku bernama {calo1} dan punya 'orang dalam' di kepegawaian",
            "when": D(10, 15),
            "where": "Pesan WhatsApp",
            "selection": "pppk",
            "promise": "Pasti lulus seleksi PPPK 2024 tanpa ikut tes ulang",
            "amount": 75_000_000,
            "contact_method": "pesan",
        },
        files=(WA_BROKER,),
    ),
    Story(
        "like-medsos-baru",
        Kind.NETRALITAS,
        D(10, 11),
        {
            "what": "Akun Facebook atas nama {nama}, pegawai {kantor}, seminggu terakhir menyukai dan membagikan "
            "unggahan akun kampanye {calon1} dan menulis komentar dukungan. Foto profilnya juga diberi bingkai "
            "nomor urut 1. Rekap tangkapan layar saya lampirkan.",
            "who": "{nama}, {jabatan} di {kantor}",
            "when": D(10, 10),
            "where": "Facebook",
            "act": "interaksi_medsos",
            "candidate": "{calon1}",
        },
        target=Target(opd_codes=("dispar", "dispora", "dinkopukm"), levels=(L.PELAKSANA,)),
        files=(POSTS_PDF,),
    ),
    Story(
        "pungli-ktp",
        Kind.INTEGRITAS,
        D(10, 17),
        {
            "what": "Di loket perekaman KTP-el, petugas meminta Rp 150 ribu supaya KTP-el anak saya bisa jadi hari "
            "itu juga. Kalau tidak bayar, kami disuruh kembali dua minggu lagi karena 'blangko habis'. Orang di "
            "antrean sesudah saya membayar dan KTP-elnya langsung dicetak.",
            "when": D(10, 16),
            "where": "Loket perekaman {kantor}",
        },
        target=Target(opd_codes=("dukcapil",), levels=(L.PELAKSANA,)),
    ),
    # --- verification ---
    Story(
        "mobil-dinas",
        Kind.NETRALITAS,
        D(10, 7),
        {
            "what": "Hari Sabtu mobil dinas berpelat merah yang biasa dipakai {jabatan} {kantor} terlihat parkir di "
            "lokasi kampanye terbuka {calon3} dan dipakai mengangkut spanduk dan kursi. Sopirnya memakai kaos "
            "pasangan calon.",
            "who": "{jabatan} {kantor}",
            "when": D(10, 5),
            "where": "Lapangan terbuka di Kelurahan {tempat1}",
            "act": "fasilitas_negara",
            "candidate": "{calon3}",
        },
        steps=(
            verify(D(10, 8)),
            ask(
                D(10, 9),
                "Terima kasih atas laporan Bapak/Ibu. Apakah sempat memotret pelat nomor mobil itu? Bila ada, mohon "
                "dikirim lewat halaman ini. Identitas Bapak/Ibu tetap kami rahasiakan.",
            ),
            reply(D(10, 10), "Ada foto dari jauh, pelatnya masih terbaca. Saya kirim.", CAR_PHOTO),
            note(
                D(10, 11),
                "Bagian Umum {kantor}: mobil {pelat} tercatat sebagai kendaraan operasional bidang. Minta buku "
                "pemakaian kendaraan tanggal 5 Oktober sebelum memanggil terlapor.",
            ),
            identify(D(10, 11)),
        ),
        target=Target(opd_codes=("pupr", "perkim", "dishub"), levels=(L.ADMINISTRATOR,)),
    ),
    Story(
        "calo-bkppd-cpns",
        Kind.CALO,
        D(10, 3),
        {
            "what": "Seorang kenalan menawarkan kepada keponakan saya 'jalur khusus' CPNS 2024 di Pemkot Kupang. "
            "Katanya dia dekat dengan pejabat BKPPD dan nilai SKD bisa 'disesuaikan'. Biayanya Rp 150 juta, boleh "
            "dicicil. Dia menelepon dan mengirim pesan WhatsApp beberapa kali.",
            "who": "{calo2}, mengaku dekat dengan pejabat BKPPD",
            "when": D(10, 1),
            "where": "Rumah kami dan lewat WhatsApp",
            "selection": "cpns",
            "promise": "Nilai SKD 'disesuaikan' sampai lulus CPNS 2024",
            "amount": 150_000_000,
            "contact_method": "telepon",
        },
        steps=(
            verify(D(10, 4)),
            assign(D(10, 4), "bkpsdm"),
            ask(
                D(10, 7),
                "Apakah keluarga Bapak/Ibu sudah mentransfer uang? Bila ada bukti transfer atau nomor rekening yang "
                "diberikan, mohon dikirim. Itu sangat membantu pemeriksaan.",
            ),
            note(
                D(10, 14),
                "BKPPD memastikan tidak ada pegawai BKPPD bernama {calo2}. Menunggu jawaban pelapor soal transfer; "
                "bila tidak ada pegawai yang terlibat, siapkan penerusan ke kepolisian.",
            ),
        ),
        contact="Boleh lewat pesan di sini.",
    ),
    Story(
        "wajib-hadir-kampanye",
        Kind.TEKANAN,
        D(10, 14),
        {
            "what": "Lurah kami, {nama}, menyuruh semua staf kelurahan, PNS dan PTT, juga ketua RT dan RW, hadir di "
            "kampanye dialogis {calon2} hari Sabtu. Katanya daftar hadir akan dicek dan yang tidak datang 'akan "
            "diingat'. Perintah itu ditulis di grup WhatsApp kantor dan diulang waktu apel pagi.",
            "who": "{nama}, {jabatan}",
            "when": D(10, 14),
            "where": "Grup WhatsApp kantor dan apel pagi di {kantor}",
            "pressure_form": "wajib_hadir",
            "candidate": "{calon2}",
        },
        steps=(
            verify(D(10, 15)),
            ask(
                D(10, 15),
                "Terima kasih, laporan sudah kami terima dan sedang diverifikasi. Apakah perintah itu juga ada "
                "secara tertulis (surat atau undangan)? Siapa saja anggota grup WhatsApp itu?",
            ),
            reply(
                D(10, 16),
                "Tidak ada surat, hanya di grup dan waktu apel. Anggota grup semua staf kelurahan, PNS dan PTT. "
                "Tangkapan layarnya saya kirim.",
                WA_GROUP,
            ),
            note(
                D(10, 16),
                "Pelapor kemungkinan staf kelurahan itu sendiri: jangan sebut tanggal atau isi pesan grup saat "
                "mengonfirmasi ke kecamatan.",
            ),
        ),
        target=LURAH,
        show_receipt=True,
    ),
    Story(
        "titip-absen",
        Kind.INTEGRITAS,
        D(10, 10),
        {
            "what": "Di tempat kerja saya, {jabatan} ({nama}) mengisi daftar hadir untuk dua pegawai yang hampir "
            "setiap hari tidak masuk sejak Agustus. Mereka tetap menerima TPP penuh. Saya melapor dengan nama "
            "sendiri karena sudah menegur secara lisan tetapi tidak ada perubahan.",
            "when": D(10, 8),
            "where": "{kantor}",
        },
        steps=(
            verify(D(10, 11)),
            note(D(10, 11), "Minta rekap presensi elektronik Agustus–September dari {kantor} lewat BKPPD."),
        ),
        target=Target(opd_codes=("dinkes", "rsud"), levels=(L.PENGAWAS,)),
        reporter=Target(opd_codes=("dinkes", "rsud"), levels=(L.FUNGSIONAL,)),
    ),
    Story(
        "auditor-minta-uang",
        Kind.INTEGRITAS,
        D(10, 9),
        {
            "what": "Saat pemeriksaan (audit) di kantor kami, {nama} dari {kantor} meminta 'uang transport' Rp 5 "
            "juta supaya temuan kekurangan volume pekerjaan tidak dimasukkan ke laporan hasil pemeriksaan. Saya "
            "bendahara dan mencatat permintaan itu. Uang belum diberikan.",
            "when": D(10, 8),
            "where": "Kantor kami, saat audit",
        },
        steps=(
            assign(D(10, 9), "bkpsdm"),
            verify(D(10, 10)),
            note(
                D(10, 10),
                "Terlapor pegawai {kantor}: pimpinan OPD terlapor tidak menerima laporan ini, sesuai aturan konflik "
                "kepentingan. BKPPD ikut menangani.",
            ),
        ),
        target=Target(opd_codes=("inspektorat",), kinds=(PNS,), levels=(L.FUNGSIONAL,)),
        known_number=True,
    ),
    Story(
        "baliho-kantor",
        Kind.NETRALITAS,
        D(10, 15),
        {
            "what": "Sejak akhir pekan ada baliho {calon3} terpasang di pagar kantor {kantor}. Menurut warga, baliho "
            "itu dipasang atas izin {jabatan}, {nama}.",
            "who": "{nama}, {jabatan}",
            "when": D(10, 13),
            "where": "Pagar kantor {kantor}",
            "act": "alat_peraga",
            "candidate": "{calon3}",
        },
        steps=(verify(D(10, 16)),),
        target=LURAH,
    ),
    Story(
        "ajakan-dukung",
        Kind.TEKANAN,
        D(10, 12),
        {
            "what": "Dalam rapat bidang, {jabatan} ({nama}) meminta semua staf 'ikut mengamankan suara' {calon1} di "
            "lingkungan masing-masing dan melaporkan jumlah pendukung setiap minggu. Katanya itu 'arahan atas'.",
            "who": "{nama}, {jabatan}",
            "when": D(10, 11),
            "where": "Ruang rapat {kantor}",
            "pressure_form": "ajakan_dukung",
            "candidate": "{calon1}",
        },
        steps=(verify(D(10, 14)),),
        target=Target(opd_codes=("dinsos", "dlhk", "disperindag"), levels=(L.ADMINISTRATOR,)),
    ),
    # --- examination ---
    Story(
        "like-medsos-kasi",
        Kind.NETRALITAS,
        D(9, 6),
        {
            "what": "Akun Instagram {nama}, {jabatan} di {kantor}, menyukai dan mengomentari unggahan {bakal1} "
            "hampir setiap hari dan membagikannya di cerita (story) dengan tulisan 'Mari dukung'.",
            "who": "{nama}, {jabatan}",
            "when": D(9, 4),
            "where": "Instagram",
            "act": "interaksi_medsos",
            "candidate": "{bakal1}",
        },
        steps=(
            verify(D(9, 9)),
            identify(D(9, 10)),
            examine(D(9, 17), Examiner.ATASAN, "Diperiksa atasan langsung ({atasan}) menurut PP 94/2021 Pasal 26."),
            note(
                D(10, 9),
                "Atasan langsung belum menyerahkan berita acara pemeriksaan dan batas 14 hari kerja sudah lewat. "
                "Siapkan surat Inspektur; kelalaian atasan dapat dijatuhi hukuman disiplin juga (PP 94/2021 Pasal 28).",
            ),
        ),
        target=KELURAHAN_SECTION,
    ),
    Story(
        "foto-calon-guru",
        Kind.NETRALITAS,
        D(9, 30),
        {
            "what": "{nama}, guru di {kantor}, mengunggah foto bersama {calon2} di grup Facebook alumni dengan "
            "tulisan 'Ini pilihan keluarga besar kita'. Unggahan itu dibagikan lagi oleh beberapa guru lain.",
            "who": "{nama}, {jabatan}",
            "when": D(9, 28),
            "where": "Facebook",
            "act": "foto_calon",
            "candidate": "{calon2}",
        },
        steps=(
            verify(D(10, 1)),
            identify(D(10, 2)),
            ask(D(10, 2), "Laporan Bapak/Ibu sedang kami tangani. Kami akan mengabari bila ada perkembangan."),
            examine(D(10, 7), Examiner.INSPEKTORAT),
        ),
        target=Target(opd_codes=("dikbud",), kinds=(PPPK, PNS), levels=(L.FUNGSIONAL,)),
    ),
    Story(
        "camat-kampanye",
        Kind.TEKANAN,
        D(9, 24),
        {
            "what": "Camat memanggil para lurah dan sekretaris kelurahan ke kantor kecamatan dan meminta setiap "
            "kelurahan mengirim paling sedikit 30 orang, termasuk staf, ke kampanye akbar {calon2}. Lurah yang "
            "tidak memenuhi target 'akan dievaluasi'.",
            "who": "{nama}, {jabatan}",
            "when": D(9, 23),
            "where": "Aula {kantor}",
            "pressure_form": "wajib_hadir",
            "candidate": "{calon2}",
        },
        steps=(
            verify(D(9, 25)),
            identify(D(9, 26)),
            examine(
                D(9, 30), Examiner.INSPEKTORAT, "Camat diperiksa Inspektorat karena menyangkut beberapa kelurahan."
            ),
            note(D(10, 8), "Tiga lurah sudah dimintai keterangan; dua membenarkan adanya target jumlah peserta."),
        ),
        target=CAMAT,
    ),
    Story(
        "motor-dinas",
        Kind.NETRALITAS,
        D(10, 1),
        {
            "what": "{nama} ({jabatan}, {kantor}) memakai sepeda motor dinas berpelat merah untuk ikut konvoi "
            "kampanye {calon1} pada hari Minggu.",
            "who": "{nama}, {jabatan}",
            "when": D(9, 29),
            "where": "Konvoi dari Kelurahan {tempat2} ke Kelurahan {tempat3}",
            "act": "fasilitas_negara",
            "candidate": "{calon1}",
        },
        steps=(
            verify(D(10, 2)),
            identify(D(10, 3)),
            examine(D(10, 4), Examiner.ATASAN, "Diperiksa atasan langsung ({atasan})."),
        ),
        target=Target(opd_codes=("dishub", "satpolpp", "damkar"), levels=(L.PENGAWAS,), with_superior=True),
    ),
    Story(
        "belanja-fiktif",
        Kind.INTEGRITAS,
        D(8, 26),
        {
            "what": "Ada belanja alat tulis dan makan minum rapat yang dicatat di {kantor} tetapi barangnya tidak "
            "pernah ada. Nota dibuat oleh {jabatan} ({nama}) dari toko yang sama setiap bulan.",
            "when": D(8, 20),
            "where": "{kantor}",
        },
        steps=(
            verify(D(8, 27)),
            identify(D(8, 28)),
            examine(D(9, 2), Examiner.INSPEKTORAT),
            recommend(
                D(9, 20),
                Track.DISIPLIN,
                discipline=DisciplineSanction.TEGURAN_TERTULIS,
                text="Nota tidak didukung bukti penerimaan barang pada enam bulan.",
            ),
            decide(
                D(10, 1),
                "Dikembalikan: hitung dulu kerugian keuangan daerah dan periksa apakah ada pihak lain yang "
                "terlibat sebelum menentukan hukuman.",
                approve=False,
            ),
        ),
        target=Target(opd_codes=("dispora", "dispusip", "dp3a"), levels=(L.PENGAWAS,)),
    ),
    Story(
        "calo-kepsek",
        Kind.CALO,
        D(10, 3),
        {
            "what": "Kepala sekolah tempat saya mengajar sebagai honorer berkata bisa 'membantu' kelulusan PPPK guru "
            "bila kami menyetor Rp 50 juta lewat dia. Katanya sudah ada beberapa guru yang menyetor.",
            "who": "{nama}, {jabatan}",
            "when": D(10, 2),
            "where": "Ruang kepala sekolah",
            "selection": "pppk",
            "promise": "Lulus seleksi PPPK guru 2024",
            "amount": 50_000_000,
            "contact_method": "langsung",
        },
        steps=(
            verify(D(10, 4)),
            assign(D(10, 4), "bkpsdm"),
            identify(D(10, 8)),
            examine(D(10, 11), Examiner.INSPEKTORAT),
            ask(
                D(10, 14),
                "Apakah Bapak/Ibu bersedia dimintai keterangan secara tertutup? Kami bisa menemui Bapak/Ibu di luar "
                "sekolah. Bila tidak bersedia, laporan tetap kami periksa.",
            ),
            reply(D(10, 15), "Saya bersedia, asal di luar jam sekolah dan tidak di kantor dinas."),
        ),
        target=Target(opd_codes=("dikbud",), kinds=(PNS,), levels=(L.FUNGSIONAL,)),
    ),
    # --- recommendation: waiting for the Wali Kota ---
    Story(
        "calo-staf-bkppd",
        Kind.CALO,
        D(9, 19),
        {
            "what": "Seorang pegawai BKPPD meminta uang kepada dua orang keluarga kami dengan janji kelulusan PPPK. "
            "Masing-masing sudah menyerahkan Rp 50 juta secara tunai. Dia bilang namanya jangan disebut ke siapa "
            "pun.",
            "who": "Pegawai BKPPD bernama {nama}",
            "when": D(9, 10),
            "where": "Rumah terlapor",
            "selection": "pppk",
            "promise": "Lulus seleksi PPPK tenaga teknis 2024",
            "amount": 100_000_000,
            "contact_method": "langsung",
        },
        steps=(
            assign(D(9, 20), "bkpsdm"),
            verify(D(9, 20)),
            identify(D(9, 24)),
            note(
                D(9, 24),
                "Terlapor pegawai BKPPD: Kepala BKPPD otomatis dilepas dari laporan ini (garis komando terlapor).",
            ),
            examine(D(9, 25), Examiner.INSPEKTORAT),
            recommend(
                D(10, 14),
                Track.DISIPLIN,
                discipline=DisciplineSanction.PEMBERHENTIAN,
                text="Terbukti menerima Rp 100 juta dari dua peserta seleksi dengan janji kelulusan; uang belum "
                "dikembalikan. Para korban dianjurkan melapor ke Polresta Kupang Kota.",
            ),
        ),
        target=Target(opd_codes=("bkppd",), levels=(L.PELAKSANA,)),
    ),
    Story(
        "komentar-bakal-calon",
        Kind.NETRALITAS,
        D(8, 29),
        {
            "what": "{nama}, {jabatan} di {kantor}, aktif mengomentari dan membagikan unggahan {bakal3} di Facebook "
            "dan menjadi admin grup 'Sahabat' bakal calon itu.",
            "who": "{nama}, {jabatan}",
            "when": D(8, 27),
            "where": "Facebook",
            "act": "interaksi_medsos",
            "candidate": "{bakal3}",
        },
        steps=(
            verify(D(8, 30)),
            identify(D(9, 2)),
            examine(D(9, 3), Examiner.INSPEKTORAT),
            recommend(
                D(10, 8),
                Track.ETIK,
                ethics=EthicsSanction.TERTUTUP,
                election=ElectionStage.SEBELUM,
                text="Terjadi sebelum penetapan calon; terlapor mengakui dan sudah keluar dari grup.",
            ),
        ),
        target=Target(opd_codes=("diskominfo", "bapenda", "dispusip"), levels=(L.PELAKSANA,)),
    ),
    Story(
        "truk-dlhk",
        Kind.NETRALITAS,
        D(9, 27),
        {
            "what": "Truk sampah DLHK dipakai mengangkut massa ke kampanye {calon3}. Yang mengatur keberangkatan "
            "truk adalah {nama}.",
            "who": "{nama}, {jabatan}",
            "when": D(9, 26),
            "where": "Depo DLHK ke Lapangan Kelurahan {tempat1}",
            "act": "fasilitas_negara",
            "candidate": "{calon3}",
        },
        steps=(
            verify(D(9, 30)),
            identify(D(10, 1)),
            examine(D(10, 1), Examiner.INSPEKTORAT),
            recommend(
                D(10, 10),
                Track.DISIPLIN,
                discipline=DisciplineSanction.POTONG_TPP_12,
                election=ElectionStage.SESUDAH,
                text="Terjadi sesudah penetapan calon, pada masa kampanye; dua sopir menjadi saksi.",
            ),
        ),
        target=Target(opd_codes=("dlhk",), levels=(L.PENGAWAS,)),
    ),
    Story(
        "ktp-seklur",
        Kind.TEKANAN,
        D(9, 9),
        {
            "what": "{jabatan}, {nama}, meminta kami para PTT menyerahkan fotokopi KTP keluarga masing-masing untuk "
            "dukungan {bakal2}. Yang tidak menyerahkan diancam tidak diperpanjang kontraknya.",
            "who": "{nama}, {jabatan}",
            "when": D(9, 5),
            "where": "{kantor}",
            "pressure_form": "kumpul_dukungan",
            "candidate": "{bakal2}",
        },
        steps=(
            verify(D(9, 10)),
            identify(D(9, 11)),
            examine(D(9, 12), Examiner.INSPEKTORAT),
            ask(D(9, 13), "Kami sedang memeriksa laporan ini. Apakah Bapak/Ibu sudah menyerahkan fotokopi KTP?"),
            reply(D(9, 14), "Belum, pak. Tapi dua teman sudah menyerahkan karena takut."),
            recommend(
                D(9, 25),
                Track.KEDUANYA,
                ethics=EthicsSanction.TERBUKA,
                discipline=DisciplineSanction.TIDAK_PUAS,
                election=ElectionStage.SEBELUM,
                text="Tekanan terhadap PTT terbukti dari keterangan empat saksi.",
            ),
        ),
        target=KELURAHAN_SECRETARY,
    ),
    # --- decided by the Wali Kota ---
    Story(
        "atribut-kampanye",
        Kind.NETRALITAS,
        D(9, 26),
        {
            "what": "{nama}, pegawai {kantor}, ikut kampanye {calon1} memakai kaos pasangan calon dan topi berlogo "
            "Pemkot. Fotonya beredar di grup WhatsApp warga.",
            "who": "{nama}, {jabatan}",
            "when": D(9, 25),
            "where": "Kampanye di Kelurahan {tempat2}",
            "act": "atribut",
            "candidate": "{calon1}",
        },
        steps=(
            verify(D(9, 27)),
            identify(D(9, 30)),
            examine(D(9, 30), Examiner.INSPEKTORAT),
            recommend(
                D(10, 8),
                Track.KEDUANYA,
                ethics=EthicsSanction.TERBUKA,
                discipline=DisciplineSanction.TIDAK_PUAS,
                election=ElectionStage.SESUDAH,
            ),
            decide(D(10, 14), "Setuju dengan rekomendasi Inspektorat."),
        ),
        target=Target(opd_codes=("satpolpp", "damkar"), levels=(L.PELAKSANA,)),
    ),
    Story(
        "ancaman-kontrak",
        Kind.TEKANAN,
        D(9, 2),
        {
            "what": "Kepala unit kami, {nama}, berkata di depan para PTT bahwa kontrak tahun depan 'tergantung "
            "pilihan kita' dan menyebut {bakal2}.",
            "who": "{nama}, {jabatan}",
            "when": D(8, 30),
            "where": "{kantor}",
            "pressure_form": "ancaman_kontrak",
            "candidate": "{bakal2}",
        },
        steps=(
            verify(D(9, 3)),
            identify(D(9, 4)),
            examine(D(9, 5), Examiner.INSPEKTORAT),
            recommend(
                D(9, 27),
                Track.DISIPLIN,
                discipline=DisciplineSanction.TEGURAN_TERTULIS,
                election=ElectionStage.SEBELUM,
            ),
            decide(D(10, 9), "Teguran tertulis disampaikan oleh Sekretaris Daerah."),
        ),
        target=Target(opd_codes=("dlhk", "perkim", "pupr"), levels=(L.PENGAWAS,)),
    ),
    # --- closed ---
    Story(
        "foto-paslon",
        Kind.NETRALITAS,
        D(9, 23),
        {
            "what": "{nama} ({jabatan}, {kantor}) mengunggah foto bersama {calon3} di Facebook sehari sesudah "
            "penetapan pasangan calon, dengan tulisan 'Siap menangkan!'.",
            "who": "{nama}, {jabatan}",
            "when": D(9, 23),
            "where": "Facebook",
            "act": "foto_calon",
            "candidate": "{calon3}",
        },
        steps=(
            verify(D(9, 24)),
            identify(D(9, 24)),
            examine(D(9, 25), Examiner.INSPEKTORAT),
            recommend(
                D(10, 2), Track.ETIK, ethics=EthicsSanction.TERBUKA, election=ElectionStage.SESUDAH, text="Diakui."
            ),
            decide(D(10, 4)),
            close(D(10, 8), "Pernyataan secara terbuka dibacakan pada apel pagi {kantor}, 7 Oktober 2024."),
            ask(
                D(10, 8),
                "Laporan Bapak/Ibu selesai ditangani: pelanggaran terbukti dan terlapor dijatuhi sanksi moral berupa "
                "pernyataan secara terbuka. Terima kasih sudah melapor.",
            ),
        ),
        target=Target(opd_codes=("bappeda", "dinkopukm", "disnakertrans"), levels=(L.PELAKSANA, L.FUNGSIONAL)),
        show_receipt=True,
    ),
    Story(
        "perjalanan-fiktif",
        Kind.INTEGRITAS,
        D(8, 26),
        {
            "what": "{nama} ({jabatan}) membuat laporan perjalanan dinas ke Soe dan Atambua pada Juli, padahal dia "
            "masuk kantor pada hari-hari itu. Uang harian dan transport tetap dicairkan.",
            "when": D(8, 15),
            "where": "{kantor}",
        },
        steps=(
            verify(D(8, 27)),
            identify(D(8, 28)),
            examine(D(8, 29), Examiner.INSPEKTORAT),
            recommend(D(9, 13), Track.DISIPLIN, discipline=DisciplineSanction.POTONG_TPP_6),
            decide(D(9, 24)),
            close(D(10, 3), "Uang perjalanan sudah dikembalikan ke kas daerah; potongan TPP berlaku sejak Oktober."),
        ),
        target=Target(opd_codes=("distan", "diskan", "dkp"), levels=(L.PENGAWAS, L.PELAKSANA)),
    ),
    Story(
        "akun-palsu",
        Kind.NETRALITAS,
        D(9, 12),
        {
            "what": "Akun TikTok bernama {nama} sering membuat video dukungan untuk {bakal1}. Orang itu pegawai "
            "{kantor}.",
            "who": "{nama}, {jabatan}",
            "when": D(9, 10),
            "where": "TikTok",
            "act": "kampanye_medsos",
            "candidate": "{bakal1}",
        },
        steps=(
            verify(D(9, 13)),
            identify(D(9, 17)),
            examine(D(9, 18), Examiner.INSPEKTORAT),
            close(
                D(10, 2),
                "Akun yang dilaporkan ternyata bukan milik terlapor: nama dan fotonya dipakai orang lain, dan "
                "Diskominfo sudah melaporkan akun itu ke platform. Laporan tidak terbukti.",
            ),
            ask(
                D(10, 2),
                "Terima kasih. Setelah diperiksa, akun itu bukan milik pegawai yang dilaporkan, jadi laporan tidak "
                "terbukti. Bila Bapak/Ibu punya keterangan lain, silakan kirim lewat halaman ini.",
            ),
        ),
        target=Target(opd_codes=("p2kb", "dispar", "dinsos"), levels=(L.PELAKSANA,)),
    ),
    Story(
        "grup-keluarga",
        Kind.TEKANAN,
        D(9, 4),
        {
            "what": "{jabatan} ({nama}) mengirim pesan berisi ajakan memilih {bakal3} dan meminta semua anggota grup "
            "meneruskan pesan itu.",
            "who": "{nama}, {jabatan}",
            "when": D(9, 3),
            "where": "Grup WhatsApp",
            "pressure_form": "ajakan_dukung",
            "candidate": "{bakal3}",
        },
        steps=(
            verify(D(9, 5)),
            identify(D(9, 6)),
            examine(D(9, 9), Examiner.ATASAN, "Diperiksa atasan langsung ({atasan})."),
            close(
                D(9, 27),
                "Atasan langsung dan tiga saksi menyatakan pesan itu dikirim ke grup keluarga terlapor, bukan grup "
                "kantor, dan tidak ada perintah kepada bawahan. Tekanan tidak terbukti.",
            ),
        ),
        target=Target(opd_kinds=(KECAMATAN,), levels=(L.PENGAWAS,), with_superior=True),
    ),
    # --- rejected ---
    Story(
        "utang-pribadi",
        Kind.INTEGRITAS,
        D(10, 2),
        {
            "what": "Tetangga saya, pegawai Pemkot, meminjam uang Rp 8 juta tahun lalu dan sampai sekarang belum "
            "mengembalikan walaupun sudah berkali-kali ditagih.",
            "when": D(10, 1),
            "where": "Rumah saya",
        },
        steps=(
            reject(
                D(10, 3),
                "Laporan ini tentang utang-piutang pribadi, bukan pelanggaran disiplin atau integritas dalam tugas. "
                "Silakan selesaikan secara kekeluargaan atau lewat jalur perdata.",
            ),
        ),
        names_opd=False,
    ),
    Story(
        "calo-ganda",
        Kind.CALO,
        D(10, 4),
        {
            "what": "Ada orang yang menawarkan jalur khusus CPNS lewat kenalan di BKPPD dengan biaya Rp 150 juta.",
            "who": "{calo2}",
            "when": D(10, 2),
            "where": "Telepon",
            "selection": "cpns",
            "promise": "Lulus CPNS 2024",
            "amount": 150_000_000,
            "contact_method": "telepon",
        },
        steps=(
            verify(D(10, 7)),
            reject(
                D(10, 8),
                "Laporan ini sama dengan laporan {nomor_calo-bkppd-cpns} yang sedang kami tangani. Keterangan Anda "
                "sudah kami catat di laporan itu.",
            ),
        ),
        names_opd=False,
    ),
    Story(
        "relawan-bukan-asn",
        Kind.NETRALITAS,
        D(9, 10),
        {
            "what": "Seorang relawan membagikan sembako bergambar {bakal2} di depan kantor kelurahan.",
            "who": "Relawan {bakal2}",
            "when": D(9, 8),
            "where": "Depan kantor Kelurahan {tempat3}",
            "act": "kegiatan_berpihak",
            "candidate": "{bakal2}",
        },
        steps=(
            verify(D(9, 11)),
            ask(D(9, 11), "Apakah orang yang membagikan sembako itu pegawai Pemkot Kupang (PNS, PPPK, atau PTT)?"),
            reply(D(9, 12), "Setahu saya bukan, dia relawan dari luar."),
            reject(
                D(9, 13),
                "Terlapor bukan pegawai Pemerintah Kota Kupang. Pelanggaran oleh relawan atau tim pasangan calon "
                "adalah wewenang Bawaslu Kota Kupang; silakan laporkan langsung ke Bawaslu.",
            ),
        ),
        names_opd=False,
    ),
    # --- forwarded ---
    Story(
        "deklarasi-camat",
        Kind.NETRALITAS,
        D(9, 28),
        {
            "what": "{nama}, {jabatan}, hadir dan berpidato di acara deklarasi dukungan untuk {calon2} pada masa "
            "kampanye.",
            "who": "{nama}, {jabatan}",
            "when": D(9, 27),
            "where": "Gedung pertemuan di Kelurahan {tempat1}",
            "act": "ikut_kampanye",
            "candidate": "{calon2}",
        },
        steps=(
            verify(D(9, 30)),
            identify(D(9, 30)),
            forward(
                D(10, 1),
                ForwardTarget.BAWASLU,
                "Terjadi pada masa kampanye dan menyangkut pasangan calon: diteruskan ke Bawaslu Kota Kupang untuk "
                "kajian dugaan pelanggaran. Inspektorat menunggu rekomendasi Bawaslu.",
            ),
        ),
        target=CAMAT,
    ),
    Story(
        "calo-kanreg",
        Kind.CALO,
        D(9, 16),
        {
            "what": "Seseorang yang mengaku pegawai Kantor Regional BKN menawarkan kelulusan SKD CPNS 2024 lewat "
            "'pengaturan nilai CAT' dengan biaya Rp 120 juta.",
            "who": "{calo3}, mengaku pegawai Kanreg BKN",
            "when": D(9, 14),
            "where": "Pesan Facebook lalu WhatsApp",
            "selection": "cpns",
            "promise": "Nilai SKD CAT diatur sampai lulus",
            "amount": 120_000_000,
            "contact_method": "medsos",
        },
        steps=(
            verify(D(9, 17)),
            forward(
                D(9, 19),
                ForwardTarget.BKN,
                "Menyangkut seleksi CAT nasional dan orang yang mengaku pegawai BKN: diteruskan ke BKN lewat SBT BKN.",
            ),
        ),
        names_opd=False,
    ),
    Story(
        "calo-transfer",
        Kind.CALO,
        D(9, 18),
        {
            "what": "Saya sudah mentransfer Rp 30 juta sebagai tanda jadi kepada orang yang menjanjikan kelulusan "
            "PPPK. Totalnya Rp 100 juta. Sesudah transfer, nomornya tidak bisa dihubungi lagi.",
            "who": "{calo2}",
            "when": D(9, 12),
            "where": "WhatsApp dan transfer bank",
            "selection": "pppk",
            "promise": "Lulus seleksi PPPK 2024",
            "amount": 100_000_000,
            "contact_method": "pesan",
        },
        steps=(
            verify(D(9, 19)),
            ask(D(9, 19), "Mohon kirim bukti transfer bila ada. Apakah orang itu pegawai Pemkot Kupang?"),
            reply(D(9, 20), "Ini bukti transfernya. Saya tidak tahu dia pegawai atau bukan.", TRANSFER_PDF),
            note(D(9, 23), "BKPPD: nama penerima transfer tidak ada dalam data pegawai Pemkot."),
            forward(
                D(9, 25),
                ForwardTarget.POLISI,
                "Pelaku bukan pegawai Pemkot dan ada dugaan penipuan: diteruskan ke Polresta Kupang Kota. Pelapor "
                "dianjurkan membuat laporan polisi sendiri dengan bukti transfer.",
            ),
        ),
        names_opd=False,
        contact="Lewat pesan di sini.",
    ),
)


# --- Generated evidence ------------------------------------------------------------------------------------


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _chat_jpeg(title: str, lines: Sequence[str]) -> bytes:
    """A phone screenshot of a chat: '<' starts an incoming message, '>' an outgoing one."""
    font, width = _font(14), 360
    bubbles = [(line[0] == ">", textwrap.wrap(line[1:], 34)) for line in lines]
    height = 64 + sum(22 + 18 * len(rows) for _mine, rows in bubbles) + 16
    image = Image.new("RGB", (width, height), "#e5ddd5")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 48), fill="#075e54")
    draw.text((16, 15), title, fill="white", font=_font(16))
    y = 64
    for mine, rows in bubbles:
        box_height = 10 + 18 * len(rows)
        left = 120 if mine else 12
        draw.rounded_rectangle((left, y, left + 228, y + box_height), radius=8, fill="#dcf8c6" if mine else "white")
        for index, row in enumerate(rows):
            draw.text((left + 8, y + 5 + 18 * index), row, fill="#222222", font=font)
        y += box_height + 12
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _photo_jpeg(title: str, lines: Sequence[str]) -> bytes:
    """A plain 'photo': sky, a field, a red-plated car (``lines[0]`` on the plate), and the caption."""
    image = Image.new("RGB", (480, 320), "#9cc3e6")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 190, 480, 320), fill="#b89b5e")
    draw.rounded_rectangle((150, 150, 330, 240), radius=18, fill="#e8e8e8", outline="#555555")
    draw.rectangle((190, 220, 290, 240), fill="#c0262d")
    draw.text((240, 230), lines[0] if lines else "", fill="white", font=_font(12), anchor="mm")
    for x in (180, 300):
        draw.ellipse((x - 18, 222, x + 18, 258), fill="#222222")
    draw.rectangle((0, 286, 480, 320), fill="#000000")
    draw.text((10, 294), textwrap.shorten(title, 64), fill="white", font=_font(13))
    for index, line in enumerate(lines[1:]):
        draw.text((10, 10 + 18 * index), line, fill="#1b2a41", font=_font(13))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=75)
    return out.getvalue()


def _pdf(title: str, lines: Sequence[str]) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A5)
    _width, height = A5
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(40, height - 60, title)
    canvas.setFont("Helvetica", 10)
    y = height - 90
    for line in lines:
        for row in textwrap.wrap(line, 70) or [""]:
            canvas.drawString(40, y, row)
            y -= 15
    canvas.showPage()
    canvas.save()
    return out.getvalue()


# --- Playing the stories -----------------------------------------------------------------------------------


@dataclass
class _Case:
    story: Story
    words: dict[str, str]
    person: Employee | None
    report: Report | None = None
    report_key: bytes = b""


@dataclass
class DemoCases:
    reports: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    flagged: int = 0
    # (receipt, report number) of the reports whose receipt is printed for the presenter.
    receipts: list[tuple[str, str]] = field(default_factory=list)


class _Run:
    def __init__(self, *, seed: int, demo_accounts: Collection[str]) -> None:
        self.rng = random.Random(f"cases-{seed}")  # noqa: S311 - reproducible demo data, not a secret
        self.demo_accounts = set(demo_accounts)
        self.taken: set[int] = set()
        self.keys: dict[int, PrivateKey] = {}
        self.words = self._common_words()
        self.files: dict[tuple[str, str], bytes] = {}
        self.receipts: list[tuple[str, str]] = []
        self.lead: User | None = None
        self.workers: list[User] = []
        self.bkpsdm: User | None = None
        self.mayor: User | None = None

    # people ------------------------------------------------------------------------------------

    def prepare_handlers(self) -> None:
        """Each handler's key, made once with the demo password (the interactive Argon2id cost is
        the slow part of this module, so it is paid once per handler and the key reused)."""
        users = list(
            User.objects.filter(is_active=True, role_grants__role__in=list(keyring.HANDLER_ROLES))
            .select_related("employee__position")
            .distinct()
            .order_by("pk")
        )
        for user in users:
            private_key = keyring.key_for_password(user, settings.PAMONG_DEMO_PASSWORD)
            if private_key is not None:
                self.keys[user.pk] = private_key

        def is_head(user: User) -> bool:
            position = user.employee.position if user.employee else None
            return bool(position and position.is_head_of_opd)

        inspectorate = sorted((u for u in users if u.has_role(Role.INSPEKTORAT)), key=lambda u: (not is_head(u), u.pk))
        if not inspectorate:
            raise ValueError("Kota demo tanpa akun Inspektorat: laporan demo tidak dapat ditangani.")
        self.lead = inspectorate[0]
        self.workers = inspectorate[1:]
        self.bkpsdm = next((u for u in users if u.has_role(Role.BKPSDM)), None)
        self.mayor = next((u for u in users if u.has_role(Role.WALI_KOTA)), None)
        # The recovery key of the Inspektorat head: new reports are wrapped for it. Its text is shown
        # to nobody here; a real head makes their own from the case screens and keeps it in a safe.
        services.create_recovery_key(self.lead)

    def _person(self, sex: Sex) -> str:
        return f"{self.rng.choice(LOCAL_GIVEN[sex])} {self.rng.choice(LOCAL_FAMILY)}"

    def _common_words(self) -> dict[str, str]:
        rng = self.rng
        words: dict[str, str] = {}
        for number in (1, 2, 3):
            mayor, deputy = self._person(Sex.MALE), self._person(rng.choice((Sex.MALE, Sex.FEMALE)))
            words[f"calon{number}"] = f"pasangan calon nomor urut {number}, {mayor} – {deputy}"
            words[f"calon{number}_singkat"] = f"paslon nomor urut {number}"
            words[f"bakal{number}"] = f"bakal calon wali kota {mayor}"
        for number in (1, 2, 3):
            words[f"calo{number}"] = self._person(rng.choice((Sex.MALE, Sex.FEMALE)))
            words[f"hp{number}"] = f"{rng.randrange(10_000):04d}"
        places = sorted(Kelurahan.objects.values_list("name", flat=True)) or ["Oebobo", "Oesapa", "Kelapa Lima"]
        for number, place in enumerate(rng.sample(places, 3) if len(places) >= 3 else places * 3, start=1):
            words[f"tempat{number}"] = place
        words["pelat"] = f"DH {rng.randrange(1000, 9999)} {rng.choice('ABCKP')}"
        words["kejadian"] = "5 Oktober 2024"
        return words

    def pick(self, target: Target) -> Employee | None:
        """The first employee who fits the target, loosening it step by step; never a demo account
        and never someone another story already uses."""
        people = (
            Employee.objects.filter(status=Employee.Status.AKTIF)
            .exclude(pk__in=self.taken)
            .exclude(user__username__in=self.demo_accounts)
        )
        place = Q()
        if target.opd_kinds:
            place &= Q(opd__kind__in=target.opd_kinds)
        if target.opd_codes:
            place &= Q(opd__code__in=target.opd_codes)
        post = Q(position__level__in=target.levels) if target.levels else Q()
        titled = post & Q(position__name__startswith=target.title) if target.title else post
        if target.with_superior:
            boss = Q(position__superior__holders__status=Employee.Status.AKTIF)
            titled, post = titled & boss, post & boss
        kinds = Q(kind__in=target.kinds)
        for wish in (place & titled & kinds, place & post & kinds, place & kinds, post & kinds, kinds):
            ids = sorted(set(people.filter(wish).values_list("pk", flat=True)))
            if ids:
                chosen = self.rng.choice(ids)
                self.taken.add(chosen)
                return Employee.objects.select_related("opd", "position__superior").get(pk=chosen)
        return None

    def words_for(self, person: Employee | None) -> dict[str, str]:
        words = dict(self.words)
        if person is not None:
            position = person.position
            words["nama"] = person.full_name
            words["jabatan"] = position.name if position else ("tenaga PTT" if person.kind == PTT else "staf")
            words["kantor"] = person.opd.name.removesuffix(" Kota Kupang")
            words["atasan"] = position.superior.name if position and position.superior else "atasan langsung"
        return words

    # files ------------------------------------------------------------------------------------

    def evidence(self, items: Sequence[Evidence], words: dict[str, str]) -> list[tuple[str, bytes]]:
        out = []
        for item in items:
            title = item.title.format_map(words)
            lines = tuple(line.format_map(words) for line in item.lines)
            cache_key = (item.name, title + "|".join(lines))
            if cache_key not in self.files:
                make = {"chat": _chat_jpeg, "photo": _photo_jpeg, "pdf": _pdf}[item.look]
                self.files[cache_key] = make(title, lines)
            extension = "pdf" if item.look == "pdf" else "jpg"
            out.append((f"{item.name}.{extension}", self.files[cache_key]))
        return out

    # steps ------------------------------------------------------------------------------------

    def submit(self, case: _Case) -> None:
        story, words = case.story, case.words
        answers = {k: v.format_map(words) if isinstance(v, str) else v for k, v in story.facts.items()}
        reporter = None
        if story.reporter is not None:
            employee = self.pick(story.reporter)
            reporter = User.objects.filter(employee=employee).first() if employee else None
        person = case.person
        submitted = services.submit_report(
            kind=story.kind,
            answers=answers,
            opd=person.opd if person is not None and story.names_opd else None,
            reported_number=person.identity_number if person is not None and story.known_number else "",
            contact=story.contact,
            reporter=reporter,
            files=self.evidence(story.files, words),
            today=story.received,
        )
        case.report, case.report_key = submitted.report, submitted.report_key
        self.words[f"nomor_{story.key}"] = submitted.report.number
        if story.show_receipt:
            self.receipts.append((submitted.receipt, submitted.report.number))

    def actor(self, case: _Case, action: str) -> User:
        assert case.report is not None
        assigned = set(Assignment.objects.filter(report=case.report).values_list("user_id", flat=True))
        if action in {"decide", "return"}:
            order = [self.mayor]
        elif action == "assign":
            order = [self.lead, *self.workers, self.bkpsdm]
        else:
            order = [*self.workers, self.lead, self.bkpsdm]
        for user in order:
            if user is not None and user.pk in assigned:
                return user
        raise ValueError(f"Tidak ada petugas demo yang ditugasi laporan {case.story.key} untuk langkah {action}.")

    def play(self, case: _Case, step: Step) -> None:
        assert case.report is not None
        words = self.words_for(case.person)
        text = step.text.format_map(words)
        day = step.on
        if step.action == "reply":
            access = services.ReporterAccess(report=case.report, key=case.report_key)
            services.reporter_reply(access, text, self.evidence(step.files, words), today=day)
            return
        user = self.actor(case, step.action)
        handler = services.open_as_handler(case.report.pk, user, self.keys[user.pk])
        if step.action == "verify":
            services.start_verification(handler, today=day)
        elif step.action == "ask":
            services.post_message(handler, text, files=self.evidence(step.files, words), today=day)
        elif step.action == "note":
            services.post_message(handler, text, internal=True, today=day)
        elif step.action == "identify":
            assert case.person is not None, case.story.key
            services.identify(handler, employee=case.person, opd=case.person.opd, today=day)
        elif step.action == "assign":
            colleague = {"bkpsdm": self.bkpsdm, "inspektur": self.lead}[step.value]
            if (
                colleague is not None
                and colleague != user
                and services.conflict_of(case.report, colleague) is None
                and not Assignment.objects.filter(report=case.report, user=colleague).exists()
            ):
                services.assign(handler, colleague, today=day)
        elif step.action == "examine":
            services.begin_examination(handler, step.value, note=text, today=day)
        elif step.action == "recommend":
            services.recommend(
                handler,
                track=step.track,
                ethics_sanction=step.ethics,
                discipline_sanction=step.discipline,
                election_stage=step.election,
                note=text,
                today=day,
            )
        elif step.action in {"decide", "return"}:
            services.decide(handler, approve=step.action == "decide", note=text, today=day)
        elif step.action == "close":
            services.close(handler, note=text, today=day)
        elif step.action == "reject":
            services.reject(handler, reason=text, today=day)
        elif step.action == "forward":
            services.forward(handler, to=step.value, note=text, today=day)
        else:  # pragma: no cover - a typo in the stories above
            raise ValueError(step.action)

    def run(self, stories: Sequence[Story], today: dt.date) -> DemoCases:
        self.prepare_handlers()
        cases = [_Case(story, {}, self.pick(story.target) if story.target else None) for story in stories]
        for case in cases:
            case.words = self.words_for(case.person)
        events: dict[dt.date, list[tuple[int, int]]] = {}
        for index, case in enumerate(cases):
            events.setdefault(case.story.received, []).append((index, -1))
            previous = case.story.received
            for number, step in enumerate(case.story.steps):
                if step.on < previous or step.on > today:
                    raise ValueError(f"Langkah {number} laporan demo {case.story.key} tidak urut tanggalnya.")
                previous = step.on
                events.setdefault(step.on, []).append((index, number))
        # Day by day, as it happened: that day's reports and steps, then the timer's reminders and
        # flags. The timer runs every day; here it runs on working days (and the demo's day), where
        # deadlines fall, to keep seeding quick.
        day = min(events)
        read_until = 0
        while day <= today:
            if day == today:
                read_until = Notification.objects.aggregate(last=Max("id"))["last"] or 0
            for index, number in sorted(events.get(day, [])):
                case = cases[index]
                if number < 0:
                    self.submit(case)
                else:
                    self.play(case, case.story.steps[number])
            if workdays.is_working_day(day) or day == today:
                services.tick(today=day)
            day += dt.timedelta(days=1)
        services.flush_intake_entries()
        # The demo's handlers have read what reached them before the demo's day; today's news is unread.
        Notification.objects.filter(id__lte=read_until, read_at__isnull=True).update(read_at=timezone.now())

        reports = Report.objects.filter(pk__in=[c.report.pk for c in cases if c.report is not None])
        return DemoCases(
            reports=reports.count(),
            by_stage=dict(Counter(reports.values_list("stage", flat=True))),
            overdue=services.overdue(reports, today=today).count(),
            flagged=reports.filter(superior_flagged_on__isnull=False).count(),
            receipts=self.receipts,
        )


def seed_demo_cases(
    *, seed: int, stdout: _Writer | None = None, demo_accounts: Collection[str] = (), today: dt.date = REFERENCE_DATE
) -> DemoCases:
    """Play the demo's reports and cases up to ``today``, then issue a checkpoint (cosigned by the demo
    witnesses) that covers every step. ``demo_accounts`` (user names) are never the reported person."""
    result = _Run(seed=seed, demo_accounts=demo_accounts).run(STORIES, today)
    cosign_as_demo_witnesses()
    if stdout is not None:
        stages = ", ".join(f"{s.label.lower()} {result.by_stage[s]}" for s in Stage if s in result.by_stage)
        stdout.write(
            f"Laporan rahasia demo: {result.reports} laporan ({stages}); {result.overdue} lewat batas waktu, "
            f"{result.flagged} atasan langsung ditandai lalai.\n"
        )
        # Only because these reports are invented: a real receipt is shown once to its reporter and
        # never stored or printed anywhere. These let a presenter open a report as its reporter.
        for receipt, number in result.receipts:
            report = Report.objects.get(number=number)
            stdout.write(
                f"Tanda terima demo: {receipt}  ({report.get_kind_display()}, tahap {report.get_stage_display()})\n"
            )
    return result


def reset_demo_cases() -> int:
    """Remove every report, its files and the handlers' keys (for reset_demo_city). Returns how many
    reports went."""
    names = list(Attachment.objects.values_list("storage_name", flat=True))
    Transition.objects.all().delete()
    Message.objects.all().delete()
    count = Report.objects.all().delete()[1].get(Report._meta.label, 0)
    RecoveryKey.objects.all().delete()
    TokenKey.objects.all().delete()
    HandlerKey.objects.all().delete()
    folder = Path(settings.PAMONG_CASE_FILES)

    def remove_files() -> None:
        for name in names:
            (folder / name).unlink(missing_ok=True)

    # The sealed files go once the rows have gone for good.
    transaction.on_commit(remove_files)
    return count
