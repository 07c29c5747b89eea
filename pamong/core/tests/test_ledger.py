"""The transparency ledger as a service: appending, checkpoints, proofs, cosignatures, verification.

Each test class signs with a key of its own, made in a temporary directory (PAMONG_LEDGER_KEY_FILE),
so no test touches var/keys. Besides the witness registrations the ledger records by itself, the tests
record a throwaway kind, "test.pemda", for Pemda rows they create.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import json
import os
import stat
import tempfile
import threading
import time
from io import StringIO
from pathlib import Path
from typing import Any, ClassVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import translation

from pamong.core import ledger, merkle, notes
from pamong.core.models import Checkpoint, Cosignature, LedgerEntry, LedgerHead, LedgerKey, LedgerNode, Witness
from pamong.core.testing import RaceMixin
from pamong.core.tests.test_merkle import rfc_mth
from pamong.organisation.models import Pemda

ROOT = Path(__file__).resolve().parents[3]
# Writers of a race rest this long between acts, as requests do. Without a rest SQLite's lock goes
# back to the writer that just let go (the others sleep in its busy handler) and nothing interleaves.
PAUSE = float(os.environ.get("LEDGER_RACE_PAUSE", "0.01"))
TEST_KIND = "test.pemda"


def pemda_payload(pemda: Pemda) -> dict[str, Any]:
    return {"code": pemda.code, "name": pemda.name}


ledger.register_kind(TEST_KIND, label="uji", model="organisation.Pemda", payload=pemda_payload)

_codes = itertools.count(1)


def make_pemda(code: str | None = None) -> Pemda:
    code = code or f"99.{next(_codes):05d}"
    return Pemda.objects.create(code=code, name=f"Pemerintah Uji {code}", short_name=f"Uji {code}")


def append_pemda() -> LedgerEntry:
    return ledger.append_entry(TEST_KIND, make_pemda(), by=None)


def public_key_of(key: Ed25519PrivateKey) -> bytes:
    return notes.public_bytes(key.public_key())


# Module-level: Django deep-copies what setUpTestData stores, and a private key does not copy.
WITNESS_NAME = "bawaslu.kupang.go.id/saksi"
WITNESS_BODY = "Bawaslu Kota Kupang"
WITNESS_KEY = Ed25519PrivateKey.generate()
STRANGER_KEY = Ed25519PrivateKey.generate()


def now_timestamp() -> int:
    return int(time.time())


def leaves_in_order() -> list[bytes]:
    return [bytes(h) for h in LedgerEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]


class LedgerKeyMixin:
    """A signing key in a temporary directory for the whole class, never var/keys. Mix into a TestCase."""

    key_file: ClassVar[Path]

    @classmethod
    def setUpClass(cls) -> None:
        key_dir = cls.enterClassContext(tempfile.TemporaryDirectory(prefix="pamong-ledger-key-"))
        cls.key_file = Path(key_dir) / "ledger-ed25519.pem"
        cls.enterClassContext(override_settings(PAMONG_LEDGER_KEY_FILE=cls.key_file))
        ledger._load_private_key.cache_clear()
        cls.addClassCleanup(ledger._load_private_key.cache_clear)
        super().setUpClass()

    def setUp(self) -> None:
        ledger._load_private_key.cache_clear()
        self.addCleanup(ledger._load_private_key.cache_clear)
        super().setUp()


# --- appending ---------------------------------------------------------------------------------


class AppendTests(LedgerKeyMixin, TestCase):
    def test_indices_run_from_zero_without_gaps(self) -> None:
        for _ in range(7):
            append_pemda()
        ledger.append_entries([ledger.Act(TEST_KIND, make_pemda()) for _ in range(5)], by=None)
        append_pemda()
        self.assertEqual(list(LedgerEntry.objects.values_list("index", flat=True)), list(range(13)))
        self.assertEqual(ledger.ledger_size(), 13)

    def test_entry_times_never_go_backwards(self) -> None:
        for _ in range(10):
            append_pemda()
        times = list(LedgerEntry.objects.order_by("index").values_list("created_at", flat=True))
        self.assertEqual(times, sorted(times))

    def test_a_batch_takes_consecutive_indices_and_one_time(self) -> None:
        append_pemda()
        batch = ledger.append_entries([ledger.Act(TEST_KIND, make_pemda()) for _ in range(4)], by=None)
        self.assertEqual([e.index for e in batch], [1, 2, 3, 4])
        self.assertEqual(len({e.created_at for e in batch}), 1)

    def test_the_leaf_is_the_canonical_json_of_the_act_with_only_a_hash_of_its_content(self) -> None:
        pemda = make_pemda("53.71")
        entry = ledger.append_entry(TEST_KIND, pemda, by=None)
        content = json.dumps(pemda_payload(pemda), sort_keys=True, separators=(",", ":")).encode()
        leaf = {
            "actor_role": "sistem",
            "content_sha256": hashlib.sha256(content).hexdigest(),
            "kind": TEST_KIND,
            "subject": f"organisation.pemda:{pemda.pk}",
            "time": entry.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "v": 1,
        }
        self.assertEqual(entry.leaf_input, json.dumps(leaf, sort_keys=True, separators=(",", ":")))
        self.assertNotIn("Pemerintah Uji", entry.leaf_input)
        self.assertEqual(bytes(entry.leaf_hash), hashlib.sha256(b"\x00" + entry.leaf_input.encode()).digest())
        self.assertEqual(len(entry.receipt_code), 16)

    def test_an_explicit_role_is_recorded_instead_of_the_system(self) -> None:
        entry = ledger.append_entry(TEST_KIND, make_pemda(), by=None, role="bkpsdm")
        self.assertEqual(entry.actor_role, "bkpsdm")
        self.assertIn('"actor_role":"bkpsdm"', entry.leaf_input)

    def test_it_refuses_an_unregistered_kind(self) -> None:
        with self.assertRaises(ValueError):
            ledger.append_entry("test.unknown", make_pemda(), by=None)
        self.assertEqual(LedgerEntry.objects.count(), 0)

    def test_it_refuses_a_payload_that_differs_from_what_the_record_yields(self) -> None:
        pemda = make_pemda()
        with self.assertRaises(ValueError):
            ledger.append_entry(TEST_KIND, pemda, {"code": pemda.code, "name": "Nama Lain"}, by=None)
        self.assertEqual(LedgerEntry.objects.count(), 0)
        ledger.append_entry(TEST_KIND, pemda, pemda_payload(pemda), by=None)
        self.assertEqual(LedgerEntry.objects.count(), 1)

    def test_it_refuses_a_record_of_another_model(self) -> None:
        witness = Witness.objects.create(name="w", body="b", public_key=bytes(32))
        with self.assertRaises(ValueError):
            ledger.append_entry(TEST_KIND, witness, by=None)

    def test_an_act_that_rolls_back_leaves_no_entry(self) -> None:
        with self.assertRaises(RuntimeError), transaction.atomic():
            append_pemda()
            raise RuntimeError("the act itself failed")
        self.assertEqual(LedgerEntry.objects.count(), 0)
        self.assertEqual(ledger.ledger_size(), 0)
        self.assertEqual(append_pemda().index, 0)


# --- checkpoints and proofs --------------------------------------------------------------------


class CheckpointTests(LedgerKeyMixin, TestCase):
    def test_an_empty_log_has_no_checkpoint(self) -> None:
        self.assertIsNone(ledger.issue_checkpoint())
        self.assertEqual(Checkpoint.objects.count(), 0)

    def test_nothing_appended_gives_the_same_checkpoint(self) -> None:
        append_pemda()
        first = ledger.issue_checkpoint()
        self.assertEqual(ledger.issue_checkpoint(), first)
        self.assertEqual(Checkpoint.objects.count(), 1)
        append_pemda()
        self.assertEqual(ledger.issue_checkpoint().size, 2)

    def test_a_checkpoint_is_signed_by_the_published_key(self) -> None:
        for _ in range(3):
            append_pemda()
        checkpoint = ledger.issue_checkpoint()
        origin = settings.PAMONG_LEDGER_ORIGIN
        public_key = public_key_of(ledger.signing_key())
        root = merkle.root_hash(3, merkle.PerfectNodes(leaves_in_order()))
        self.assertEqual(checkpoint.text, notes.Checkpoint(origin=origin, size=3, root=root).text)
        self.assertEqual(bytes(checkpoint.root_hash), root)
        notes.verify_signature_line(checkpoint.text, checkpoint.signature, origin, public_key)
        self.assertEqual(bytes(checkpoint.key.public_key), public_key)
        self.assertEqual(ledger.log_verifier_key(), notes.verifier_key(origin, public_key))
        self.assertEqual(ledger.signed_note(checkpoint), checkpoint.text + "\n" + checkpoint.signature)

    def test_the_private_key_lives_in_its_file_readable_by_its_owner_alone(self) -> None:
        append_pemda()
        ledger.issue_checkpoint()
        self.assertEqual(stat.S_IMODE(self.key_file.stat().st_mode), 0o600)
        self.assertEqual(LedgerKey.objects.count(), 1)
        self.assertEqual(len(bytes(LedgerKey.objects.get().public_key)), 32)

    def test_the_stored_tree_gives_the_root_of_the_leaves_for_every_size(self) -> None:
        for batch in [1, 2, 5, 1, 8, 3, 13]:
            for _ in range(batch):
                append_pemda()
            ledger.issue_checkpoint()
        inputs = [e.encode() for e in LedgerEntry.objects.order_by("index").values_list("leaf_input", flat=True)]
        for n in range(1, 34):
            self.assertEqual(ledger.stored_root(n), rfc_mth(inputs[:n]), f"size {n}")
        self.assertEqual(LedgerNode.objects.count(), sum(33 >> level for level in range(6)))

    def test_stored_proofs_verify_against_every_checkpoint(self) -> None:
        for batch in [1, 2, 3, 1, 5, 4, 1, 8, 2, 3, 7, 1, 2, 6]:
            for _ in range(batch):
                append_pemda()
            ledger.issue_checkpoint()
        leaves = leaves_in_order()
        checkpoints = list(Checkpoint.objects.order_by("size"))
        self.assertEqual(len(checkpoints), 14)
        for checkpoint in checkpoints:
            root = bytes(checkpoint.root_hash)
            for index in range(checkpoint.size):
                path = ledger.inclusion_proof(index, checkpoint.size)
                merkle.verify_inclusion(index, checkpoint.size, leaves[index], path, root)
        for older, newer in itertools.combinations_with_replacement(checkpoints, 2):
            proof = ledger.consistency_proof(older.size, newer.size)
            merkle.verify_consistency(older.size, newer.size, bytes(older.root_hash), bytes(newer.root_hash), proof)

    def test_proofs_for_sizes_between_checkpoints_verify_against_the_stored_root(self) -> None:
        for _ in range(21):
            append_pemda()
        ledger.issue_checkpoint()
        leaves = leaves_in_order()
        for size in (5, 11, 13):
            path = ledger.inclusion_proof(size - 1, size)
            merkle.verify_inclusion(size - 1, size, leaves[size - 1], path, ledger.stored_root(size))

    def assertProofError(self, message: str, call: Any, *args: int) -> None:
        with translation.override("id"), self.assertRaises(merkle.ProofError) as caught:
            call(*args)
        self.assertIn(message, str(caught.exception))

    def test_proof_requests_out_of_range_are_refused_in_indonesian(self) -> None:
        self.assertProofError("Ukuran pohon harus antara 1 dan 0", ledger.inclusion_proof, 0, 1)
        for _ in range(5):
            append_pemda()
        ledger.issue_checkpoint()
        append_pemda()  # in the log, but in no checkpoint yet
        self.assertProofError("Ukuran pohon harus antara 1 dan 5", ledger.inclusion_proof, 0, 0)
        self.assertProofError("Ukuran pohon harus antara 1 dan 5", ledger.inclusion_proof, 0, 6)
        self.assertProofError("Entri 5 tidak ada di pohon berukuran 5", ledger.inclusion_proof, 5, 5)
        self.assertProofError("Entri -1 tidak ada di pohon berukuran 5", ledger.inclusion_proof, -1, 5)
        self.assertProofError("Ukuran pertama harus antara 1 dan ukuran kedua (5)", ledger.consistency_proof, 0, 5)
        self.assertProofError("Ukuran pertama harus antara 1 dan ukuran kedua (4)", ledger.consistency_proof, 5, 4)
        self.assertProofError("Ukuran pohon harus antara 1 dan 5", ledger.consistency_proof, 1, 6)
        self.assertProofError("Entri 99 belum ada di buku besar", ledger.checkpoint_covering, 99)

    def test_an_entry_newer_than_the_checkpoint_gets_one_on_demand(self) -> None:
        for _ in range(3):
            append_pemda()
        ledger.issue_checkpoint()
        entry = append_pemda()
        self.assertEqual(ledger.checkpoint_covering(entry.index).size, 4)


# --- witnesses and cosignatures ----------------------------------------------------------------


class CosignatureTests(LedgerKeyMixin, TestCase):
    witness: ClassVar[Witness]
    checkpoint: ClassVar[Checkpoint]
    later: ClassVar[Checkpoint]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.witness = ledger.register_witness(
            name=WITNESS_NAME, body=WITNESS_BODY, public_key=public_key_of(WITNESS_KEY), by=None
        )
        append_pemda()
        cls.checkpoint = ledger.issue_checkpoint()
        append_pemda()
        cls.later = ledger.issue_checkpoint()

    def cosign(self, checkpoint: Checkpoint, *, at: int | None = None, key: Ed25519PrivateKey = WITNESS_KEY) -> str:
        return notes.cosignature_line(WITNESS_NAME, key, checkpoint.text, now_timestamp() if at is None else at)

    def assertRefused(self, message: str, line: str, checkpoint: Checkpoint | None = None) -> None:
        with translation.override("id"), self.assertRaises(ValidationError) as caught:
            ledger.add_cosignature(checkpoint or self.checkpoint, line)
        self.assertIn(message, " ".join(caught.exception.messages))
        self.assertEqual(Cosignature.objects.count(), 0)

    def test_a_witness_registration_is_itself_an_entry(self) -> None:
        entry = LedgerEntry.objects.get(index=0)
        self.assertEqual((entry.kind, entry.subject_id), ("ledger.witness", str(self.witness.pk)))
        self.assertEqual(
            entry.payload["verifier_key"], notes.verifier_key(WITNESS_NAME, public_key_of(WITNESS_KEY), 0x04)
        )

    def test_it_refuses_a_witness_key_that_is_not_32_bytes(self) -> None:
        with self.assertRaises(ValidationError):
            ledger.register_witness(name="kpu.kupang.go.id/saksi", body="KPU", public_key=bytes(31), by=None)

    def test_it_refuses_a_second_witness_of_the_same_name(self) -> None:
        with self.assertRaises(ValidationError):
            ledger.register_witness(name=WITNESS_NAME, body="Lain", public_key=bytes(32), by=None)

    def test_it_accepts_a_witness_cosignature(self) -> None:
        signed_at = now_timestamp() - 30
        line = self.cosign(self.checkpoint, at=signed_at)
        cosignature = ledger.add_cosignature(self.checkpoint, line)
        self.assertEqual(cosignature.witness, self.witness)
        self.assertEqual(cosignature.signed_at, dt.datetime.fromtimestamp(signed_at, tz=dt.UTC))
        self.assertTrue(ledger.signed_note(self.checkpoint).endswith(self.checkpoint.signature + line))

    def test_it_accepts_a_line_without_its_final_newline(self) -> None:
        ledger.add_cosignature(self.checkpoint, self.cosign(self.checkpoint).rstrip("\n"))
        self.assertTrue(Cosignature.objects.get().line.endswith("\n"))

    def test_cosigning_twice_changes_nothing(self) -> None:
        line = self.cosign(self.checkpoint, at=now_timestamp() - 60)
        first = ledger.add_cosignature(self.checkpoint, line)
        self.assertEqual(ledger.add_cosignature(self.checkpoint, line), first)
        self.assertEqual(ledger.add_cosignature(self.checkpoint, self.cosign(self.checkpoint)), first)
        self.assertEqual(Cosignature.objects.count(), 1)

    def test_it_refuses_garbage(self) -> None:
        for garbage in ["", "halo", "— ", f"— {WITNESS_NAME}", f"— {WITNESS_NAME} bukan*base64", "- a b"]:
            self.assertRefused("Baris tanda tangan harus berbentuk", garbage)

    def test_it_refuses_an_unknown_witness(self) -> None:
        line = notes.cosignature_line("kpu.kupang.go.id/saksi", STRANGER_KEY, self.checkpoint.text, now_timestamp())
        self.assertRefused("Tidak ada saksi terdaftar dengan nama kunci kpu.kupang.go.id/saksi", line)

    def test_it_refuses_a_retired_witness(self) -> None:
        Witness.objects.filter(pk=self.witness.pk).update(is_active=False)
        self.assertRefused("Tidak ada saksi terdaftar", self.cosign(self.checkpoint))

    def test_it_refuses_a_signature_over_another_checkpoint(self) -> None:
        line = self.cosign(self.later)
        self.assertRefused(f"tidak cocok dengan checkpoint berukuran {self.checkpoint.size}", line)

    def test_it_refuses_a_signature_by_another_key_under_the_witness_name(self) -> None:
        self.assertRefused("tidak cocok", self.cosign(self.checkpoint, key=STRANGER_KEY))

    def test_it_refuses_a_plain_note_signature(self) -> None:
        line = notes.signature_line(WITNESS_NAME, WITNESS_KEY, self.checkpoint.text)
        self.assertRefused("tidak cocok", line)

    def test_it_refuses_a_time_in_the_future(self) -> None:
        self.assertRefused("masa depan", self.cosign(self.checkpoint, at=now_timestamp() + 3600))

    def test_it_tolerates_a_witness_clock_a_minute_ahead(self) -> None:
        ledger.add_cosignature(self.checkpoint, self.cosign(self.checkpoint, at=now_timestamp() + 60))
        self.assertEqual(Cosignature.objects.count(), 1)

    def test_it_refuses_a_time_beyond_any_calendar_with_a_validation_error(self) -> None:
        # Valid signatures by the registered witness, over times Python's datetime cannot hold
        # (year 36812; and 2^62 s): bad input must give the Indonesian message, never a 500.
        for far in (2**40, 2**62):
            self.assertRefused("Waktu tanda tangan saksi", self.cosign(self.checkpoint, at=far))


# --- ledger_verify -----------------------------------------------------------------------------


class VerifyTests(LedgerKeyMixin, TestCase):
    """Entries 0–13: #0 registers the witness; checkpoints at 8 (cosigned) and 12; #12, #13 in none."""

    witness: ClassVar[Witness]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.witness = ledger.register_witness(
            name=WITNESS_NAME, body=WITNESS_BODY, public_key=public_key_of(WITNESS_KEY), by=None
        )
        for _ in range(7):
            append_pemda()
        first = ledger.issue_checkpoint()
        ledger.add_cosignature(first, notes.cosignature_line(WITNESS_NAME, WITNESS_KEY, first.text, now_timestamp()))
        for _ in range(4):
            append_pemda()
        ledger.issue_checkpoint()
        for _ in range(2):
            append_pemda()

    def verify(self, *args: str) -> str:
        out = StringIO()
        call_command("ledger_verify", *args, stdout=out, stderr=StringIO())
        return out.getvalue()

    def verify_fails(self, *args: str) -> str:
        err = StringIO()
        with translation.override("id"), self.assertRaises(CommandError) as caught:
            call_command("ledger_verify", *args, stdout=StringIO(), stderr=err)
        return str(caught.exception) + "\n" + err.getvalue()

    def subject_of(self, index: int) -> Pemda:
        return Pemda.objects.get(pk=LedgerEntry.objects.get(index=index).subject_id)

    def test_an_untouched_ledger_verifies(self) -> None:
        self.assertIn("Buku besar utuh: 14 entri, 2 checkpoint, 1 tanda tangan saksi", self.verify())

    def test_it_names_the_edited_record(self) -> None:
        pemda = self.subject_of(5)
        Pemda.objects.filter(pk=pemda.pk).update(name="Pemerintah Yang Diubah")
        message = self.verify_fails()
        self.assertIn("#5 (test.pemda)", message)
        self.assertIn(f"organisation.pemda:{pemda.pk} telah diubah", message)

    def test_it_names_the_edited_witness_record(self) -> None:
        Witness.objects.filter(pk=self.witness.pk).update(public_key=public_key_of(STRANGER_KEY))
        message = self.verify_fails()
        self.assertIn("#0 (ledger.witness)", message)
        self.assertIn(f"core.witness:{self.witness.pk}", message)

    def test_it_names_the_deleted_record(self) -> None:
        pemda = self.subject_of(13)
        Pemda.objects.filter(pk=pemda.pk).delete()
        self.assertIn(f"#13 (test.pemda): rekaman organisation.pemda:{pemda.pk} tidak ada lagi", self.verify_fails())

    def test_it_names_the_edited_leaf(self) -> None:
        entry = LedgerEntry.objects.get(index=3)
        LedgerEntry.objects.filter(index=3).update(leaf_input=entry.leaf_input.replace("sistem", "wali_kota"))
        self.assertIn("#3 (test.pemda): isi daun tidak cocok", self.verify_fails())

    def test_it_names_the_edited_leaf_hash(self) -> None:
        LedgerEntry.objects.filter(index=12).update(leaf_hash=bytes(32))
        self.assertIn("#12 (test.pemda): hash daun tidak cocok", self.verify_fails())

    def test_it_names_an_entry_rewritten_consistently_by_the_signed_tree(self) -> None:
        # Role, leaf and leaf hash rewritten together, so the entry agrees with itself and its record.
        entry = LedgerEntry.objects.get(index=6)
        leaf = entry.leaf_input.replace('"actor_role":"sistem"', '"actor_role":"wali_kota"')
        LedgerEntry.objects.filter(index=6).update(
            actor_role="wali_kota", leaf_input=leaf, leaf_hash=merkle.leaf_hash(leaf.encode())
        )
        self.assertIn("Entri #6 (test.pemda): kode tanda terima tidak cocok", self.verify_fails())

    def test_it_names_an_entry_rewritten_with_its_receipt_code_by_the_signed_tree(self) -> None:
        # Everything the row holds rewritten in agreement, receipt code too: only the tree remembers.
        entry = LedgerEntry.objects.get(index=6)
        leaf = entry.leaf_input.replace('"actor_role":"sistem"', '"actor_role":"wali_kota"')
        digest = merkle.leaf_hash(leaf.encode())
        LedgerEntry.objects.filter(index=6).update(
            actor_role="wali_kota", leaf_input=leaf, leaf_hash=digest, receipt_code=ledger.receipt_code_for(digest, 6)
        )
        self.assertIn("Entri #6 tidak cocok dengan pohon yang sudah ditandatangani", self.verify_fails())

    def test_it_names_the_edited_public_payload(self) -> None:
        LedgerEntry.objects.filter(index=2).update(payload={"code": "99.99999", "name": "Palsu"})
        self.assertIn("#2 (test.pemda): salinan isi publik telah diubah", self.verify_fails())

    def test_it_names_the_deleted_entry(self) -> None:
        LedgerEntry.objects.filter(index=4).delete()
        self.assertIn("Entri 4 hilang", self.verify_fails())

    def test_it_names_the_deleted_first_entry(self) -> None:
        LedgerEntry.objects.filter(index=0).delete()
        self.assertIn("Entri 0 hilang", self.verify_fails())

    def test_it_names_the_deleted_last_entry(self) -> None:
        LedgerEntry.objects.filter(index=13).delete()
        self.assertRegex(self.verify_fails(), r"Entri #?13\b")

    def swap(self, a: int, b: int) -> None:
        LedgerEntry.objects.filter(index=a).update(index=10**9)
        LedgerEntry.objects.filter(index=b).update(index=a)
        LedgerEntry.objects.filter(index=10**9).update(index=b)

    def test_it_names_the_swapped_neighbours(self) -> None:
        self.swap(9, 10)
        self.assertRegex(self.verify_fails().splitlines()[0], r"Entri #(9|10)\b")

    def test_it_names_the_first_of_two_swapped_entries(self) -> None:
        # After the swap, #3 holds what #5 held: #3 is the first entry that no longer matches.
        self.swap(3, 5)
        self.assertRegex(self.verify_fails().splitlines()[0], r"Entri #3\b")

    def test_it_names_the_swapped_entries_outside_any_checkpoint(self) -> None:
        self.swap(12, 13)
        self.assertRegex(self.verify_fails().splitlines()[0], r"Entri #(12|13)\b")

    def test_it_names_two_entries_of_one_batch_swapped_before_any_checkpoint(self) -> None:
        # One batch shares one time, and no signed tree covers it yet: only the receipt codes,
        # already handed out, still bind each entry to its index.
        ledger.append_entries([ledger.Act(TEST_KIND, make_pemda()) for _ in range(3)], by=None)
        self.swap(14, 16)
        self.assertRegex(self.verify_fails().splitlines()[0], r"Entri #(14|16)\b")

    def test_it_names_the_edited_checkpoint_root(self) -> None:
        Checkpoint.objects.filter(size=8).update(root_hash=bytes(32))
        self.assertIn("Checkpoint berukuran 8: akar pohon tidak cocok", self.verify_fails())

    def test_it_names_the_edited_checkpoint_text(self) -> None:
        checkpoint = Checkpoint.objects.get(size=12)
        Checkpoint.objects.filter(size=12).update(text=checkpoint.text.replace("\n12\n", "\n11\n"))
        self.assertIn("Checkpoint berukuran 12: akar pohon tidak cocok", self.verify_fails())

    def test_it_names_the_forged_checkpoint_signature(self) -> None:
        checkpoint = Checkpoint.objects.get(size=12)
        forged = notes.signature_line(checkpoint.key.name, STRANGER_KEY, checkpoint.text)
        Checkpoint.objects.filter(size=12).update(signature=forged)
        self.assertIn("Checkpoint berukuran 12: tanda tangan Pemda tidak sah", self.verify_fails())

    def test_it_names_a_checkpoint_signed_by_a_key_substituted_in_the_database(self) -> None:
        # Whoever can write the database can also re-sign every checkpoint with a key of their own
        # and store its public half as the log's key; only the published key may be trusted.
        origin = settings.PAMONG_LEDGER_ORIGIN
        LedgerKey.objects.update(
            public_key=public_key_of(STRANGER_KEY), key_id=notes.key_id(origin, public_key_of(STRANGER_KEY)).hex()
        )
        for checkpoint in Checkpoint.objects.all():
            Checkpoint.objects.filter(pk=checkpoint.pk).update(
                signature=notes.signature_line(origin, STRANGER_KEY, checkpoint.text)
            )
        self.assertIn("Checkpoint berukuran 8 ditandatangani kunci yang tidak diumumkan", self.verify_fails())

    def test_it_names_an_edited_receipt_code(self) -> None:
        # The code a citizen holds is receipt_code_for(leaf, index); changed, their receipt no longer resolves.
        LedgerEntry.objects.filter(index=5).update(receipt_code="AAAAAAAAAAAAAAAA")
        self.assertRegex(self.verify_fails(), r"Entri #?5\b")

    def test_it_names_the_forged_cosignature(self) -> None:
        checkpoint = Checkpoint.objects.get(size=8)
        forged = notes.cosignature_line(WITNESS_NAME, STRANGER_KEY, checkpoint.text, now_timestamp())
        Cosignature.objects.update(line=forged)
        self.assertIn(f"Checkpoint berukuran 8: tanda tangan saksi {WITNESS_BODY} tidak sah", self.verify_fails())

    def test_it_names_the_altered_cosignature(self) -> None:
        line = Cosignature.objects.get().line
        name, blob = notes.parse_signature_line(line)
        altered = bytearray(blob)
        altered[20] ^= 0x01
        Cosignature.objects.update(line=f"— {name} {base64.b64encode(bytes(altered)).decode()}\n")
        self.assertIn(f"Checkpoint berukuran 8: tanda tangan saksi {WITNESS_BODY} tidak sah", self.verify_fails())

    def test_it_names_the_edited_node(self) -> None:
        LedgerNode.objects.filter(level=1, index=2).update(hash=bytes(32))
        self.assertIn("Simpul pohon 1/2 tidak cocok", self.verify_fails())

    def test_it_names_the_deleted_node(self) -> None:
        LedgerNode.objects.filter(level=2, index=1).delete()
        self.assertIn("Simpul pohon 2/1 tidak cocok", self.verify_fails())

    def test_it_names_the_edited_leaf_node(self) -> None:
        LedgerNode.objects.filter(level=0, index=7).update(hash=bytes(32))
        self.assertIn("Entri #7 tidak cocok dengan pohon", self.verify_fails())

    def test_it_notices_a_log_size_edited_behind_its_back(self) -> None:
        LedgerHead.objects.update(size=15)
        self.assertIn("Entri #14 hilang: buku besar mencatat 15 entri, tetapi yang ada 14", self.verify_fails())

    def test_all_reports_every_mismatch(self) -> None:
        LedgerEntry.objects.filter(index=4).delete()
        LedgerNode.objects.filter(level=1, index=2).update(hash=bytes(32))
        Checkpoint.objects.filter(size=12).update(root_hash=bytes(32))
        report = self.verify_fails("--all")
        for problem in ["Entri 4 hilang", "Simpul pohon 1/2", "Checkpoint berukuran 12"]:
            self.assertIn(problem, report)


