"""The facts each kind of report asks for: one definition for the intake form, the API and the case page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pamong.cases.models import Kind
from pamong.core.money import format_rupiah

MAX_TEXT = 5000
MAX_LINE = 300
# Anything that looks like markup: a tag, a comment, or a script URL.
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|javascript:", re.IGNORECASE)

PRESSURE_FORMS = [
    ("ajakan_dukung", gettext_lazy("Diajak atau diperintah mendukung calon tertentu")),
    ("ancaman_jabatan", gettext_lazy("Diancam mutasi atau dicopot dari jabatan")),
    ("ancaman_kontrak", gettext_lazy("Diancam kontrak tidak diperpanjang (PTT/PPPK)")),
    ("kumpul_dukungan", gettext_lazy("Diminta mengumpulkan KTP atau dukungan")),
    ("wajib_hadir", gettext_lazy("Diwajibkan hadir di kampanye atau pertemuan calon")),
    ("lainnya", gettext_lazy("Lainnya")),
]

# The 2022 joint decree (Lampiran II) and PP 94/2021 Pasal 5 huruf n, in everyday words.
NEUTRALITY_ACTS = [
    ("alat_peraga", gettext_lazy("Memasang spanduk, baliho, atau alat peraga calon")),
    ("kampanye_medsos", gettext_lazy("Sosialisasi atau kampanye calon di media sosial")),
    (
        "interaksi_medsos",
        gettext_lazy("Mengunggah, mengomentari, membagikan, menyukai, atau ikut grup/akun pemenangan"),
    ),
    ("foto_calon", gettext_lazy("Mengunggah foto bersama calon, tim sukses, atau alat peraga partai")),
    ("ikut_kampanye", gettext_lazy("Ikut kampanye, sosialisasi, atau pengenalan calon")),
    ("kampanye_pasangan", gettext_lazy("Ikut deklarasi atau kampanye bagi suami/istri calon")),
    ("pendekatan_parpol", gettext_lazy("Mendekati partai politik atau masyarakat sebagai bakal calon")),
    ("atribut", gettext_lazy("Menjadi peserta kampanye dengan atribut partai atau atribut PNS")),
    ("kerahkan_pns", gettext_lazy("Mengerahkan PNS lain untuk kampanye")),
    ("fasilitas_negara", gettext_lazy("Memakai fasilitas negara untuk kampanye")),
    ("keputusan_berpihak", gettext_lazy("Membuat keputusan atau tindakan yang menguntungkan/merugikan pasangan calon")),
    ("kegiatan_berpihak", gettext_lazy("Mengadakan pertemuan, ajakan, himbauan, atau pemberian barang yang berpihak")),
    ("surat_dukungan", gettext_lazy("Memberikan surat dukungan disertai fotokopi KTP")),
    ("lainnya", gettext_lazy("Lainnya")),
]

SELECTIONS = [
    ("cpns", gettext_lazy("Seleksi CPNS")),
    ("pppk", gettext_lazy("Seleksi PPPK")),
    ("lainnya", gettext_lazy("Penerimaan lain (PTT, mutasi, promosi)")),
]

CONTACT_METHODS = [
    ("langsung", gettext_lazy("Bertemu langsung")),
    ("telepon", gettext_lazy("Telepon")),
    ("pesan", gettext_lazy("WhatsApp atau SMS")),
    ("medsos", gettext_lazy("Media sosial")),
    ("perantara", gettext_lazy("Lewat perantara")),
    ("lainnya", gettext_lazy("Lainnya")),
]


@dataclass(frozen=True)
class Fact:
    name: str
    label: Any
    kinds: frozenset[str]
    required: frozenset[str] = frozenset()
    choices: list[tuple[str, Any]] = field(default_factory=list)
    kind: str = "line"  # line | text | date | amount | choice
    help: Any = ""


ALL = frozenset(Kind.values)

FACTS = [
    Fact(
        "what",
        gettext_lazy("Apa yang terjadi"),
        ALL,
        ALL,
        kind="text",
        help=gettext_lazy("Ceritakan dengan kata-kata sendiri: siapa berbuat apa, kepada siapa, dan bagaimana."),
    ),
    Fact(
        "who",
        gettext_lazy("Siapa pelakunya"),
        ALL,
        frozenset({Kind.TEKANAN, Kind.NETRALITAS, Kind.CALO}),
        help=gettext_lazy("Nama dan jabatan, sejauh Anda tahu."),
    ),
    Fact("when", gettext_lazy("Kapan"), ALL, kind="date"),
    Fact("where", gettext_lazy("Di mana"), ALL),
    Fact(
        "pressure_form",
        gettext_lazy("Bentuk tekanan"),
        frozenset({Kind.TEKANAN}),
        frozenset({Kind.TEKANAN}),
        PRESSURE_FORMS,
        kind="choice",
    ),
    Fact(
        "act",
        gettext_lazy("Perbuatan yang dilaporkan"),
        frozenset({Kind.NETRALITAS}),
        frozenset({Kind.NETRALITAS}),
        NEUTRALITY_ACTS,
        kind="choice",
    ),
    Fact(
        "candidate",
        gettext_lazy("Calon atau partai yang terkait"),
        frozenset({Kind.TEKANAN, Kind.NETRALITAS}),
        frozenset({Kind.NETRALITAS}),
    ),
    Fact(
        "selection",
        gettext_lazy("Seleksi yang dijanjikan"),
        frozenset({Kind.CALO}),
        frozenset({Kind.CALO}),
        SELECTIONS,
        kind="choice",
    ),
    Fact("promise", gettext_lazy("Apa yang dijanjikan"), frozenset({Kind.CALO}), frozenset({Kind.CALO})),
    Fact(
        "amount",
        gettext_lazy("Uang yang diminta (Rp)"),
        frozenset({Kind.CALO}),
        kind="amount",
        help=gettext_lazy("Angka saja, misalnya 50000000. Kosongkan bila tidak ada."),
    ),
    Fact(
        "contact_method",
        gettext_lazy("Cara pelaku menghubungi"),
        frozenset({Kind.CALO}),
        frozenset({Kind.CALO}),
        CONTACT_METHODS,
        kind="choice",
    ),
]


def facts_for(kind: str) -> list[Fact]:
    return [fact for fact in FACTS if kind in fact.kinds]


def check_text(value: str, label: Any, *, limit: int = MAX_TEXT) -> str:
    """Plain words only; raises ValidationError saying what to fix."""
    value = (value or "").replace("\r\n", "\n").strip()
    if _MARKUP.search(value):
        raise ValidationError(
            _("%(field)s tidak boleh berisi kode HTML atau skrip; tulis dengan kata-kata biasa.") % {"field": label}
        )
    if len(value) > limit:
        raise ValidationError(
            _("%(field)s terlalu panjang: paling banyak %(limit)d karakter.") % {"field": label, "limit": limit}
        )
    return value


def clean_facts(kind: str, raw: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    """The facts of one report, checked; raises ValidationError with one message per field."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Pilih jenis laporan.")})
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for fact in facts_for(kind):
        value = raw.get(fact.name)
        value = "" if value is None else value
        try:
            if fact.kind == "date":
                if isinstance(value, dt.date):
                    day = value
                elif value:
                    try:
                        day = dt.date.fromisoformat(str(value))
                    except ValueError:
                        raise ValidationError(_("Tulis tanggal sebagai TTTT-BB-HH, misalnya 2024-10-17.")) from None
                else:
                    day = None
                if day and day > today:
                    raise ValidationError(_("Tanggal kejadian tidak boleh sesudah hari ini."))
                value = day.isoformat() if day else ""
            elif fact.kind == "amount":
                text = str(value).replace(".", "").replace(",", "").replace("Rp", "").strip()
                if text and (not text.isdigit() or len(text) > 13):
                    raise ValidationError(_("Tulis jumlah uang dengan angka saja, misalnya 50000000."))
                value = int(text) if text else None
            elif fact.kind == "choice":
                value = str(value)
                if value and value not in {code for code, _label in fact.choices}:
                    raise ValidationError(_("Pilih salah satu pilihan yang tersedia."))
            else:
                value = check_text(str(value), fact.label, limit=MAX_TEXT if fact.kind == "text" else MAX_LINE)
            if kind in fact.required and value in ("", None):
                raise ValidationError(_("%(field)s wajib diisi.") % {"field": fact.label})
        except ValidationError as exc:
            errors[fact.name] = exc.messages[0]
            continue
        if value not in ("", None):
            clean[fact.name] = value
    if errors:
        raise ValidationError(errors)
    return clean


def describe(kind: str, facts: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(label, value in words) rows for reading the report: choices in words, dates as dates (for the
    ``tanggal`` filter), amounts in Rupiah."""
    rows: list[tuple[Any, Any]] = []
    for fact in facts_for(kind):
        if fact.name not in facts:
            continue
        value = facts[fact.name]
        if fact.kind == "choice":
            value = dict(fact.choices).get(value, value)
        elif fact.kind == "date":
            value = dt.date.fromisoformat(value)
        elif fact.kind == "amount":
            value = format_rupiah(value)
        rows.append((fact.label, value))
    return rows
