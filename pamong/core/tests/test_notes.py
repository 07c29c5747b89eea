"""Checkpoints, signed notes and witness cosignatures in the C2SP formats, without a database.

The known answers come from golang.org/x/mod/sumdb/note (the PeterNeumann key and note: Ed25519 is
deterministic, so the same key over the same text must give the same line byte for byte) and from
the verifier keys of transparency-dev/formats (note/note_cosigv1_test.go). The key ID and verifier
key formulas are recomputed here with hashlib from c2sp.org/signed-note and c2sp.org/tlog-cosignature.
"""

from __future__ import annotations

import base64
import hashlib
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st

from pamong.core import notes

# golang.org/x/mod/sumdb/note, note.go and note_test.go
PETER_SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
PETER_LINE = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_VERIFIER_KEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
# transparency-dev/formats, note/note_cosigv1_test.go: a type 0x01 key whose base64 holds a '+',
# and a native type 0x04 (cosignature/v1) key.
PLUS_VERIFIER_KEY = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"
COSIGNATURE_VERIFIER_KEY = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"

ORIGIN = "pamong.kupang.go.id/ledger"
ROOT = hashlib.sha256(b"a root").digest()
WITNESS = "bawaslu.kupang.go.id/saksi"
SIGNED_AT = 1_732_600_000


def peter_key() -> Ed25519PrivateKey:
    raw = base64.b64decode(PETER_SIGNER_KEY.split("+", 4)[4])
    assert raw[0] == 0x01
    return Ed25519PrivateKey.from_private_bytes(raw[1:])


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return notes.public_bytes(key.public_key())


