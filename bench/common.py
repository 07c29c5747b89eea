"""What the benchmarks share: their knobs, the machine and commit they ran on, cached databases."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
META_TABLE = "pamong_bench_meta"


def int_env(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine() -> dict[str, Any]:
    cpu_model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def read_meta(path: Path) -> dict[str, str] | None:
    if not path.exists():
        return None
    try:
        con = sqlite3.connect(path)
    except sqlite3.Error:
        return None
    try:
        return dict(con.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())  # noqa: S608
    except sqlite3.Error:
        return None
    finally:
        con.close()


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
