"""Options several management commands share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Tanggal harus berformat TTTT-BB-HH, bukan {text!r}.") from None


def add_today(parser: CommandParser) -> None:
    parser.add_argument("--today", type=parse_date, help="Tanggal kerja (TTTT-BB-HH); bawaan: hari ini.")


def today_from(options: dict[str, Any]) -> dt.date | None:
    """The --today date; call_command(today="2024-10-17") passes the text through unparsed."""
    today = options.get("today")
    return parse_date(today) if isinstance(today, str) else today
