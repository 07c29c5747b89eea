"""Golongan and pangkat of PNS (PP 99/2000 as amended) and golongan of PPPK (Perpres 98/2020)."""

from __future__ import annotations

PNS_RANKS: dict[str, str] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
PPPK_RANKS: tuple[str, ...] = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
)


def rank_label(kind: str, rank: str) -> str:
    if kind == "pns" and rank in PNS_RANKS:
        return f"{PNS_RANKS[rank]} ({rank})"
    return rank


def pns_rank_order(rank: str) -> int:
    """Position of a PNS golongan in the ladder (I/a = 0), for comparisons such as eligibility."""
    return list(PNS_RANKS).index(rank)
