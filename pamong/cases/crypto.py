"""The cryptography of confidential reports (issue 5), built only from PyNaCl and argon2-cffi.

* Every report has its own 32-byte key; its content and attachments are sealed with
  XChaCha20-Poly1305 (``nacl.secret.Aead``), bound to the report's identifier as associated data
  so a ciphertext cannot be moved to another report. Destroying the key destroys the report.
* The report key is wrapped (``nacl.public.SealedBox``, X25519) for each handler assigned to the
  case, for the Wali Kota on pressure reports, and for the recovery key; nobody else can unwrap it.
* A handler's X25519 private key is stored sealed under a key derived from their password
  (Argon2id, ``nacl.pwhash``): a copy of the database opens nothing, and a password change
  re-seals the same private key, so access is kept.
* The recovery key pair belongs to the Inspektorat head; its private half is shown once as text
  and never stored, and restores access if every handler is lost.
* A reporter's receipt is a public locator (to find the report) and an 80-bit secret. One salted
  Argon2id computation over the whole code yields 64 bytes: the first half is stored to check the
  code, the second half (never stored) wraps the report key so the reporter can read the replies.
"""

from __future__ import annotations

import base64
import hmac
import os
import secrets
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from nacl import pwhash
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import Aead, SecretBox
from nacl.utils import random as random_bytes

KEY_SIZE = Aead.KEY_SIZE
LOCATOR_CHARS = 6  # 30 bits, stored in the clear to find the report
SECRET_CHARS = 16  # 80 bits, never stored
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
# Interactive limits (64 MiB, 2 passes): unlocking a handler's key at login, not on every request.
# Tests set PAMONG_CASE_KDF=min (same algorithm, smallest cost) so the suite stays fast.
_KDF_OPS = pwhash.argon2id.OPSLIMIT_INTERACTIVE
_KDF_MEM = pwhash.argon2id.MEMLIMIT_INTERACTIVE
if os.environ.get("PAMONG_CASE_KDF") == "min":
    _KDF_OPS, _KDF_MEM = pwhash.argon2id.OPSLIMIT_MIN, pwhash.argon2id.MEMLIMIT_MIN
# Receipts: Argon2id at the OWASP minimum (19 MiB, 2 passes), checked on every reporter visit.
_RECEIPT_TIME = 2
_RECEIPT_MEMORY_KIB = 19 * 1024


class DecryptionFailed(Exception):
    """A wrong key, a wrong password, or a ciphertext that was altered or moved."""


# --- report content -----------------------------------------------------------------------------


def new_report_key() -> bytes:
    return random_bytes(KEY_SIZE)


def _aad(report_id: str) -> bytes:
    return f"pamong-report:{report_id}".encode()


def seal(key: bytes, report_id: str, plaintext: bytes) -> bytes:
    return bytes(Aead(key).encrypt(plaintext, _aad(report_id)))


def unseal(key: bytes, report_id: str, ciphertext: bytes) -> bytes:
    try:
        return Aead(key).decrypt(ciphertext, _aad(report_id))
    except CryptoError:
        raise DecryptionFailed from None


# --- wrapping report keys for recipients ----------------------------------------------------------


def wrap_key(report_key: bytes, recipient: PublicKey) -> bytes:
    return bytes(SealedBox(recipient).encrypt(report_key))


def unwrap_key(wrapped: bytes, private_key: PrivateKey) -> bytes:
    try:
        return SealedBox(private_key).decrypt(wrapped)
    except CryptoError:
        raise DecryptionFailed from None


# --- handlers' key pairs, sealed under their passwords --------------------------------------------


@dataclass(frozen=True)
class SealedPrivateKey:
    public_key: bytes
    sealed: bytes  # the private key, sealed under the password-derived key
    salt: bytes
    # The Argon2id cost it was sealed with, so a key sealed at one cost still opens after the
    # configured cost changes (it is re-sealed at the new cost on the next password change).
    ops: int = _KDF_OPS
    mem: int = _KDF_MEM


def _password_key(password: str, salt: bytes, ops: int, mem: int) -> bytes:
    return pwhash.argon2id.kdf(SecretBox.KEY_SIZE, password.encode(), salt, opslimit=ops, memlimit=mem)