def c2sp_key_id(name: str, kind: int, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\x0a" + bytes([kind]) + public_key).digest()[:4]


def blob_of(line: str) -> bytes:
    return base64.b64decode(line.rstrip("\n").split(" ")[-1])


def line_with(name: str, blob: bytes) -> str:
    return f"— {name} {base64.b64encode(blob).decode()}\n"


@pytest.fixture(scope="module")
def log_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def witness_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def checkpoint_text() -> str:
    return notes.Checkpoint(origin=ORIGIN, size=42, root=ROOT).text


# --- checkpoints -------------------------------------------------------------------------------


def test_a_checkpoint_is_its_origin_size_and_base64_root_each_on_a_line() -> None:
    # The example of c2sp.org/tlog-cosignature.
    root = base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    checkpoint = notes.Checkpoint(origin="example.com/behind-the-sofa", size=20852163, root=root)
    assert checkpoint.text == "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"


def test_a_checkpoint_reads_back_from_its_text(checkpoint_text: str) -> None:
    assert notes.parse_checkpoint(checkpoint_text) == notes.Checkpoint(origin=ORIGIN, size=42, root=ROOT)
    assert notes.parse_checkpoint(f"{ORIGIN}\n0\n{base64.b64encode(ROOT).decode()}\n").size == 0


GOOD_ROOT = base64.b64encode(ROOT).decode()


@pytest.mark.parametrize(
    ("why", "text"),
    [
        ("missing final newline", f"{ORIGIN}\n42\n{GOOD_ROOT}"),
        ("only two lines", f"{ORIGIN}\n42\n"),
        ("empty origin", f"\n42\n{GOOD_ROOT}\n"),
        ("empty size", f"{ORIGIN}\n\n{GOOD_ROOT}\n"),
        ("letters in the size", f"{ORIGIN}\n4x\n{GOOD_ROOT}\n"),
        ("negative size", f"{ORIGIN}\n-1\n{GOOD_ROOT}\n"),
        ("signed size", f"{ORIGIN}\n+42\n{GOOD_ROOT}\n"),
        ("space in the size", f"{ORIGIN}\n 42\n{GOOD_ROOT}\n"),
        ("leading zero", f"{ORIGIN}\n042\n{GOOD_ROOT}\n"),
        ("bad base64", f"{ORIGIN}\n42\nnot*base64!\n"),
        ("base64 with a space", f"{ORIGIN}\n42\n{GOOD_ROOT[:8]} {GOOD_ROOT[8:]}\n"),
        ("31-byte root", f"{ORIGIN}\n42\n{base64.b64encode(ROOT[:31]).decode()}\n"),
        ("33-byte root", f"{ORIGIN}\n42\n{base64.b64encode(ROOT + b'x').decode()}\n"),
    ],
)
def test_a_malformed_checkpoint_is_refused(why: str, text: str) -> None:
    with pytest.raises(notes.NoteError):
        notes.parse_checkpoint(text)


@pytest.mark.parametrize(
    "size",
    [
        # A superscript two is a digit to str.isdigit, but int() refuses it with a bare ValueError.
        pytest.param("²", id="superscript-two"),
        # Arabic-Indic digits pass both, yet c2sp.org/tlog-checkpoint asks for ASCII decimal.
        pytest.param("١٢", id="arabic-indic-twelve"),
    ],
)
def test_a_size_in_digits_other_than_ascii_is_refused_as_a_note_error(size: str) -> None:
    with pytest.raises(notes.NoteError):
        notes.parse_checkpoint(f"{ORIGIN}\n{size}\n{GOOD_ROOT}\n")


# --- signatures --------------------------------------------------------------------------------


def test_the_go_reference_note_is_signed_byte_for_byte() -> None:
    key = peter_key()
    assert notes.signature_line("PeterNeumann", key, PETER_TEXT) == PETER_LINE
    assert notes.verifier_key("PeterNeumann", raw_public(key)) == PETER_VERIFIER_KEY
    notes.verify_signature_line(PETER_TEXT, PETER_LINE, "PeterNeumann", raw_public(key))


def test_the_key_id_is_sha256_of_name_newline_type_and_key(log_key: Ed25519PrivateKey) -> None:
    public_key = raw_public(log_key)
    assert notes.key_id(ORIGIN, public_key) == c2sp_key_id(ORIGIN, 0x01, public_key)
    assert notes.key_id(ORIGIN, public_key, notes.COSIGNATURE_V1) == c2sp_key_id(ORIGIN, 0x04, public_key)


def test_the_verifier_key_is_name_hex_key_id_and_base64_of_type_and_key(log_key: Ed25519PrivateKey) -> None:
    public_key = raw_public(log_key)
    encoded = base64.b64encode(bytes([0x01]) + public_key).decode()
    expected = f"{ORIGIN}+{c2sp_key_id(ORIGIN, 0x01, public_key).hex()}+{encoded}"
    assert notes.verifier_key(ORIGIN, public_key) == expected


def test_a_signature_line_is_em_dash_name_and_base64_of_key_id_and_signature(
    log_key: Ed25519PrivateKey, checkpoint_text: str
) -> None:
    line = notes.signature_line(ORIGIN, log_key, checkpoint_text)
    assert line.startswith(f"\u2014 {ORIGIN} ") and line.endswith("\n")
    blob = blob_of(line)
    assert blob[:4] == c2sp_key_id(ORIGIN, 1, raw_public(log_key)) and len(blob) == 68
    log_key.public_key().verify(blob[4:], checkpoint_text.encode())  # plain Ed25519 over the text


def test_a_signature_verifies_with_its_key(log_key: Ed25519PrivateKey, checkpoint_text: str) -> None:
    line = notes.signature_line(ORIGIN, log_key, checkpoint_text)
    notes.verify_signature_line(checkpoint_text, line, ORIGIN, raw_public(log_key))


def test_a_signature_fails_for_another_key(log_key: Ed25519PrivateKey, checkpoint_text: str) -> None:
    line = notes.signature_line(ORIGIN, log_key, checkpoint_text)
    with pytest.raises(notes.NoteError):
        notes.verify_signature_line(checkpoint_text, line, ORIGIN, raw_public(Ed25519PrivateKey.generate()))


def test_a_signature_fails_for_another_name(log_key: Ed25519PrivateKey, checkpoint_text: str) -> None:
    line = notes.signature_line(ORIGIN, log_key, checkpoint_text)
    with pytest.raises(notes.NoteError):
        notes.verify_signature_line(checkpoint_text, line, "pamong.kota-lain.go.id/ledger", raw_public(log_key))
    renamed = line.replace(ORIGIN, "pamong.kota-lain.go.id/ledger")
    with pytest.raises(notes.NoteError):
        notes.verify_signature_line(checkpoint_text, renamed, "pamong.kota-lain.go.id/ledger", raw_public(log_key))


def test_a_signature_fails_for_altered_text(log_key: Ed25519PrivateKey, checkpoint_text: str) -> None:
    line = notes.signature_line(ORIGIN, log_key, checkpoint_text)
    for altered in [checkpoint_text.replace("\n42\n", "\n43\n"), checkpoint_text + "extension\n", checkpoint_text[:-1]]:
        with pytest.raises(notes.NoteError):
            notes.verify_signature_line(altered, line, ORIGIN, raw_public(log_key))
    with pytest.raises(notes.NoteError):
        notes.verify_signature_line(
            PETER_TEXT.replace("cryptography", "cryptographY"), PETER_LINE, "PeterNeumann", raw_public(peter_key())
        )


def test_a_signature_with_a_flipped_byte_fails(log_key: Ed25519PrivateKey, checkpoint_text: str) -> None:
    blob = blob_of(notes.signature_line(ORIGIN, log_key, checkpoint_text))
    for position in (0, 4, 40, 67):
        changed = bytearray(blob)
        changed[position] ^= 1
        with pytest.raises(notes.NoteError):
            notes.verify_signature_line(checkpoint_text, line_with(ORIGIN, bytes(changed)), ORIGIN, raw_public(log_key))


@pytest.mark.parametrize(
    ("why", "line"),
    [
        ("a hyphen instead of the em dash", "- name AAAA\n"),
        ("no final newline", "— name " + "A" * 92),
        ("no name", "—  " + "A" * 92 + "\n"),
        ("a space in the name", "— two words " + "A" * 92 + "\n"),
        ("not base64", "— name " + "*" * 92 + "\n"),
        ("too short for a key ID and a signature", "— name " + base64.b64encode(b"x" * 67).decode() + "\n"),
    ],
)
def test_a_malformed_signature_line_is_refused(why: str, line: str) -> None:
    with pytest.raises(notes.NoteError):
        notes.parse_signature_line(line)


# --- verifier keys -----------------------------------------------------------------------------


def test_the_go_reference_verifier_keys_read_back() -> None:
    assert notes.parse_verifier_key(PETER_VERIFIER_KEY) == ("PeterNeumann", 1, raw_public(peter_key()))
    name, kind, public_key = notes.parse_verifier_key(ENOCH_VERIFIER_KEY)
    assert (name, kind, len(public_key)) == ("EnochRoot", 1, 32)
    name, kind, public_key = notes.parse_verifier_key(COSIGNATURE_VERIFIER_KEY)
    assert (name, kind) == ("remora.n621.de", notes.COSIGNATURE_V1)
    assert c2sp_key_id(name, 0x04, public_key).hex() == "da77ade7"


def test_a_verifier_key_whose_base64_holds_a_plus_reads_back() -> None:
    """Standard base64 uses '+': about half of all Ed25519 verifier keys contain one after the key ID."""
    name, kind, public_key = notes.parse_verifier_key(PLUS_VERIFIER_KEY)
    assert (name, kind, len(public_key)) == ("TEST", 1, 32)


@settings(max_examples=50, deadline=None)
@given(st.binary(min_size=32, max_size=32), st.sampled_from([notes.ED25519, notes.COSIGNATURE_V1]))
def test_every_verifier_key_reads_back(public_key: bytes, kind: int) -> None:
    assert notes.parse_verifier_key(notes.verifier_key(ORIGIN, public_key, kind)) == (ORIGIN, kind, public_key)


@pytest.mark.parametrize(
    ("why", "text"),
    [
        ("the key ID of another name", "PeterNeumann+af0cfe78+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        ("two parts", "PeterNeumann+c74f20a3"),
        ("not base64", "PeterNeumann+c74f20a3+not*base64"),
        ("an unknown key type", "PeterNeumann+c74f20a3+Alpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        ("a 31-byte key", "PeterNeumann+c74f20a3+" + base64.b64encode(b"\x01" + b"k" * 31).decode()),
        ("no key material at all", "PeterNeumann+c74f20a3+"),
    ],
)
def test_a_malformed_verifier_key_is_refused_as_a_note_error(why: str, text: str) -> None:
    with pytest.raises(notes.NoteError):
        notes.parse_verifier_key(text)


# --- cosignatures ------------------------------------------------------------------------------


def test_a_cosignature_verifies_and_gives_its_time(witness_key: Ed25519PrivateKey, checkpoint_text: str) -> None:
    line = notes.cosignature_line(WITNESS, witness_key, checkpoint_text, SIGNED_AT)
    assert notes.verify_cosignature_line(checkpoint_text, line, WITNESS, raw_public(witness_key)) == SIGNED_AT


def test_a_cosignature_is_key_id_type_0x04_then_the_time_then_the_signature(
    witness_key: Ed25519PrivateKey, checkpoint_text: str
) -> None:
    blob = blob_of(notes.cosignature_line(WITNESS, witness_key, checkpoint_text, SIGNED_AT))
    assert len(blob) == 4 + 8 + 64
    assert blob[:4] == c2sp_key_id(WITNESS, 0x04, raw_public(witness_key))
    assert blob[:4] != c2sp_key_id(WITNESS, 0x01, raw_public(witness_key))
    assert struct.unpack(">Q", blob[4:12]) == (SIGNED_AT,)
    message = f"cosignature/v1\ntime {SIGNED_AT}\n{checkpoint_text}".encode()
    Ed25519PublicKey.from_public_bytes(raw_public(witness_key)).verify(blob[12:], message)


def test_a_cosignature_fails_when_its_time_is_changed(witness_key: Ed25519PrivateKey, checkpoint_text: str) -> None:
    blob = blob_of(notes.cosignature_line(WITNESS, witness_key, checkpoint_text, SIGNED_AT))
    for timestamp in (SIGNED_AT + 1, SIGNED_AT - 1, 0):
        forged = blob[:4] + struct.pack(">Q", timestamp) + blob[12:]
        with pytest.raises(notes.NoteError):
            notes.verify_cosignature_line(checkpoint_text, line_with(WITNESS, forged), WITNESS, raw_public(witness_key))


def test_a_cosignature_fails_when_the_checkpoint_changes(witness_key: Ed25519PrivateKey, checkpoint_text: str) -> None:
    line = notes.cosignature_line(WITNESS, witness_key, checkpoint_text, SIGNED_AT)
    with pytest.raises(notes.NoteError):
        notes.verify_cosignature_line(
            checkpoint_text.replace("\n42\n", "\n41\n"), line, WITNESS, raw_public(witness_key)
        )


def test_a_cosignature_fails_for_another_witness(witness_key: Ed25519PrivateKey, checkpoint_text: str) -> None:
    line = notes.cosignature_line(WITNESS, witness_key, checkpoint_text, SIGNED_AT)
    with pytest.raises(notes.NoteError):
        notes.verify_cosignature_line(checkpoint_text, line, WITNESS, raw_public(Ed25519PrivateKey.generate()))
    with pytest.raises(notes.NoteError):
        notes.verify_cosignature_line(checkpoint_text, line, "kpu.kupang.go.id/saksi", raw_public(witness_key))


def test_a_note_signature_is_not_a_cosignature_nor_the_other_way_round(
    witness_key: Ed25519PrivateKey, checkpoint_text: str
) -> None:
    signature = notes.signature_line(WITNESS, witness_key, checkpoint_text)
    cosignature = notes.cosignature_line(WITNESS, witness_key, checkpoint_text, SIGNED_AT)
    with pytest.raises(notes.NoteError):
        notes.verify_cosignature_line(checkpoint_text, signature, WITNESS, raw_public(witness_key))
    with pytest.raises(notes.NoteError):
        notes.verify_signature_line(checkpoint_text, cosignature, WITNESS, raw_public(witness_key))


def test_a_cosignature_time_beyond_2_to_the_63_is_refused(witness_key: Ed25519PrivateKey, checkpoint_text: str) -> None:
    line = notes.cosignature_line(WITNESS, witness_key, checkpoint_text, 2**63)
    with pytest.raises(notes.NoteError):
        notes.verify_cosignature_line(checkpoint_text, line, WITNESS, raw_public(witness_key))


def test_a_cosignature_of_the_wrong_length_is_refused(witness_key: Ed25519PrivateKey, checkpoint_text: str) -> None:
    blob = blob_of(notes.cosignature_line(WITNESS, witness_key, checkpoint_text, SIGNED_AT))
    for changed in (blob[:-1], blob + b"\x00"):
        with pytest.raises(notes.NoteError):
            notes.verify_cosignature_line(
                checkpoint_text, line_with(WITNESS, changed), WITNESS, raw_public(witness_key)
            )


def test_a_cosignature_reads_like_the_c2sp_example() -> None:
    # c2sp.org/tlog-cosignature: its witness line carries the time 1679315147 of its signed message.
    _name, blob = notes.parse_signature_line(
        "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5"
        "nNo0xUe+mbIUBkBIfZ+qnA==\n"
    )
    assert len(blob) == 76 and struct.unpack(">Q", blob[4:12]) == (1679315147,)


# --- signed notes ------------------------------------------------------------------------------


def test_a_signed_note_splits_into_its_text_and_signature_lines(
    log_key: Ed25519PrivateKey, witness_key: Ed25519PrivateKey, checkpoint_text: str
) -> None:
    signature = notes.signature_line(ORIGIN, log_key, checkpoint_text)
    cosignature = notes.cosignature_line(WITNESS, witness_key, checkpoint_text, SIGNED_AT)
    assert notes.split_note(checkpoint_text + "\n" + signature + cosignature) == (
        checkpoint_text,
        [signature, cosignature],
    )


def test_a_note_text_may_hold_blank_lines_and_the_last_one_separates_the_signatures() -> None:
    key = peter_key()
    text = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n"
    line = notes.signature_line("PeterNeumann", key, text)
    assert notes.split_note(text + "\n" + line) == (text, [line])
    assert notes.split_note(PETER_TEXT + "\n" + PETER_LINE) == (PETER_TEXT, [PETER_LINE])


@pytest.mark.parametrize(
    ("why", "note"),
    [
        ("no blank line", PETER_TEXT + PETER_LINE),
        ("missing final newline", PETER_TEXT + "\n" + PETER_LINE.rstrip("\n")),
        ("no signature line", PETER_TEXT + "\n"),
        ("only blank lines after the text", PETER_TEXT + "\n\n\n"),
        ("a tab", PETER_TEXT.replace(" ", "\t", 1) + "\n" + PETER_LINE),
        ("a carriage return", PETER_TEXT.replace("\n", "\r\n", 1) + "\n" + PETER_LINE),
        ("a NUL", PETER_TEXT.replace("answer", "ans\x00wer") + "\n" + PETER_LINE),
        ("an escape in a signature line", PETER_TEXT + "\n" + PETER_LINE.replace("Peter", "\x1bPeter")),
    ],
)
def test_a_malformed_signed_note_is_refused(why: str, note: str) -> None:
    with pytest.raises(notes.NoteError):
        notes.split_note(note)
