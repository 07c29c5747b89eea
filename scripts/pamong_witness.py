#!/usr/bin/env python3
"""A witness for Pamong's transparency ledger, run by a body outside the Pemda (Inspektorat, KPU, Bawaslu).

    python scripts/pamong_witness.py keygen bawaslu.kupang --out bawaslu.pem
    python scripts/pamong_witness.py cosign --key bawaslu.pem --name bawaslu.kupang \\
        --server https://pamong.kupang.go.id --log-key 'pamong.kupang.go.id/ledger+…'

A witness cosigns a checkpoint only after checking that it is signed by the Pemda's key and that it
extends, without rewriting, the last checkpoint this witness cosigned (an RFC 9162 consistency
proof). So every checkpoint the witness cosigns belongs to one and the same history: the Pemda can
neither rewrite the past nor show different histories to different people without a witness
refusing. Needs Python 3.11+ and ``cryptography``; see scripts/README.md.

Exit status: 0 cosigned, 1 error (network, bad signature, rejected), 3 ALARM: split view or
rewritten history (nothing was signed; keep the output and the state file as evidence).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from pamong.core import merkle, notes
from pamong.core.receipts import parse_verifier_key

OK, FAILED, ALARM = 0, 1, 3
KEY_NAME = re.compile(r"[^\s+]{1,100}")
USER_AGENT = "pamong-witness/1"


class Transport(Protocol):
    def get(self, url: str) -> tuple[int, bytes]: ...

    def post_json(self, url: str, body: dict[str, Any]) -> tuple[int, bytes]: ...


class UrllibTransport:
    """HTTP with the standard library only."""

    def __init__(self, timeout: float = 30) -> None:
        self.timeout = timeout

    def _send(self, request: urllib.request.Request) -> tuple[int, bytes]:
        try:
            # The scheme was checked to be http(s) when the server address was read.
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def get(self, url: str) -> tuple[int, bytes]:
        return self._send(urllib.request.Request(url, headers={"User-Agent": USER_AGENT}))  # noqa: S310

    def post_json(self, url: str, body: dict[str, Any]) -> tuple[int, bytes]:
        request = urllib.request.Request(  # noqa: S310
            url,
            data=json.dumps(body).encode(),
            headers={"User-Agent": USER_AGENT, "Content-Type": "application/json"},
            method="POST",
        )
        return self._send(request)


class WitnessError(Exception):
    """Something that stops this round; the witness signs nothing."""


class Alarm(Exception):
    """The log showed a history that does not extend the one this witness already cosigned."""


# --- keys ---------------------------------------------------------------------------------------


def keygen(name: str, out: Path, say: Callable[[str], None] = print) -> int:
    if not KEY_NAME.fullmatch(name):
        say("Nama kunci tidak boleh kosong dan tidak boleh memuat spasi atau '+', misalnya bawaslu.kupang")
        return FAILED
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    try:
        # Never overwrite a key, and never let it be readable by others, not even for a moment.
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        say(f"{out} sudah ada; kunci lama tidak ditimpa.")
        return FAILED
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    vkey = notes.verifier_key(name, notes.public_bytes(key.public_key()), notes.COSIGNATURE_V1)
    say(f"Kunci rahasia disimpan di {out} (hanya bisa dibaca pemiliknya; buat salinan cadangan yang aman).")
    say("Serahkan kunci verifikasi ini kepada Pemda untuk didaftarkan sebagai saksi:")
    say(vkey)
    say(f'Di server Pemda: python manage.py ledger_witness add "Nama Lembaga" {vkey}')
    return OK


def load_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise WitnessError(f"Kunci saksi {path} tidak dapat dibaca: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise WitnessError(f"{path} bukan kunci Ed25519.")
    return key


# --- state: the checkpoint this witness last cosigned ----------------------------------------


def load_state(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text())
        size = state["size"]
        root = base64.b64decode(state["root_hash"], validate=True)
        origin = state["origin"]
    except (OSError, ValueError, KeyError, TypeError, binascii.Error):
        raise WitnessError(f"Berkas status {path} rusak; periksa atau pulihkan dari cadangan.") from None
    if not isinstance(size, int) or size < 1 or len(root) != 32 or not isinstance(origin, str):
        raise WitnessError(f"Berkas status {path} rusak; periksa atau pulihkan dari cadangan.")
    return {"origin": origin, "size": size, "root": root}


def save_state(path: Path, checkpoint: notes.Checkpoint) -> None:
    state = {
        "origin": checkpoint.origin,
        "size": checkpoint.size,
        "root_hash": base64.b64encode(checkpoint.root).decode(),
        "cosigned_at": int(time.time()),
    }
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(state, indent=2) + "\n")
    os.replace(temporary, path)  # atomic: a crash leaves the old state or the new, never half of one


# --- one round ---------------------------------------------------------------------------------


def _detail(body: bytes) -> str:
    try:
        return str(json.loads(body)["detail"])
    except (ValueError, KeyError, TypeError):
        return body[:200].decode("utf-8", "replace")


def fetch_checkpoint(server: str, log_key: str, transport: Transport) -> notes.Checkpoint:
    try:
        log_name, kind, public_key = parse_verifier_key(log_key)
    except notes.NoteError:
        raise WitnessError("Kunci Pemda (--log-key) tidak sah; bentuknya NAMA+IDKUNCI+BASE64.") from None
    if kind != notes.ED25519:
        raise WitnessError("Kunci Pemda (--log-key) harus kunci tanda tangan Ed25519.")
    status, body = transport.get(f"{server}/api/v1/ledger/checkpoint")
    if status != 200:
        raise WitnessError(f"Server menjawab {status} untuk checkpoint: {_detail(body)}")
    try:
        text, lines = notes.split_note(body.decode("utf-8"))
        checkpoint = notes.parse_checkpoint(text)
    except ValueError as exc:  # NoteError, UnicodeDecodeError, a size in non-ASCII digits
        raise WitnessError(f"Checkpoint dari server tidak sah: {exc}") from None
    if checkpoint.origin != log_name:
        raise WitnessError(f"Checkpoint berasal dari {checkpoint.origin}, bukan {log_name}.")
    for line in lines:
        try:
            notes.verify_signature_line(text, line, log_name, public_key)
        except notes.NoteError:
            continue
        return checkpoint
    raise WitnessError("Checkpoint tidak ditandatangani dengan kunci Pemda yang Anda pegang. Tidak ditandatangani.")


def check_consistency(server: str, old: dict[str, Any], new: notes.Checkpoint, transport: Transport) -> str:
    """Raise Alarm unless ``new`` extends the checkpoint this witness cosigned last; say what was checked."""
    if old["origin"] != new.origin:
        raise WitnessError(f"Berkas status ini untuk {old['origin']}, bukan {new.origin}.")
    if new.size < old["size"]:
        raise Alarm(
            f"Server kini menunjukkan pohon berukuran {new.size}, padahal Anda sudah menandatangani ukuran "
            f"{old['size']}. Buku besar tidak boleh menyusut: riwayat telah ditulis ulang atau dipotong."
        )
    if new.size == old["size"]:
        if new.root != old["root"]:
            raise Alarm(
                f"Dua checkpoint berukuran {new.size} dengan akar berbeda: server menunjukkan riwayat yang "
                "berbeda (split view)."
            )
        return f"Ukuran sama dengan yang terakhir Anda tandatangani ({new.size}); akarnya sama."
    status, body = transport.get(
        f"{server}/api/v1/ledger/consistency?{urllib.parse.urlencode({'first': old['size'], 'second': new.size})}"
    )
    if status != 200:
        raise WitnessError(f"Server menjawab {status} untuk bukti konsistensi: {_detail(body)}")
    try:
        answer = json.loads(body)
        proof = [base64.b64decode(item, validate=True) for item in answer["proof"]]
        if answer["first"] != old["size"] or answer["second"] != new.size:
            raise ValueError("sizes differ")
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise WitnessError("Bukti konsistensi dari server tidak terbaca.") from None
    try:
        merkle.verify_consistency(old["size"], new.size, old["root"], new.root, proof)
    except merkle.ProofError as exc:
        raise Alarm(
            f"Checkpoint berukuran {new.size} TIDAK melanjutkan checkpoint berukuran {old['size']} yang sudah "
            f"Anda tandatangani ({exc}). Riwayat telah ditulis ulang, atau server menunjukkan riwayat yang "
            "berbeda kepada pihak lain (split view)."
        ) from None
    return f"Bukti konsistensi dari ukuran {old['size']} ke {new.size} sah: riwayat hanya ditambah."


def cosign(
    *,
    server: str,
    key: Ed25519PrivateKey,
    name: str,
    log_key: str,
    state_path: Path,
    transport: Transport,
    say: Callable[[str], None] = print,
    now: Callable[[], float] = time.time,
) -> int:
    server = server.rstrip("/")
    try:
        checkpoint = fetch_checkpoint(server, log_key, transport)
        say(f"Checkpoint {checkpoint.origin} berukuran {checkpoint.size}: tanda tangan Pemda sah.")
        state = load_state(state_path)
        if state is None:
            say("Belum ada berkas status: checkpoint ini menjadi titik awal yang Anda percayai.")
        else:
            say(check_consistency(server, state, checkpoint, transport))
        line = notes.cosignature_line(name, key, checkpoint.text, int(now()))
        status, body = transport.post_json(
            f"{server}/api/v1/ledger/checkpoints/{checkpoint.size}/cosignatures", {"signature_line": line}
        )
        if status != 200:
            raise WitnessError(f"Server menolak tanda tangan ({status}): {_detail(body)}")
        save_state(state_path, checkpoint)
    except Alarm as alarm:
        banner = "!" * 78
        say(banner)
        say("PERINGATAN: TIDAK DITANDATANGANI. BUKU BESAR TIDAK KONSISTEN.")
        say(str(alarm))
        say(f"Simpan keluaran ini dan berkas status {state_path} sebagai bukti, lalu laporkan.")
        say(banner)
        return ALARM
    except WitnessError as exc:
        say(f"Gagal: {exc}")
        return FAILED
    except (OSError, urllib.error.URLError) as exc:
        say(f"Gagal menghubungi server: {exc}")
        return FAILED
    say(f"Ditandatangani: checkpoint berukuran {checkpoint.size} kini disaksikan oleh {name}.")
    return OK


def _server(value: str) -> str:
    parsed = urllib.parse.urlsplit(value)
    if parsed.scheme not in {"https", "http"} or not parsed.netloc:
        raise argparse.ArgumentTypeError("alamat server harus diawali https:// (atau http:// untuk uji)")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Saksi buku besar transparansi Pamong.")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("keygen", help="buat kunci saksi baru dan cetak kunci verifikasinya")
    gen.add_argument("name", help="nama kunci, tanpa spasi, misalnya bawaslu.kupang")
    gen.add_argument("--out", type=Path, required=True, help="berkas PEM kunci rahasia (tidak akan ditimpa)")
    run = sub.add_parser("cosign", help="periksa checkpoint terbaru lalu tandatangani")
    run.add_argument("--key", type=Path, required=True, help="berkas PEM kunci rahasia saksi")
    run.add_argument("--name", required=True, help="nama kunci yang didaftarkan di Pemda")
    run.add_argument(
        "--server", type=_server, required=True, help="alamat Pamong, misalnya https://pamong.kupang.go.id"
    )
    run.add_argument("--log-key", required=True, help="kunci verifikasi Pemda yang Anda terima langsung dari Pemda")
    run.add_argument("--state", type=Path, help="berkas status (bawaan: KUNCI.state.json di samping kunci)")
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    if args.command == "keygen":
        return keygen(args.name, args.out)
    try:
        key = load_key(args.key)
    except WitnessError as exc:
        print(f"Gagal: {exc}")
        return FAILED
    return cosign(
        server=args.server,
        key=key,
        name=args.name,
        log_key=args.log_key,
        state_path=args.state or args.key.with_suffix(".state.json"),
        transport=UrllibTransport(),
    )


if __name__ == "__main__":
    sys.exit(main())
