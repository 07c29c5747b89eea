"""Identity numbers of the people Pamong knows: NIP (PNS), NI PPPK, and the Pemda's PTT number.

Layouts (shared/reference/regulations.md §5):

* NIP PNS, 18 digits: ``YYYYMMDD`` birth date · ``YYYYMM`` TMT CPNS · sex (1 male, 2 female) · serial (3).
* NI PPPK, 18 digits: ``YYYYMMDD`` birth date · ``YYYY`` year first appointed · ``2`` (PPPK code) ·
  agreement number 1–9 · sex · serial (3). Digits 13–14 are then 21–29, which can never be a
  month, so the two kinds never collide.
* PTT (contract staff, non-ASN): ``PTT-YYYY-NNNNN`` — year of the first contract and a serial,
  issued by the Pemda. People write it with or without the dashes.

``parse_identity_number`` is the one place that reads these numbers; every form and the API go
through it, so a wrong number gets the same Indonesian message everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils import timezone

# An ASN is appointed between 18 and 60 years of age (CPNS up to 35, PPPK up to a year before
# the retirement age); anything outside that means the digits are mistyped.
MIN_AGE_AT_START = 18
MAX_AGE_AT_START = 60
EARLIEST_BIRTH_YEAR = 1940

_SEPARATORS = re.compile(r"[\s.\-_/]+")
_PTT = re.compile(r"^PTT(\d{4})(\d{5})$")


class IdentityKind(StrEnum):
    PNS = "pns"
    PPPK = "pppk"
    PTT = "ptt"


class Sex(StrEnum):
    MALE = "L"
    FEMALE = "P"


@dataclass(frozen=True)
class IdentityNumber:
    kind: IdentityKind
    number: str  # canonical form: 18 digits, or PTT-YYYY-NNNNN
    birth_date: dt.date | None
    start_date: dt.date  # TMT CPNS (day 1), or 1 January of the PPPK/PTT start year
    sex: Sex | None
    serial: int
    agreement: int | None = None  # PPPK only: which work agreement (1–9)

    @property
    def masked(self) -> str:
        return mask_identity_number(self.number)


def _invalid(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def normalise_identity_number(text: str) -> str:
    """Strip the spaces, dots and dashes people type; upper-case the PTT prefix."""
    return _SEPARATORS.sub("", (text or "").strip()).upper()


def parse_identity_number(text: str, *, today: dt.date | None = None) -> IdentityNumber:
    """Validate and read an NIP, NI PPPK or PTT number.

    Raises ``ValidationError`` whose message says, in Indonesian, which part is wrong.
    """
    today = today or timezone.localdate()
    raw = normalise_identity_number(text)
    if not raw:
        raise _invalid("Nomor identitas wajib diisi (NIP, NI PPPK, atau nomor PTT).", "empty")
    if raw.startswith("PTT"):
        return _parse_ptt(raw, today)
    if not raw.isdigit():
        raise _invalid(
            "NIP dan NI PPPK hanya berisi angka; nomor PTT ditulis seperti PTT-2019-00421.",
            "not_digits",
        )
    if len(raw) != 18:
        raise _invalid(f"NIP dan NI PPPK harus 18 digit; yang dimasukkan {len(raw)} digit.", "length")

    birth = _date(int(raw[0:4]), int(raw[4:6]), int(raw[6:8]))
    if birth is None:
        raise _invalid(
            f"Digit 1–8 harus tanggal lahir TTTTBBHH yang sah; {raw[0:8]} bukan tanggal.",
            "birth_date",
        )
    if birth.year < EARLIEST_BIRTH_YEAR or birth > today:
        raise _invalid(f"Digit 1–8 (tanggal lahir {raw[0:8]}) tidak masuk akal.", "birth_date_range")

    start_year = int(raw[8:12])
    code = int(raw[12:14])
    if 1 <= code <= 12:
        kind, start, agreement = IdentityKind.PNS, _date(start_year, code, 1), None
    elif 21 <= code <= 29:
        kind, start, agreement = IdentityKind.PPPK, _date(start_year, 1, 1), code - 20
    else:
        raise _invalid(
            "Digit 13–14 harus bulan TMT CPNS (01–12) untuk NIP PNS, atau kode PPPK 2 diikuti "
            f"nomor perjanjian kerja 1–9 untuk NI PPPK; yang tertulis {raw[12:14]}.",
            "month_or_code",
        )
    if start is None:  # year 0000
        raise _invalid(f"Digit 9–12 (tahun pengangkatan {raw[8:12]}) tidak sah.", "start_year")
    age_at_start = start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day))
    if not MIN_AGE_AT_START <= age_at_start <= MAX_AGE_AT_START:
        label = "TMT CPNS" if kind is IdentityKind.PNS else "tahun pengangkatan PPPK"
        raise _invalid(
            f"Digit 9–12 ({label} {raw[8:12]}) tidak cocok dengan tanggal lahir: pegawai baru "
            f"berusia {age_at_start} tahun, padahal pengangkatan pada usia "
            f"{MIN_AGE_AT_START}–{MAX_AGE_AT_START} tahun.",
            "start_age",
        )
    if start.year > today.year + 1:
        raise _invalid(f"Digit 9–12 (tahun pengangkatan {raw[8:12]}) ada di masa depan.", "start_future")

    sex_digit = raw[14]
    if sex_digit not in {"1", "2"}:
        raise _invalid(
            f"Digit 15 harus jenis kelamin: 1 (laki-laki) atau 2 (perempuan); yang tertulis {sex_digit}.",
            "sex",
        )
    serial = int(raw[15:18])
    if serial == 0:
        raise _invalid("Digit 16–18 (nomor urut) tidak boleh 000.", "serial")
    return IdentityNumber(
        kind=kind,
        number=raw,
        birth_date=birth,
        start_date=start,
        sex=Sex.MALE if sex_digit == "1" else Sex.FEMALE,
        serial=serial,
        agreement=agreement,
    )


def _parse_ptt(raw: str, today: dt.date) -> IdentityNumber:
    match = _PTT.match(raw)
    if not match:
        raise _invalid(
            "Nomor PTT ditulis PTT-TTTT-NNNNN: tahun kontrak pertama (4 digit) dan nomor urut (5 digit), "
            "contoh PTT-2019-00421.",
            "ptt_format",
        )
    year, serial = int(match.group(1)), int(match.group(2))
    if not 1990 <= year <= today.year + 1:
        raise _invalid(f"Tahun kontrak pertama pada nomor PTT ({year}) tidak masuk akal.", "ptt_year")
    if serial == 0:
        raise _invalid("Nomor urut pada nomor PTT tidak boleh 00000.", "ptt_serial")
    return IdentityNumber(
        kind=IdentityKind.PTT,
        number=f"PTT-{year:04d}-{serial:05d}",
        birth_date=None,
        start_date=dt.date(year, 1, 1),
        sex=None,
        serial=serial,
    )


def format_identity_number(number: str) -> str:
    """Group an NIP/NI PPPK the way it is printed: ``19860926 201505 1 001``."""
    if len(number) == 18 and number.isdigit():
        return f"{number[0:8]} {number[8:14]} {number[14]} {number[15:18]}"
    return number


def mask_identity_number(number: str) -> str:
    """For public pages and rosters: keep enough to recognise oneself, hide the birth date."""
    if len(number) == 18 and number.isdigit():
        return f"{number[0:2]}****** {number[8:12]}** {number[14]} ***"
    if number.startswith("PTT-"):
        return f"{number[:9]}***{number[-2:]}"
    return "*" * len(number)


def compose_nip(birth: dt.date, tmt: dt.date, sex: Sex, serial: int) -> str:
    """Build an NIP PNS from its parts (used by the demo city and the tests)."""
    return f"{birth:%Y%m%d}{tmt:%Y%m}{1 if sex is Sex.MALE else 2}{serial:03d}"


def compose_ni_pppk(birth: dt.date, year: int, agreement: int, sex: Sex, serial: int) -> str:
    return f"{birth:%Y%m%d}{year:04d}2{agreement}{1 if sex is Sex.MALE else 2}{serial:03d}"


def compose_ptt(year: int, serial: int) -> str:
    return f"PTT-{year:04d}-{serial:05d}"