# --- concurrency -------------------------------------------------------------------------------


class ConcurrentAppendTests(LedgerKeyMixin, RaceMixin, TransactionTestCase):
    """Appends racing for the next index: every one lands, none twice, none skipped, in each
    writer's own order. On PostgreSQL the threads run in this process, each with its own
    connection. On SQLite they cannot: Django's SQLite test database lives in memory with a shared
    cache, whose table locks fail at once ("database table is locked") instead of waiting as the
    file database of a real deployment does. There the race runs in child processes against a file
    copy of the test database (WAL, BEGIN IMMEDIATE, as in settings), which is copied back to be checked.
    """

    THREADS = 8
    THREAD_APPENDS = 25
    PROCESSES = 4
    PROCESS_APPENDS = 50

    def test_threads_appending_at_once_get_distinct_gap_free_indices(self) -> None:
        workers = [f"T{t}" for t in range(self.THREADS)]
        if connection.vendor == "sqlite":
            self.race_in_children([workers], self.THREAD_APPENDS)
        else:
            self.race_in_threads(workers, self.THREAD_APPENDS)
        self.assertLedgerIsWhole(self.THREADS * self.THREAD_APPENDS)
        self.assertEachWorkerKeptItsOrder()

    def test_processes_appending_at_once_get_distinct_gap_free_indices(self) -> None:
        self.race_in_children([[f"P{p}"] for p in range(self.PROCESSES)], self.PROCESS_APPENDS)
        self.assertLedgerIsWhole(self.PROCESSES * self.PROCESS_APPENDS)
        self.assertEachWorkerKeptItsOrder()

    # --- the race ---

    def race_in_threads(self, workers: list[str], appends: int) -> None:
        start = threading.Barrier(len(workers))
        errors: list[BaseException] = []

        def work(worker: str) -> None:
            try:
                start.wait(timeout=30)
                for serial in range(appends):
                    with transaction.atomic():
                        ledger.append_entry(TEST_KIND, make_pemda(f"{worker}.{serial}"), by=None)
                    time.sleep(PAUSE)
            except BaseException as error:  # reported by the main thread
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=work, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [])

    def race_in_children(self, groups: list[list[str]], appends: int) -> None:
        """One child process per group of workers, each worker a thread of its child."""
        with tempfile.TemporaryDirectory(prefix="pamong-ledger-race-") as tmp:
            sync = Path(tmp)
            env = {
                **os.environ,
                "PAMONG_ENV": "test",
                "DJANGO_SETTINGS_MODULE": "pamong.settings",
                "PAMONG_LEDGER_KEY_FILE": str(sync / "unused.pem"),
                "LEDGER_RACE_SYNC": tmp,
                "LEDGER_RACE_APPENDS": str(appends),
                "LEDGER_RACE_PAUSE": str(PAUSE),
            }
            self.run_children(sync, RACE_CHILD, env, [{"LEDGER_RACE_WORKERS": ",".join(group)} for group in groups])

    # --- what must hold afterwards ---

    def assertLedgerIsWhole(self, expected: int) -> None:
        indices = list(LedgerEntry.objects.order_by("index").values_list("index", flat=True))
        self.assertEqual(len(indices), len(set(indices)), "an index was handed out twice")
        self.assertEqual(indices, list(range(expected)), "an index was lost or skipped")
        self.assertEqual(ledger.ledger_size(), expected)
        self.assertEqual(Pemda.objects.count(), expected)
        self.assertEqual(ledger.issue_checkpoint().size, expected)
        out = StringIO()
        call_command("ledger_verify", stdout=out, stderr=StringIO())
        self.assertIn(f"Buku besar utuh: {expected} entri", out.getvalue())

    def assertEachWorkerKeptItsOrder(self) -> None:
        by_worker: dict[str, list[tuple[int, int]]] = {}
        turns = []
        for index, code in LedgerEntry.objects.order_by("index").values_list("index", "payload__code"):
            worker, serial = code.split(".")
            by_worker.setdefault(worker, []).append((int(serial), index))
            if not turns or turns[-1] != worker:
                turns.append(worker)
        for appends in by_worker.values():
            self.assertEqual(sorted(appends), sorted(appends, key=lambda pair: pair[1]))
        # More turns than writers: they really raced, rather than each running alone in turn.
        self.assertGreater(len(turns), len(by_worker))


