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
* A reporter's receipt is a public locator (to find the report) and an 80-bit secret; only a
  salted Argon2id hash of the whole code is stored.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
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
_KDF_OPS = pwhash.argon2id.OPSLIMIT_INTERACTIVE
_KDF_MEM = pwhash.argon2id.MEMLIMIT_INTERACTIVE
_receipt_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


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


def _password_key(password: str, salt: bytes) -> bytes:
    return pwhash.argon2id.kdf(SecretBox.KEY_SIZE, password.encode(), salt, opslimit=_KDF_OPS, memlimit=_KDF_MEM)


def seal_private_key(private_key: PrivateKey, password: str) -> SealedPrivateKey:
    salt = random_bytes(pwhash.argon2id.SALTBYTES)
    box = SecretBox(_password_key(password, salt))
    return SealedPrivateKey(
        public_key=bytes(private_key.public_key), sealed=bytes(box.encrypt(bytes(private_key))), salt=salt
    )


def new_handler_keys(password: str) -> SealedPrivateKey:
    return seal_private_key(PrivateKey.generate(), password)


def unlock_private_key(stored: SealedPrivateKey, password: str) -> PrivateKey:
    try:
        raw = SecretBox(_password_key(password, stored.salt)).decrypt(stored.sealed)
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
    locator: str  # stored in the clear
    code_hash: str  # stored: salted Argon2id of the whole code


def _random_chars(count: int) -> str:
    return "".join(secrets.choice(_B32) for _ in range(count))


def normalise_receipt(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def new_receipt() -> Receipt:
    locator, secret = _random_chars(LOCATOR_CHARS), _random_chars(SECRET_CHARS)
    code = f"{locator}-" + "-".join(secret[i : i + 4] for i in range(0, SECRET_CHARS, 4))
    return Receipt(code=code, locator=locator, code_hash=_receipt_hasher.hash(locator + secret))


def receipt_locator(text: str) -> str | None:
    cleaned = normalise_receipt(text)
    if len(cleaned) != LOCATOR_CHARS + SECRET_CHARS or any(ch not in _B32 for ch in cleaned):
        return None
    return cleaned[:LOCATOR_CHARS]


def receipt_matches(stored_hash: str, text: str) -> bool:
    """Constant work whether or not the code is right (the hash is memory-hard either way)."""
    cleaned = normalise_receipt(text)
    try:
        return _receipt_hasher.verify(stored_hash, cleaned)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
