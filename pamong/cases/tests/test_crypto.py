"""The properties the confidential channel rests on, tested on the primitives themselves."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.public import PrivateKey

from pamong.cases import crypto


@given(st.binary(max_size=2048), st.text(min_size=1, max_size=40))
@settings(max_examples=50)
def test_content_sealed_with_a_report_key_opens_only_with_that_key_and_report(plaintext: bytes, report_id: str) -> None:
    key = crypto.new_report_key()
    sealed = crypto.seal(key, report_id, plaintext)
    if len(plaintext) >= 16:  # shorter strings can turn up in random bytes by chance
        assert plaintext not in sealed
    assert crypto.unseal(key, report_id, sealed) == plaintext
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unseal(crypto.new_report_key(), report_id, sealed)
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unseal(key, report_id + "x", sealed)  # moved to another report


def test_a_flipped_byte_is_detected() -> None:
    key = crypto.new_report_key()
    sealed = bytearray(crypto.seal(key, "r1", b"Saya ditekan atasan untuk mendukung calon."))
    sealed[-5] ^= 0x01
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unseal(key, "r1", bytes(sealed))


def test_a_wrapped_report_key_opens_only_for_its_recipient() -> None:
    report_key = crypto.new_report_key()
    handler, stranger = PrivateKey.generate(), PrivateKey.generate()
    wrapped = crypto.wrap_key(report_key, handler.public_key)
    assert report_key not in wrapped
    assert crypto.unwrap_key(wrapped, handler) == report_key
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unwrap_key(wrapped, stranger)


def test_a_handlers_private_key_opens_only_with_their_password_and_survives_a_password_change() -> None:
    stored = crypto.new_handler_keys("Sasando-Kupang-77")
    report_key = crypto.new_report_key()
    wrapped = crypto.wrap_key(report_key, crypto.PublicKey(stored.public_key))
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unlock_private_key(stored, "tebakan-salah")
    changed = crypto.change_password(stored, "Sasando-Kupang-77", "Tenun-Ikat-Sabu-24")
    assert changed.public_key == stored.public_key and changed.sealed != stored.sealed
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unlock_private_key(changed, "Sasando-Kupang-77")
    assert crypto.unwrap_key(wrapped, crypto.unlock_private_key(changed, "Tenun-Ikat-Sabu-24")) == report_key


def test_the_recovery_key_is_text_that_restores_access() -> None:
    public_key, text = crypto.new_recovery_key()
    report_key = crypto.new_report_key()
    wrapped = crypto.wrap_key(report_key, public_key)
    assert crypto.unwrap_key(wrapped, crypto.recovery_private_key(text.lower().replace("-", " "))) == report_key
    with pytest.raises(crypto.DecryptionFailed):
        crypto.recovery_private_key("BUKAN-KUNCI")


def test_a_receipt_has_at_least_80_secret_bits_and_only_a_salted_hash_is_kept() -> None:
    receipt = crypto.new_receipt()
    secret = crypto.normalise_receipt(receipt.code)[crypto.LOCATOR_CHARS :]
    assert crypto.SECRET_CHARS * math.log2(32) >= 80
    assert len(secret) == crypto.SECRET_CHARS
    assert secret.encode() not in receipt.verifier + receipt.salt
    assert receipt.locator == crypto.receipt_locator(receipt.code)
    again = crypto.new_receipt()
    assert again.salt != receipt.salt and again.code != receipt.code


def test_a_receipt_is_accepted_however_it_is_written_and_nothing_else_is() -> None:
    receipt = crypto.new_receipt()
    assert crypto.open_receipt(receipt.code.lower().replace("-", " "), receipt.salt, receipt.verifier) == receipt.key
    wrong = receipt.code[:-1] + ("A" if receipt.code[-1] != "A" else "B")
    assert crypto.open_receipt(wrong, receipt.salt, receipt.verifier) is None


def test_the_receipt_unwraps_the_report_key_for_the_reporter_alone() -> None:
    receipt, report_key = crypto.new_receipt(), crypto.new_report_key()
    wrapped = crypto.wrap_for_receipt(report_key, receipt.key)
    assert crypto.unwrap_for_receipt(wrapped, receipt.key) == report_key
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unwrap_for_receipt(wrapped, crypto.new_receipt().key)


def test_a_handler_key_opens_with_the_cost_it_was_sealed_with(monkeypatch: pytest.MonkeyPatch) -> None:
    from nacl import pwhash

    monkeypatch.setattr(crypto, "_KDF_OPS", pwhash.argon2id.OPSLIMIT_MIN)
    monkeypatch.setattr(crypto, "_KDF_MEM", pwhash.argon2id.MEMLIMIT_MIN)
    cheap = crypto.new_handler_keys("Sasando-Kupang-77")
    monkeypatch.setattr(crypto, "_KDF_OPS", pwhash.argon2id.OPSLIMIT_MIN + 1)
    monkeypatch.setattr(crypto, "_KDF_MEM", pwhash.argon2id.MEMLIMIT_MIN * 2)
    opened = crypto.unlock_private_key(cheap, "Sasando-Kupang-77")
    assert bytes(opened.public_key) == cheap.public_key
    resealed = crypto.change_password(cheap, "Sasando-Kupang-77", "Tenun-Ikat-Sabu-24")
    assert (resealed.ops, resealed.mem) == (pwhash.argon2id.OPSLIMIT_MIN + 1, pwhash.argon2id.MEMLIMIT_MIN * 2)
