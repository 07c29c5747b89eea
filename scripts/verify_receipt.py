#!/usr/bin/env python3
"""Check a Pamong receipt file offline: is the entry in a checkpoint the Pemda signed?

    python scripts/verify_receipt.py tanda-terima-XXXX-XXXX-XXXX-XXXX.json --log-key VKEY

Needs only Python 3.11+ and the ``cryptography`` package; it never contacts the server. Give the
Pemda's verifier key (published on /transparansi/ and at /api/v1/ledger/key) with --log-key;
without it the key written in the file itself is used, which proves only that the file is
internally consistent. Exit status: 0 valid, 1 not valid (or unreadable). See scripts/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# The checker is the very code the server uses; it imports neither Django nor the project's settings.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pamong.core.receipts import check_receipt

MAX_BYTES = 256 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Periksa berkas tanda terima Pamong tanpa menghubungi server.",
        epilog="Status keluar: 0 sah, 1 tidak sah atau tidak terbaca.",
    )
    parser.add_argument("receipt", type=Path, help="berkas tanda terima (JSON) yang diunduh dari /verifikasi/")
    parser.add_argument(
        "--log-key",
        metavar="VKEY",
        help="kunci verifikasi Pemda (NAMA+IDKUNCI+BASE64) dari halaman Transparansi; sangat disarankan",
    )
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")

    try:
        raw = args.receipt.read_bytes()
    except OSError as exc:
        print(f"Berkas tidak dapat dibaca: {exc}")
        return 1
    if len(raw) > MAX_BYTES:
        print("Berkas terlalu besar untuk sebuah tanda terima (paling besar 256 KB).")
        return 1
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        print("Berkas bukan JSON yang sah.")
        return 1

    check = check_receipt(document, trusted_log_key=args.log_key)
    for step in check.steps:
        mark = "✓ LULUS" if step.passed else "✗ GAGAL"
        print(f"{mark}  {step.label}: {step.detail}")
    print()
    if not check.ok:
        print("TIDAK SAH: tanda terima ini tidak terbukti tercatat di buku besar.")
        return 1
    print(f"SAH: entri #{check.index} tercatat di checkpoint berukuran {check.tree_size} yang ditandatangani Pemda.")
    if check.cosigned_by:
        print("Disaksikan oleh: " + ", ".join(check.cosigned_by))
    if not check.key_trusted:
        print(
            "PERHATIAN: kunci Pemda diambil dari berkas ini sendiri. Jalankan lagi dengan --log-key dan kunci "
            "yang diumumkan Pemda agar tanda tangannya benar-benar terbukti."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
