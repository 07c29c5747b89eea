"""Rupiah, written the Indonesian way: Rp 1.234.567 (no decimals; sen are not used in practice)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def format_rupiah(amount: Decimal | int | float | str | None) -> str:
    if amount is None or amount == "":
        return "–"
    value = Decimal(str(amount)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    grouped = f"{abs(int(value)):,}".replace(",", ".")
    return f"{sign}Rp {grouped}"
