"""Where the keys live while people work.

* A handler's private key is made, or unlocked, with the password they have just typed (login, API
  token, password change). For the rest of a browser session it sits in an HttpOnly cookie, sealed
  under a key derived from SECRET_KEY and bound to the user's password hash: the database never
  holds it unsealed, and a cookie stolen after a password change opens nothing. An API token gets a
  copy sealed under a key derived from the token itself, which only the client holds.
* A reporter who has typed their receipt keeps the report key in a cookie limited to ``/lapor/``,
  sealed the same way, for 30 minutes: no session row, nothing on the server about the visit.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.public import PrivateKey
from nacl.secret import SecretBox
from nacl.utils import random as random_bytes

from pamong.cases import crypto
from pamong.cases.models import HandlerKey, TokenKey
from pamong.organisation.models import Role, User
from pamong.organisation.services import api_token_for
from pamong.organisation.signals import password_verified

HANDLER_ROLES = frozenset({Role.INSPEKTORAT, Role.BKPSDM, Role.WALI_KOTA})
HANDLER_COOKIE = "pamong_kunci"
REPORTER_COOKIE = "pamong_lapor"
REPORTER_PATH = "/lapor/"
REPORTER_TTL = 30 * 60


def is_handler(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and set(getattr(user, "roles", ())) & HANDLER_ROLES)


def _box(purpose: str) -> SecretBox:
    key = blake2b(purpose.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=32, encoder=RawEncoder)
    return SecretBox(key)


def _stored(row: HandlerKey) -> crypto.SealedPrivateKey:
    return crypto.SealedPrivateKey(
        public_key=bytes(row.public_key),
        sealed=bytes(row.sealed_private),
        salt=bytes(row.salt),
        ops=row.kdf_ops,
        mem=row.kdf_mem,
    )


# --- making and unlocking handler keys ---------------------------------------------------------------


def key_for_password(user: User, password: str) -> PrivateKey | None:
    """The handler's private key, made on first use; None for users who handle no cases.

    A password set by an administrator (not changed by the user) cannot open the old key: a new
    key pair replaces it, and reports shared with the old one must be shared again (by a colleague
    or with the recovery key).
    """
    if not is_handler(user):
        return None
    row = HandlerKey.objects.filter(user=user).first()
    if row is not None:
        try:
            return crypto.unlock_private_key(_stored(row), password)
        except crypto.DecryptionFailed:
            pass
    private_key = PrivateKey.generate()
    sealed = crypto.seal_private_key(private_key, password)
    HandlerKey.objects.update_or_create(
        user=user,
        defaults={
            "public_key": sealed.public_key,
            "sealed_private": sealed.sealed,
            "salt": sealed.salt,
            "kdf_ops": sealed.ops,
            "kdf_mem": sealed.mem,
        },
    )
    return private_key


def change_password(user: User, old_password: str, new_password: str) -> None:
    row = HandlerKey.objects.filter(user=user).first()
    if row is None:
        key_for_password(user, new_password)
        return
    try:
        sealed = crypto.change_password(_stored(row), old_password, new_password)
    except crypto.DecryptionFailed:
        key_for_password(user, new_password)
        return
    HandlerKey.objects.filter(pk=row.pk).update(
        sealed_private=sealed.sealed, salt=sealed.salt, kdf_ops=sealed.ops, kdf_mem=sealed.mem
    )


@receiver(password_verified)
def _on_password(sender: Any, user: User, password: str, request: HttpRequest | None = None, **extra: Any) -> None:
    if not is_handler(user):
        return
    with transaction.atomic():
        if "old_password" in extra:
            change_password(user, extra["old_password"], password)
            user.refresh_from_db()
        private_key = key_for_password(user, password)
        if private_key is None:
            return
        if extra.get("api_token") is not None:
            box = SecretBox(_token_key(extra["token_secret"]))
            TokenKey.objects.update_or_create(
                token=extra["api_token"], defaults={"sealed": bytes(box.encrypt(bytes(private_key)))}
            )
        elif request is not None:
            request._pamong_handler_cookie = _seal_for_cookie(user, private_key)  # type: ignore[attr-defined]


# --- the browser half -------------------------------------------------------------------------------


def _seal_for_cookie(user: User, private_key: PrivateKey) -> str:
    bound = f"{user.pk}:{user.get_session_auth_hash()}".encode()
    nonce = random_bytes(SecretBox.NONCE_SIZE)
    sealed = _box("pamong-handler-cookie").encrypt(bound + b"|" + bytes(private_key), nonce)
    return base64.urlsafe_b64encode(bytes(sealed)).decode()


def _token_key(secret: str) -> bytes:
    return blake2b(secret.encode(), person=b"pamong-api-key", digest_size=32, encoder=RawEncoder)


def private_key(request: HttpRequest) -> PrivateKey | None:
    """The unlocked private key of the handler making this request, if they unlocked it."""
    user = getattr(request, "user", None)
    if not is_handler(user):
        return None
    secret = getattr(request, "api_token_secret", None)
    if secret:
        token = api_token_for(secret)
        row = TokenKey.objects.filter(token=token).first() if token else None
        if row is None:
            return None
        try:
            return PrivateKey(SecretBox(_token_key(secret)).decrypt(bytes(row.sealed)))
        except CryptoError:
            return None
    raw = request.COOKIES.get(HANDLER_COOKIE) or getattr(request, "_pamong_handler_cookie", None)
    if not raw:
        return None
    try:
        opened = _box("pamong-handler-cookie").decrypt(base64.urlsafe_b64decode(raw.encode()))
    except (CryptoError, ValueError):
        return None
    # The bound part ("pk:hex digest") never holds "|"; the key bytes may, so split at the first one.
    bound, _sep, key = opened.partition(b"|")
    assert isinstance(user, User)
    if bound != f"{user.pk}:{user.get_session_auth_hash()}".encode() or len(key) != PrivateKey.SIZE:
        return None
    return PrivateKey(key)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: HttpRequest | None = None, **extra: Any) -> None:
    if request is not None:
        request._pamong_handler_cookie = ""  # type: ignore[attr-defined]


def remember_handler_key(request: HttpRequest, response: HttpResponse) -> None:
    value = getattr(request, "_pamong_handler_cookie", None)
    if value == "":
        response.delete_cookie(HANDLER_COOKIE, samesite="Lax")
    elif value:
        response.set_cookie(
            HANDLER_COOKIE,
            value,
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )


# --- the reporter's visit -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReporterVisit:
    report_id: str
    report_key: bytes
    # The receipt, kept only until the reporter confirms they have written it down.
    unconfirmed_code: str | None = None


def reporter_cookie(visit: ReporterVisit) -> str:
    body = json.dumps(
        {
            "r": visit.report_id,
            "k": base64.b64encode(visit.report_key).decode(),
            "c": visit.unconfirmed_code,
            "e": int(time.time()) + REPORTER_TTL,
        }
    ).encode()
    return base64.urlsafe_b64encode(bytes(_box("pamong-reporter-cookie").encrypt(body))).decode()


def set_reporter_cookie(response: HttpResponse, visit: ReporterVisit) -> None:
    response.set_cookie(
        REPORTER_COOKIE,
        reporter_cookie(visit),
        max_age=REPORTER_TTL,
        path=REPORTER_PATH,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Strict",
    )


def clear_reporter_cookie(response: HttpResponse) -> None:
    response.delete_cookie(REPORTER_COOKIE, path=REPORTER_PATH, samesite="Strict")


def reporter_visit(request: HttpRequest) -> ReporterVisit | None:
    raw = request.COOKIES.get(REPORTER_COOKIE)
    if not raw:
        return None
    try:
        body = json.loads(_box("pamong-reporter-cookie").decrypt(base64.urlsafe_b64decode(raw.encode())))
        if int(body["e"]) < time.time():
            return None
        return ReporterVisit(
            report_id=str(body["r"]), report_key=base64.b64decode(body["k"]), unconfirmed_code=body.get("c")
        )
    except (CryptoError, ValueError, KeyError, TypeError):
        return None
