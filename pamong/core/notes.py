"""Checkpoints as C2SP signed notes, Ed25519 signatures and witness cosignatures.

Formats (no Django import here; scripts/ uses this module offline):

* tlog-checkpoint: ``<origin>\\n<tree size>\\n<base64 root hash>\\n`` (c2sp.org/tlog-checkpoint).
* signed-note: the text, a blank line, then lines ``— <key name> <base64(key ID || signature)>``;
  the Ed25519 key ID is SHA-256(name || 0x0A || 0x01 || public key)[:4] (c2sp.org/signed-note).
* tlog-cosignature v1: the signature over ``cosignature/v1\\ntime <t>\\n`` + checkpoint text,
  encoded as base64(key ID || uint64 t || signature) with key ID type byte 0x04
  (c2sp.org/tlog-cosignature).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

SIGNATURE_PREFIX = "— "  # U+2014 EM DASH, then a space
ED25519 = 0x01
COSIGNATURE_V1 = 0x04


class NoteError(ValueError):
    """A note, checkpoint or signature line that is malformed or does not verify."""


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(name: str, public_key: bytes, kind: int = ED25519) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + public_key).digest()[:4]


def verifier_key(name: str, public_key: bytes, kind: int = ED25519) -> str:
    """The C2SP vkey string: ``<name>+<hex key ID>+<base64(type || public key)>``."""
    return f"{name}+{key_id(name, public_key, kind).hex()}+{base64.b64encode(bytes([kind]) + public_key).decode()}"


def parse_verifier_key(text: str) -> tuple[str, int, bytes]:
    try:
        # Only the first two '+' separate fields: base64 itself may contain '+'.
        name, hex_id, encoded = text.strip().split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        raise NoteError("a verifier key is NAME+KEYID+BASE64") from None
    if len(raw) != 33:
        raise NoteError("only Ed25519 verifier keys are supported")
    kind, public_key = raw[0], raw[1:]
    if kind not in {ED25519, COSIGNATURE_V1}:
        raise NoteError("only Ed25519 verifier keys are supported")
    if key_id(name, public_key, kind).hex() != hex_id:
        raise NoteError("the verifier key's ID does not match its name and key")
    return name, kind, public_key


# --- checkpoints ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    @property
    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def parse_checkpoint(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("a checkpoint is three lines, each ending in a newline")
    origin, size_line, root_line = lines[0], lines[1], lines[2]
    if (
        not origin
        or not (size_line.isascii() and size_line.isdigit())
        or (size_line != "0" and size_line.startswith("0"))
    ):
        raise NoteError("the checkpoint's origin or size line is malformed")
    try:
        root = base64.b64decode(root_line, validate=True)
    except binascii.Error:
        raise NoteError("the checkpoint's root hash is not base64") from None
    if len(root) != 32:
        raise NoteError("the checkpoint's root hash is not 32 bytes")
    return Checkpoint(origin=origin, size=int(size_line), root=root)


# --- signed notes -----------------------------------------------------------------------------


def signature_line(name: str, private_key: Ed25519PrivateKey, text: str) -> str:
    public_key = public_bytes(private_key.public_key())
    signature = private_key.sign(text.encode())
    return f"{SIGNATURE_PREFIX}{name} {base64.b64encode(key_id(name, public_key) + signature).decode()}\n"


def split_note(note: str) -> tuple[str, list[str]]:
    """The text and its signature lines (each ending in a newline)."""
    cut = note.rfind("\n\n")
    if cut < 0:
        raise NoteError("a signed note has a blank line before its signatures")
    text, signatures = note[: cut + 1], note[cut + 2 :]
    lines = [line + "\n" for line in signatures.split("\n") if line]
    if not lines or not signatures.endswith("\n"):
        raise NoteError("a signed note has at least one signature line ending in a newline")
    if any(ord(ch) < 0x20 and ch != "\n" for ch in note):
        raise NoteError("a signed note has no control characters other than newline")
    return text, lines


def parse_signature_line(line: str) -> tuple[str, bytes]:
    if not line.startswith(SIGNATURE_PREFIX) or not line.endswith("\n"):
        raise NoteError("a signature line starts with an em dash and a space, and ends in a newline")
    parts = line[len(SIGNATURE_PREFIX) : -1].split(" ")
    if len(parts) != 2 or not parts[0]:
        raise NoteError("a signature line is '— <key name> <base64 signature>'")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except binascii.Error:
        raise NoteError("the signature is not base64") from None
    if len(blob) < 4 + 64:
        raise NoteError("the signature is too short")
    return parts[0], blob


def verify_signature_line(text: str, line: str, name: str, public_key: bytes) -> None:
    signer, blob = parse_signature_line(line)
    if signer != name or blob[:4] != key_id(name, public_key):
        raise NoteError(f"the signature is not by {name}")
    if len(blob) != 4 + 64:
        raise NoteError("an Ed25519 signature is 64 bytes")
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(blob[4:], text.encode())
    except InvalidSignature:
        raise NoteError(f"the signature by {name} does not verify") from None


# --- cosignatures (tlog-cosignature v1, Ed25519) ----------------------------------------------


def cosigned_message(text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + text.encode()


def cosignature_line(name: str, private_key: Ed25519PrivateKey, text: str, timestamp: int) -> str:
    public_key = public_bytes(private_key.public_key())
    signature = private_key.sign(cosigned_message(text, timestamp))
    blob = key_id(name, public_key, COSIGNATURE_V1) + struct.pack(">Q", timestamp) + signature
    return f"{SIGNATURE_PREFIX}{name} {base64.b64encode(blob).decode()}\n"


def verify_cosignature_line(text: str, line: str, name: str, public_key: bytes) -> int:
    """Checks a witness's cosignature over a checkpoint text; returns its timestamp."""
    signer, blob = parse_signature_line(line)
    if signer != name or blob[:4] != key_id(name, public_key, COSIGNATURE_V1):
        raise NoteError(f"the cosignature is not by {name}")
    if len(blob) != 4 + 8 + 64:
        raise NoteError("a cosignature is a key ID, an 8-byte time and a 64-byte signature")
    (timestamp,) = struct.unpack(">Q", blob[4:12])
    if timestamp >= 2**63:
        raise NoteError("the cosignature time is out of range")
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(blob[12:], cosigned_message(text, timestamp))
    except InvalidSignature:
        raise NoteError(f"the cosignature by {name} does not verify") from None
    return int(timestamp)