def seal_private_key(private_key: PrivateKey, password: str) -> SealedPrivateKey:
    salt = random_bytes(pwhash.argon2id.SALTBYTES)
    box = SecretBox(_password_key(password, salt, _KDF_OPS, _KDF_MEM))
    return SealedPrivateKey(
        public_key=bytes(private_key.public_key),
        sealed=bytes(box.encrypt(bytes(private_key))),
        salt=salt,
        ops=_KDF_OPS,
        mem=_KDF_MEM,
    )


def new_handler_keys(password: str) -> SealedPrivateKey:
    return seal_private_key(PrivateKey.generate(), password)


def unlock_private_key(stored: SealedPrivateKey, password: str) -> PrivateKey:
    try:
        raw = SecretBox(_password_key(password, stored.salt, stored.ops, stored.mem)).decrypt(stored.sealed)
    except CryptoError:
        raise DecryptionFailed from None
    key = PrivateKey(raw)
    if bytes(key.public_key) != stored.public_key:
        raise DecryptionFailed
    return key


def change_password(stored: SealedPrivateKey, old_password: str, new_password: str) -> SealedPrivateKey:
    """The same key pair, sealed under the new password: every wrapped report key still opens."""
    return seal_private_key(unlock_private_key(stored, old_password), new_password)


# --- the recovery key ------------------------------------------------------------------------------


def new_recovery_key() -> tuple[PublicKey, str]:
    """A key pair whose private half is returned once, as text to print and keep in a safe."""
    private_key = PrivateKey.generate()
    text = base64.b32encode(bytes(private_key)).decode().rstrip("=")
    return private_key.public_key, "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def recovery_private_key(text: str) -> PrivateKey:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    try:
        raw = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except ValueError:
        raise DecryptionFailed from None
    if len(raw) != PrivateKey.SIZE:
        raise DecryptionFailed
    return PrivateKey(raw)


# --- receipts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    code: str  # shown to the reporter once: LLLLLL-SSSS-SSSS-SSSS-SSSS
    locator: str  # stored in the clear, to find the report
    salt: bytes  # stored
    verifier: bytes  # stored: the first half of a salted Argon2id hash of the whole code
    key: bytes  # never stored: the second half, which wraps the report key for the reporter


def _random_chars(count: int) -> str:
    return "".join(secrets.choice(_B32) for _ in range(count))


def normalise_receipt(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def _receipt_hash(cleaned: str, salt: bytes) -> tuple[bytes, bytes]:
    raw = hash_secret_raw(
        cleaned.encode(),
        salt,
        time_cost=_RECEIPT_TIME,
        memory_cost=_RECEIPT_MEMORY_KIB,
        parallelism=1,
        hash_len=64,
        type=Type.ID,
    )
    return raw[:32], raw[32:]


def new_receipt() -> Receipt:
    locator, secret = _random_chars(LOCATOR_CHARS), _random_chars(SECRET_CHARS)
    code = f"{locator}-" + "-".join(secret[i : i + 4] for i in range(0, SECRET_CHARS, 4))
    salt = random_bytes(16)
    verifier, key = _receipt_hash(locator + secret, salt)
    return Receipt(code=code, locator=locator, salt=salt, verifier=verifier, key=key)


def receipt_locator(text: str) -> str | None:
    cleaned = normalise_receipt(text)
    if len(cleaned) != LOCATOR_CHARS + SECRET_CHARS or any(ch not in _B32 for ch in cleaned):
        return None
    return cleaned[:LOCATOR_CHARS]


def open_receipt(text: str, salt: bytes, verifier: bytes) -> bytes | None:
    """The reporter's key if the code is right, else None; the same memory-hard work either way."""
    candidate, key = _receipt_hash(normalise_receipt(text), bytes(salt))
    return key if hmac.compare_digest(candidate, bytes(verifier)) else None


def burn_receipt_work() -> None:
    """The cost of one check, for codes whose locator matches nothing (no timing oracle)."""
    _receipt_hash("X" * (LOCATOR_CHARS + SECRET_CHARS), b"\0" * 16)


def wrap_for_receipt(report_key: bytes, receipt_key: bytes) -> bytes:
    return bytes(SecretBox(receipt_key).encrypt(report_key))


def unwrap_for_receipt(wrapped: bytes, receipt_key: bytes) -> bytes:
    try:
        return SecretBox(receipt_key).decrypt(bytes(wrapped))
    except CryptoError:
        raise DecryptionFailed from None
