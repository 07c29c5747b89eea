"""Checks a receipt file offline: is this entry in a checkpoint the Pemda signed (and witnesses cosigned)?

A receipt is the JSON that ``ledger.receipt_document`` produces::

    {"format": "pamong-receipt/v1", "receipt_code": "XXXX-XXXX-XXXX-XXXX",
     "entry": {"index": i, "leaf_input": base64, "payload": {...} | null},
     "inclusion_proof": {"leaf_index": i, "tree_size": n, "audit_path": [base64, ...]},
     "checkpoint": "<signed note>", "log_key": "<vkey>", "witness_keys": ["<vkey>", ...]}

No Django import (only the standard library and the pure ``merkle`` and ``notes`` modules), so that
``scripts/verify_receipt.py`` runs it on any computer, and the server's verifier page runs the very
same code. Whatever the file holds, ``check_receipt`` answers with steps and never raises.

Messages are Indonesian; they are marked with ``_`` so that the server's catalog carries them, and
the server passes Django's ``gettext`` to show them in the visitor's language.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import rfc8785

from pamong.core import merkle, notes

FORMAT = "pamong-receipt/v1"

Translate = Callable[[str], str]


def _identity(message: str) -> str:
    return message


class Step(NamedTuple):
    label: str
    passed: bool
    detail: str


@dataclass
class ReceiptCheck:
    ok: bool = False
    steps: list[Step] = field(default_factory=list)
    # What the receipt says, once decoded (None where it could not be read).
    receipt_code: str | None = None
    index: int | None = None
    tree_size: int | None = None
    entry: dict[str, Any] | None = None  # the leaf input: v, kind, subject, content_sha256, actor_role, time
    payload: dict[str, Any] | None = None
    origin: str | None = None
    root_hash: str | None = None  # base64
    log_key: str | None = None
    # True when the Pemda's key was given by the caller, not merely taken from the file itself.
    key_trusted: bool = False
    cosigned_by: list[str] = field(default_factory=list)  # key names of witnesses whose cosignature verified

    def add(self, label: str, passed: bool, detail: str) -> None:
        self.steps.append(Step(label, passed, detail))


class _Stop(Exception):
    """A step failed that every later step depends on."""


def check_receipt(doc: Any, *, trusted_log_key: str | None = None, gettext: Translate | None = None) -> ReceiptCheck:
    """Check a receipt document; ``ok`` only when every step passed."""
    _ = gettext or _identity
    check = ReceiptCheck()
    try:
        _check(doc, trusted_log_key, check, _)
    except _Stop:
        pass
    except Exception:  # a last guard: a hostile file gets an answer, not a traceback
        check.add(_("Tanda terima"), False, _("Tanda terima tidak dapat dibaca."))
    check.ok = bool(check.steps) and all(step.passed for step in check.steps)
    return check


def _b64(value: Any) -> bytes:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return base64.b64decode(value, validate=True)


def _int(value: Any) -> int:
    # bool is an int in Python but never a valid size or index in a receipt.
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("not a non-negative integer")
    return value


def _check(doc: Any, trusted_log_key: str | None, check: ReceiptCheck, _: Translate) -> None:
    # 1. The document itself.
    label = _("Format tanda terima")
    if not isinstance(doc, dict):
        check.add(label, False, _("Berkas bukan objek JSON tanda terima."))
        raise _Stop
    if doc.get("format") != FORMAT:
        check.add(label, False, _("Format harus %(format)s.") % {"format": FORMAT})
        raise _Stop
    entry = doc.get("entry")
    proof = doc.get("inclusion_proof")
    if not isinstance(entry, dict) or not isinstance(proof, dict):
        check.add(label, False, _("Bagian 'entry' atau 'inclusion_proof' tidak ada."))
        raise _Stop
    check.add(label, True, FORMAT)

    # 2. The leaf: its hash, and what it says.
    label = _("Hash daun")
    try:
        leaf_input = _b64(entry.get("leaf_input"))
    except (ValueError, binascii.Error):
        check.add(label, False, _("Isi daun (entry.leaf_input) bukan base64 yang sah."))
        raise _Stop from None
    leaf = merkle.leaf_hash(leaf_input)
    check.add(label, True, _("SHA-256(0x00 ‖ isi daun) = %(hash)s") % {"hash": leaf.hex()})

    label = _("Isi entri")
    try:
        decoded = json.loads(leaf_input.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        decoded = None
    if not isinstance(decoded, dict) or not isinstance(decoded.get("content_sha256"), str):
        check.add(label, False, _("Isi daun bukan JSON entri buku besar."))
        raise _Stop
    check.entry = decoded
    check.add(
        label,
        True,
        _("Jenis %(kind)s, rekaman %(subject)s, peran %(role)s, waktu %(time)s.")
        % {
            "kind": decoded.get("kind", "?"),
            "subject": decoded.get("subject", "?"),
            "role": decoded.get("actor_role", "?"),
            "time": decoded.get("time", "?"),
        },
    )

    payload = entry.get("payload")
    if payload is not None:
        label = _("Isi publik")
        digest = _content_hash(payload)
        if digest is None or digest != decoded["content_sha256"]:
            check.add(label, False, _("Isi publik di tanda terima tidak cocok dengan hash isi di daun."))
        else:
            check.payload = payload
            check.add(label, True, _("Isi publik cocok dengan hash isi di daun (SHA-256 JSON kanonis)."))

    # 3. The inclusion proof leads from the leaf to a root.
    label = _("Bukti inklusi")
    try:
        index = _int(entry.get("index"))
        leaf_index = _int(proof.get("leaf_index"))
        tree_size = _int(proof.get("tree_size"))
        raw_path = proof.get("audit_path")
        if not isinstance(raw_path, list):
            raise ValueError("audit_path is not a list")
        path = [_b64(item) for item in raw_path]
    except (ValueError, binascii.Error):
        check.add(label, False, _("Nomor entri, ukuran pohon, atau jalur audit tidak terbaca."))
        raise _Stop from None
    if index != leaf_index:
        check.add(
            label,
            False,
            _("Nomor entri (%(index)d) berbeda dengan nomor daun di bukti (%(leaf)d).")
            % {"index": index, "leaf": leaf_index},
        )
        raise _Stop
    check.index, check.tree_size = index, tree_size
    _check_receipt_code(doc.get("receipt_code"), leaf, index, check, _)
    try:
        root = merkle.root_from_inclusion_path(index, tree_size, leaf, path)
    except merkle.ProofError:
        check.add(
            label,
            False,
            _("Jalur audit tidak membentuk pohon berukuran %(size)d dengan entri #%(index)d.")
            % {"size": tree_size, "index": index},
        )
        raise _Stop from None
    check.root_hash = base64.b64encode(root).decode()
    check.add(
        label,
        True,
        _("Jalur audit %(count)d hash dari entri #%(index)d menghasilkan akar %(root)s untuk pohon berukuran %(size)d.")
        % {"count": len(path), "index": index, "root": check.root_hash, "size": tree_size},
    )

    # 4. The checkpoint names that size and that root.
    label = _("Checkpoint")
    note = doc.get("checkpoint")
    try:
        if not isinstance(note, str):
            raise notes.NoteError("not a string")
        text, lines = notes.split_note(note)
        checkpoint = notes.parse_checkpoint(text)
    except ValueError:  # NoteError, and the ValueError of a size in non-ASCII digits
        check.add(label, False, _("Checkpoint bukan catatan bertanda tangan (signed note) yang sah."))
        raise _Stop from None
    check.origin = checkpoint.origin
    if checkpoint.size != tree_size:
        check.add(
            label,
            False,
            _("Checkpoint berukuran %(checkpoint)d, tetapi bukti inklusi untuk pohon berukuran %(proof)d.")
            % {"checkpoint": checkpoint.size, "proof": tree_size},
        )
        raise _Stop
    if checkpoint.root != root:
        check.add(label, False, _("Akar pohon di checkpoint berbeda dengan akar hasil bukti inklusi."))
        raise _Stop
    check.add(
        label,
        True,
        _("Checkpoint %(origin)s berukuran %(size)d memuat akar yang sama.")
        % {"origin": checkpoint.origin, "size": checkpoint.size},
    )

    # 5. The Pemda signed it.
    label = _("Kunci Pemda")
    embedded = doc.get("log_key")
    chosen = trusted_log_key if trusted_log_key is not None else embedded
    try:
        if not isinstance(chosen, str):
            raise notes.NoteError("not a string")
        key_name, key_kind, public_key = parse_verifier_key(chosen)
        if key_kind != notes.ED25519:
            raise notes.NoteError("not an Ed25519 signing key")
    except notes.NoteError:
        check.add(label, False, _("Kunci verifikasi Pemda tidak sah (bentuknya NAMA+IDKUNCI+BASE64)."))
        raise _Stop from None
    check.log_key = chosen.strip()
    check.key_trusted = trusted_log_key is not None
    if check.key_trusted:
        check.add(label, True, _("Memakai kunci yang Anda percayai: %(key)s") % {"key": check.log_key})
    else:
        check.add(
            label,
            True,
            _(
                "Memakai kunci yang tertulis di berkas: %(key)s. Bandingkan dengan kunci yang diumumkan "
                "Pemda di halaman Transparansi; hanya kunci itu yang membuktikan tanda tangan asli."
            )
            % {"key": check.log_key},
        )

    label = _("Tanda tangan Pemda")
    pemda_lines = [line for line in lines if _signer(line) == key_name]
    if checkpoint.origin != key_name:
        check.add(
            label,
            False,
            _("Checkpoint bernama %(origin)s, tetapi kuncinya bernama %(name)s.")
            % {"origin": checkpoint.origin, "name": key_name},
        )
        raise _Stop
    if not any(_verifies(text, line, key_name, public_key) for line in pemda_lines):
        check.add(label, False, _("Tidak ada tanda tangan Pemda yang sah atas checkpoint ini dengan kunci tersebut."))
        raise _Stop
    check.add(label, True, _("Checkpoint ditandatangani dengan kunci Pemda (Ed25519)."))

    # 6. Every other signature line is a witness cosignature that must verify.
    witness_keys = _witness_keys(doc.get("witness_keys"), check, _)
    others = [line for line in lines if line not in pemda_lines]
    if not others:
        check.add(_("Saksi"), True, _("Belum ada saksi yang menandatangani checkpoint ini."))
    for line in others:
        name = _signer(line) or "?"
        label = _("Tanda tangan saksi %(name)s") % {"name": name}
        key = witness_keys.get(name)
        if key is None:
            check.add(
                label, False, _("Tanda terima tidak memuat kunci saksi ini, jadi tanda tangannya tak dapat diperiksa.")
            )
            continue
        try:
            timestamp = notes.verify_cosignature_line(text, line, name, key)
        except notes.NoteError:
            check.add(label, False, _("Tanda tangan saksi tidak sah untuk checkpoint ini."))
            continue
        check.cosigned_by.append(name)
        check.add(
            label,
            True,
            _("Saksi menandatangani checkpoint ini pada %(time)s. Cocokkan kuncinya dengan yang diumumkan saksi.")
            % {"time": _utc(timestamp)},
        )


def _utc(timestamp: int) -> str:
    try:
        return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):
        return str(timestamp)


def _check_receipt_code(code: Any, leaf: bytes, index: int, check: ReceiptCheck, _: Translate) -> None:
    """The code printed on paper is derived from the entry, so it cannot be moved to another one."""
    if code is None:
        return
    label = _("Kode tanda terima")
    expected = receipt_code(leaf, index)
    given = "".join(ch for ch in str(code).upper() if ch.isalnum())
    if given != expected:
        check.add(label, False, _("Kode %(code)s bukan kode entri ini.") % {"code": code})
        return
    check.receipt_code = format_code(expected)
    check.add(label, True, _("Kode %(code)s milik entri ini.") % {"code": check.receipt_code})


parse_verifier_key = notes.parse_verifier_key


def receipt_code(leaf: bytes, index: int) -> str:
    """The receipt code of an entry (the same formula as ``ledger.receipt_code_for``)."""
    digest = hashlib.sha256(b"pamong-receipt\x00" + leaf + index.to_bytes(8, "big")).digest()
    return base64.b32encode(digest[:10]).decode()


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _signer(line: str) -> str | None:
    try:
        name, _blob = notes.parse_signature_line(line)
    except notes.NoteError:
        return None
    return name


def _verifies(text: str, line: str, name: str, public_key: bytes) -> bool:
    try:
        notes.verify_signature_line(text, line, name, public_key)
    except notes.NoteError:
        return False
    return True


def _witness_keys(raw: Any, check: ReceiptCheck, _: Translate) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    if raw is None:
        return keys
    if not isinstance(raw, list):
        check.add(_("Kunci saksi"), False, _("Daftar kunci saksi (witness_keys) bukan daftar."))
        return keys
    for item in raw:
        try:
            if not isinstance(item, str):
                raise notes.NoteError("not a string")
            name, kind, public_key = parse_verifier_key(item)
            if kind != notes.COSIGNATURE_V1:
                raise notes.NoteError("not a cosignature key")
        except notes.NoteError:
            check.add(_("Kunci saksi"), False, _("Kunci saksi tidak sah: %(key)s") % {"key": str(item)[:120]})
            continue
        keys[name] = public_key
    return keys


# --- canonical JSON (RFC 8785) for the public payload ------------------------------------------


def _content_hash(payload: Any) -> str | None:
    try:
        return hashlib.sha256(rfc8785.dumps(payload)).hexdigest()
    except (TypeError, ValueError):
        return None