# Run by each child of the race above, through ``manage.py shell -c``: one thread per worker.
RACE_CHILD = """
import os, threading, time
from pathlib import Path
from django.db import connection, transaction
from pamong.core import ledger
from pamong.organisation.models import Pemda

ledger.register_kind("test.pemda", label="uji", model="organisation.Pemda",
                     payload=lambda p: {"code": p.code, "name": p.name})
workers = os.environ["LEDGER_RACE_WORKERS"].split(",")
appends = int(os.environ["LEDGER_RACE_APPENDS"])
sync = Path(os.environ["LEDGER_RACE_SYNC"])
pause = float(os.environ["LEDGER_RACE_PAUSE"])
errors = []

def work(worker):
    try:
        Pemda.objects.exists()  # connect before the start signal
        while not (sync / "go").exists():
            time.sleep(0.002)
        for serial in range(appends):
            with transaction.atomic():
                code = f"{worker}.{serial}"
                pemda = Pemda.objects.create(code=code, name=f"Pemerintah Uji {code}", short_name=f"Uji {code}")
                ledger.append_entry("test.pemda", pemda, by=None)
            time.sleep(pause)
    except BaseException as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=work, args=(w,)) for w in workers]
for thread in threads:
    thread.start()
(sync / f"ready-{workers[0]}").touch()
for thread in threads:
    thread.join()
if errors:
    raise SystemExit(" | ".join(errors))
"""
