"""The ledger's public face: the API, /transparansi/, /verifikasi/, receipts checked offline, the witness client."""

from __future__ import annotations

import base64
import copy
import importlib.util
import json
import os
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase, override_settings

from pamong.core import ledger, merkle, notes, receipts
from pamong.core.models import Checkpoint, Cosignature, LedgerEntry

ROOT = Path(__file__).resolve().parents[3]
SERVER = "http://testserver"
WITNESSES = {
    "inspektorat.kupang": "Inspektorat Daerah Kota Kupang",
    "kpu.kupang": "KPU Kota Kupang",
    "bawaslu.kupang": "Bawaslu Kota Kupang",
    "ombudsman.ntt": "Ombudsman RI Perwakilan NTT",
    "dprd.kupang": "DPRD Kota Kupang",
}


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"pamong_script_{name}", ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def flip(b64: str, position: int = 0) -> str:
    """The same base64 value with one byte changed."""
    raw = bytearray(base64.b64decode(b64))
    raw[position] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


class LedgerTestCase(TestCase):
    """Five witness registrations (five entries), checkpoints at sizes 3 and 5, a throwaway Pemda key."""

    first: Checkpoint
    second: Checkpoint
    witness_keys: dict[str, Ed25519PrivateKey]

    @classmethod
    def setUpClass(cls) -> None:
        keys = tempfile.TemporaryDirectory()
        cls.addClassCleanup(keys.cleanup)
        override = override_settings(PAMONG_LEDGER_KEY_FILE=Path(keys.name) / "ledger-ed25519.pem")
        override.enable()
        cls.addClassCleanup(override.disable)
        ledger._load_private_key.cache_clear()
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        cls.witness_keys = {name: Ed25519PrivateKey.generate() for name in WITNESSES}
        names = list(WITNESSES)
        for name in names[:3]:
            cls.register(name)
        cls.first = ledger.issue_checkpoint()  # type: ignore[assignment]
        for name in names[3:]:
            cls.register(name)
        cls.second = ledger.issue_checkpoint()  # type: ignore[assignment]

    @classmethod
    def register(cls, name: str) -> None:
        public_key = notes.public_bytes(cls.witness_keys[name].public_key())
        ledger.register_witness(name=name, body=WITNESSES[name], public_key=public_key, by=None)

    def setUp(self) -> None:
        ledger._load_private_key.cache_clear()
        self.anonymous = Client()

    def cosignature(self, name: str, checkpoint: Checkpoint, key: Ed25519PrivateKey | None = None) -> str:
        return notes.cosignature_line(name, key or self.witness_keys[name], checkpoint.text, int(time.time()))

    def cosign(self, name: str, checkpoint: Checkpoint) -> None:
        ledger.add_cosignature(checkpoint, self.cosignature(name, checkpoint))

    def entry(self, index: int) -> LedgerEntry:
        return LedgerEntry.objects.get(index=index)

    def code(self, index: int) -> str:
        return ledger.format_receipt_code(self.entry(index).receipt_code)

    def receipt(self, index: int) -> dict[str, Any]:
        response = self.anonymous.get(f"/verifikasi/{self.code(index)}/tanda-terima.json")
        self.assertEqual(response.status_code, 200)
        return json.loads(response.content)


class LedgerApiTests(LedgerTestCase):
    def test_the_checkpoint_is_a_signed_note_in_plain_text(self) -> None:
        response = self.anonymous.get("/api/v1/ledger/checkpoint")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        lines = response.content.decode().split("\n")
        self.assertEqual(lines[0], "pamong.kupang.go.id/ledger")
        self.assertEqual(lines[1], "5")
        self.assertEqual(base64.b64decode(lines[2]), bytes(self.second.root_hash))
        self.assertEqual(lines[3], "")
        self.assertTrue(lines[4].startswith("— pamong.kupang.go.id/ledger "))
        self.assertEqual(lines[5:], [""])
        name, _kind, public_key = receipts.parse_verifier_key(ledger.log_verifier_key())
        notes.verify_signature_line("\n".join(lines[:3]) + "\n", lines[4] + "\n", name, public_key)

    def test_an_empty_log_has_no_checkpoint_yet(self) -> None:
        ledger.reset_for_demo()
        response = self.anonymous.get("/api/v1/ledger/checkpoint")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["detail"], "Buku besar masih kosong; belum ada checkpoint.")
        self.assertEqual(self.anonymous.get("/api/v1/ledger/entries/0/proof").status_code, 404)

    def test_checkpoints_are_listed_newest_first_with_their_witnesses(self) -> None:
        self.cosign("bawaslu.kupang", self.second)
        self.cosign("kpu.kupang", self.second)
        response = self.anonymous.get("/api/v1/ledger/checkpoints")
        self.assertEqual(response.status_code, 200)
        items = response.json()["items"]
        self.assertEqual([item["size"] for item in items], [5, 3])
        self.assertEqual(items[0]["cosigned_by"], ["Bawaslu Kota Kupang", "KPU Kota Kupang"])
        self.assertEqual(items[1]["cosigned_by"], [])
        self.assertEqual(base64.b64decode(items[1]["root_hash"]), bytes(self.first.root_hash))
        self.assertEqual(response.json()["count"], 2)

    def test_a_checkpoint_of_any_issued_size_can_be_fetched(self) -> None:
        response = self.anonymous.get("/api/v1/ledger/checkpoints/3")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.decode().startswith(self.first.text + "\n— "))
        missing = self.anonymous.get("/api/v1/ledger/checkpoints/4")
        self.assertEqual(missing.status_code, 404)
        self.assertEqual(missing.json()["detail"], "Tidak ada checkpoint berukuran 4.")

    def test_an_entry_gives_its_leaf_input_kind_and_receipt_code(self) -> None:
        response = self.anonymous.get("/api/v1/ledger/entries/2")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["index"], 2)
        self.assertEqual(body["kind"], "ledger.witness")
        self.assertEqual(base64.b64decode(body["leaf_input"]).decode(), self.entry(2).leaf_input)
        self.assertEqual(body["receipt_code"], self.code(2))
        for index in (5, -1, 10**30):
            response = self.anonymous.get(f"/api/v1/ledger/entries/{index}")
            self.assertEqual(response.status_code, 404, index)
        self.assertEqual(response.json()["detail"], f"Entri {10**30} tidak ada di buku besar.")

    def test_every_inclusion_proof_leads_to_the_signed_root(self) -> None:
        leaves = [merkle.leaf_hash(self.entry(i).leaf_input.encode()) for i in range(5)]
        tree = merkle.PerfectNodes(leaves)
        for tree_size in (3, 4, 5):
            for index in range(tree_size):
                response = self.anonymous.get(f"/api/v1/ledger/entries/{index}/proof", {"tree_size": tree_size})
                self.assertEqual(response.status_code, 200, response.content)
                body = response.json()
                self.assertEqual((body["leaf_index"], body["tree_size"]), (index, tree_size))
                root = base64.b64decode(body["root_hash"])
                self.assertEqual(root, merkle.root_hash(tree_size, tree))
                path = [base64.b64decode(h) for h in body["audit_path"]]
                merkle.verify_inclusion(
                    index, tree_size, merkle.leaf_hash(base64.b64decode(body["leaf_input"])), path, root
                )
        self.assertEqual(merkle.root_hash(3, tree), bytes(self.first.root_hash))

    def test_the_proof_defaults_to_the_latest_checkpoint(self) -> None:
        body = self.anonymous.get("/api/v1/ledger/entries/1/proof").json()
        self.assertEqual(body["tree_size"], 5)
        self.assertEqual(base64.b64decode(body["root_hash"]), bytes(self.second.root_hash))

    def test_consistency_proofs_verify_between_any_two_sizes(self) -> None:
        leaves = [merkle.leaf_hash(self.entry(i).leaf_input.encode()) for i in range(5)]
        tree = merkle.PerfectNodes(leaves)
        for first in range(1, 6):
            for second in range(first, 6):
                response = self.anonymous.get("/api/v1/ledger/consistency", {"first": first, "second": second})
                self.assertEqual(response.status_code, 200, response.content)
                body = response.json()
                self.assertEqual((body["first"], body["second"]), (first, second))
                proof = [base64.b64decode(h) for h in body["proof"]]
                merkle.verify_consistency(
                    first, second, merkle.root_hash(first, tree), merkle.root_hash(second, tree), proof
                )
        body = self.anonymous.get("/api/v1/ledger/consistency", {"first": 3, "second": 5}).json()
        merkle.verify_consistency(
            3,
            5,
            bytes(self.first.root_hash),
            bytes(self.second.root_hash),
            [base64.b64decode(h) for h in body["proof"]],
        )

    def test_out_of_range_proofs_get_400_in_indonesian(self) -> None:
        cases = [
            ("/api/v1/ledger/entries/7/proof", {}, "Entri 7 tidak ada di pohon berukuran 5."),
            ("/api/v1/ledger/entries/4/proof", {"tree_size": 3}, "Entri 4 tidak ada di pohon berukuran 3."),
            ("/api/v1/ledger/entries/-1/proof", {}, "Entri -1 tidak ada di pohon berukuran 5."),
            (
                "/api/v1/ledger/entries/0/proof",
                {"tree_size": 9},
                "Ukuran pohon harus antara 1 dan 5 (ukuran checkpoint terakhir).",
            ),
            (
                "/api/v1/ledger/entries/0/proof",
                {"tree_size": 10**30},
                "Ukuran pohon harus antara 1 dan 5 (ukuran checkpoint terakhir).",
            ),
            (
                "/api/v1/ledger/consistency",
                {"first": 0, "second": 5},
                "Ukuran pertama harus antara 1 dan ukuran kedua (5).",
            ),
            (
                "/api/v1/ledger/consistency",
                {"first": 4, "second": 3},
                "Ukuran pertama harus antara 1 dan ukuran kedua (3).",
            ),
            (
                "/api/v1/ledger/consistency",
                {"first": 1, "second": 99},
                "Ukuran pohon harus antara 1 dan 5 (ukuran checkpoint terakhir).",
            ),
        ]
        for url, params, message in cases:
            response = self.anonymous.get(url, params)
            self.assertEqual(response.status_code, 400, (url, params))
            self.assertEqual(response.json(), {"detail": message})

    def test_a_size_that_is_not_a_number_gets_422_in_indonesian(self) -> None:
        response = self.anonymous.get("/api/v1/ledger/consistency", {"first": "satu", "second": 5})
        self.assertEqual(response.status_code, 422)
        self.assertIn("Permintaan tidak sah", response.json()["detail"])

    def test_the_keys_of_the_pemda_and_the_witnesses_are_published(self) -> None:
        body = self.anonymous.get("/api/v1/ledger/key").json()
        self.assertEqual(body["origin"], "pamong.kupang.go.id/ledger")
        self.assertEqual(body["verifier_key"], ledger.log_verifier_key())
        self.assertEqual(len(body["witnesses"]), 5)
        bawaslu = next(w for w in body["witnesses"] if w["name"] == "bawaslu.kupang")
        self.assertEqual(bawaslu["body"], "Bawaslu Kota Kupang")
        _name, kind, public_key = receipts.parse_verifier_key(bawaslu["verifier_key"])
        self.assertEqual(kind, notes.COSIGNATURE_V1)
        self.assertEqual(public_key, notes.public_bytes(self.witness_keys["bawaslu.kupang"].public_key()))

    def post_cosignature(self, size: int, line: Any) -> Any:
        return self.anonymous.post(
            f"/api/v1/ledger/checkpoints/{size}/cosignatures", {"signature_line": line}, content_type="application/json"
        )

    def test_a_witness_cosigns_with_its_signature_alone(self) -> None:
        line = self.cosignature("bawaslu.kupang", self.second)
        response = self.post_cosignature(5, line)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["body"], "Bawaslu Kota Kupang")
        self.assertEqual(self.post_cosignature(5, line).status_code, 200)  # sending it again is harmless
        self.assertEqual(Cosignature.objects.filter(checkpoint=self.second).count(), 1)
        note = self.anonymous.get("/api/v1/ledger/checkpoint").content.decode()
        self.assertTrue(note.endswith(line))

    def test_a_malformed_or_wrong_cosignature_gets_400(self) -> None:
        stranger = Ed25519PrivateKey.generate()
        cases = [
            ("halo", "Baris tanda tangan harus berbentuk '— <nama kunci> <tanda tangan base64>'."),
            ("— bawaslu.kupang bukan-base64!", "Baris tanda tangan harus berbentuk"),
            (
                self.cosignature("bawaslu.kupang", self.second, key=stranger),
                "Tanda tangan saksi bawaslu.kupang tidak cocok dengan checkpoint berukuran 5.",
            ),
            (  # a genuine cosignature of another checkpoint
                self.cosignature("kpu.kupang", self.first),
                "Tanda tangan saksi kpu.kupang tidak cocok dengan checkpoint berukuran 5.",
            ),
            (
                self.cosignature("penyusup", self.second, key=stranger),
                "Tidak ada saksi terdaftar dengan nama kunci penyusup.",
            ),
        ]
        for line, message in cases:
            response = self.post_cosignature(5, line)
            self.assertEqual(response.status_code, 400, line)
            self.assertIn(message, response.json()["detail"])
        self.assertFalse(Cosignature.objects.exists())

    def test_a_cosignature_for_an_unknown_checkpoint_gets_404(self) -> None:
        response = self.post_cosignature(4, self.cosignature("kpu.kupang", self.first))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["detail"], "Tidak ada checkpoint berukuran 4.")
        self.assertEqual(self.post_cosignature(10**30, "halo").status_code, 404)

    def test_a_cosignature_request_without_a_line_gets_422(self) -> None:
        response = self.anonymous.post("/api/v1/ledger/checkpoints/5/cosignatures", {}, content_type="application/json")
        self.assertEqual(response.status_code, 422)
        response = self.anonymous.post(
            "/api/v1/ledger/checkpoints/5/cosignatures", "bukan json", content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)

    def test_the_ledger_api_is_in_the_openapi_document(self) -> None:
        document = self.anonymous.get("/api/v1/openapi.json").json()
        for path in [
            "/api/v1/ledger/checkpoint",
            "/api/v1/ledger/checkpoints",
            "/api/v1/ledger/checkpoints/{size}",
            "/api/v1/ledger/entries/{index}",
            "/api/v1/ledger/entries/{index}/proof",
            "/api/v1/ledger/consistency",
            "/api/v1/ledger/key",
            "/api/v1/ledger/checkpoints/{size}/cosignatures",
        ]:
            self.assertIn(path, document["paths"])
        checkpoint = document["paths"]["/api/v1/ledger/checkpoint"]["get"]
        self.assertEqual(checkpoint["tags"], ["buku besar"])
        self.assertIn("text/plain", checkpoint["responses"]["200"]["content"])
        self.assertTrue(checkpoint["summary"].startswith("Checkpoint terbaru"))

    def test_the_public_api_is_throttled(self) -> None:
        statuses = [self.anonymous.get("/api/v1/ledger/key").status_code for _ in range(61)]
        self.assertEqual(statuses[:60], [200] * 60)
        self.assertEqual(statuses[60], 429)


class TransparencyPageTests(LedgerTestCase):
    def test_the_page_shows_checkpoint_key_witnesses_and_entries_to_anyone(self) -> None:
        self.cosign("bawaslu.kupang", self.second)
        self.cosign("kpu.kupang", self.first)
        response = self.anonymous.get("/transparansi/")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("Transparansi", page)
        self.assertIn('<pre class="note">pamong.kupang.go.id/ledger\n5\n', page)
        self.assertIn(ledger.log_verifier_key(), page)
        for body in WITNESSES.values():
            self.assertIn(body, page)
        self.assertIn("Sudah menandatangani checkpoint terbaru.", page)  # Bawaslu
        self.assertIn("Checkpoint terbesar yang ditandatangani: ukuran 5.", page)
        self.assertIn("Belum menandatangani checkpoint terbaru.", page)  # KPU cosigned only the first
        self.assertIn("Checkpoint terbesar yang ditandatangani: ukuran 3.", page)
        self.assertIn("Belum pernah menandatangani checkpoint.", page)
        self.assertIn("Pendaftaran saksi checkpoint", page)
        for index in range(5):
            self.assertIn(f'href="/verifikasi/{self.code(index)}/"', page)
        self.assertIn(" WITA", page)

    def test_the_page_needs_the_same_queries_however_many_witnesses_and_entries(self) -> None:
        self.anonymous.get("/transparansi/")
        with self.assertNumQueries(7):
            self.anonymous.get("/transparansi/")
        self.cosign("bawaslu.kupang", self.second)
        self.cosign("kpu.kupang", self.second)
        self.cosign("kpu.kupang", self.first)
        with self.assertNumQueries(7):
            self.anonymous.get("/transparansi/")

    def test_the_page_works_on_an_empty_ledger(self) -> None:
        ledger.reset_for_demo()
        response = self.anonymous.get("/transparansi/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Buku besar masih kosong; belum ada checkpoint.")

    def test_the_page_speaks_english_on_request(self) -> None:
        self.anonymous.post("/i18n/setlang/", {"language": "en", "next": "/transparansi/"})
        page = self.anonymous.get("/transparansi/").content.decode()
        self.assertIn("Check a receipt", page)
        self.assertIn("Latest checkpoint", page)
        self.assertNotIn("Periksa tanda terima", page)

    def test_the_menu_links_to_the_transparency_page_for_everyone(self) -> None:
        self.assertContains(self.anonymous.get("/"), 'href="/transparansi/"')

    def test_a_receipt_code_leads_to_its_verification_page(self) -> None:
        code = self.code(3)
        sloppy = code.replace("-", "").lower()
        response = self.anonymous.get("/transparansi/", {"kode": sloppy})
        self.assertRedirects(response, f"/verifikasi/{code}/")

    def test_a_malformed_receipt_code_gets_a_message_on_the_page(self) -> None:
        response = self.anonymous.get("/transparansi/", {"kode": "12345"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kode tanda terima terdiri dari 16 huruf")

    def test_an_uploaded_receipt_is_checked_step_by_step(self) -> None:
        self.cosign("inspektorat.kupang", self.second)
        data = json.dumps(self.receipt(2)).encode()
        response = self.anonymous.post(
            "/transparansi/", {"berkas": SimpleUploadedFile("tanda-terima.json", data, "application/json")}
        )
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("Tanda terima SAH: entri #2 tercatat di checkpoint berukuran 5", page)
        self.assertIn("Bukti inklusi", page)
        self.assertIn("Tanda tangan Pemda", page)
        self.assertIn("Disaksikan oleh Inspektorat Daerah Kota Kupang", page)
        self.assertNotIn("Gagal", page)

    def test_an_uploaded_tampered_receipt_is_not_valid(self) -> None:
        document = self.receipt(2)
        document["inclusion_proof"]["audit_path"][0] = flip(document["inclusion_proof"]["audit_path"][0])
        response = self.anonymous.post(
            "/transparansi/",
            {"berkas": SimpleUploadedFile("t.json", json.dumps(document).encode(), "application/json")},
        )
        self.assertContains(response, "Tanda terima TIDAK SAH")
        self.assertContains(response, "Gagal")

    def test_an_uploaded_receipt_signed_by_another_key_is_not_valid(self) -> None:
        document = self.receipt(2)
        forger = Ed25519PrivateKey.generate()
        text, _lines = notes.split_note(document["checkpoint"])
        document["checkpoint"] = text + "\n" + notes.signature_line("pamong.kupang.go.id/ledger", forger, text)
        document["log_key"] = notes.verifier_key("pamong.kupang.go.id/ledger", notes.public_bytes(forger.public_key()))
        response = self.anonymous.post(
            "/transparansi/",
            {"berkas": SimpleUploadedFile("t.json", json.dumps(document).encode(), "application/json")},
        )
        self.assertContains(response, "Tanda terima TIDAK SAH")
        self.assertContains(response, "Tidak ada tanda tangan Pemda yang sah")

    def test_a_bad_upload_gets_an_indonesian_message(self) -> None:
        cases = [
            (b"bukan json", "Berkas bukan JSON yang sah."),
            (b"\xff\xfe", "Berkas bukan JSON yang sah."),
            (b"[" * 100_000, "Berkas bukan JSON yang sah."),
            (b"[1, 2]", "Berkas JSON ini bukan tanda terima Pamong."),
            (b" " * (256 * 1024 + 1), "Berkas terlalu besar"),
        ]
        for data, message in cases:
            response = self.anonymous.post("/transparansi/", {"berkas": SimpleUploadedFile("x.json", data)})
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, message)
        response = self.anonymous.post("/transparansi/", {"berkas": SimpleUploadedFile("x.json", b'{"a": 1}')})
        self.assertContains(response, "Format harus pamong-receipt/v1.")

    # django-ratelimit counts in fixed one-minute windows: frozen time keeps the loop in one window
    # (a run straddling a minute boundary would otherwise start counting afresh).
    @mock.patch("django_ratelimit.core.time.time", return_value=1_800_000_000.0)
    def test_the_receipt_verifier_is_rate_limited(self, _clock: mock.Mock) -> None:
        for _ in range(30):
            self.assertEqual(self.anonymous.post("/transparansi/", {}).status_code, 200)
        response = self.anonymous.post("/transparansi/", {})
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Terlalu banyak permintaan", status_code=429)
        self.assertEqual(self.anonymous.get("/transparansi/").status_code, 200)  # reading stays open


class VerificationPageTests(LedgerTestCase):
    def test_the_page_shows_the_entry_and_each_check_in_words(self) -> None:
        self.cosign("bawaslu.kupang", self.second)
        code = self.code(1)
        response = self.anonymous.get(f"/verifikasi/{code}/")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn(code, page)
        self.assertIn("Pendaftaran saksi checkpoint", page)
        self.assertIn("#1", page)
        self.assertIn(" WITA", page)
        # The public payload, as a definition list.
        self.assertIn('<dt>Lembaga</dt><dd class="wrap">KPU Kota Kupang</dd>', page)
        self.assertIn("Terbukti: entri ini tercatat di checkpoint berukuran 5 yang ditandatangani Pemda.", page)
        for label in ("Bukti inklusi", "Checkpoint", "Tanda tangan Pemda", "Tanda tangan saksi bawaslu.kupang"):
            self.assertIn(f"<strong>Lulus</strong> · {label}", page)
        self.assertNotIn("Gagal", page)
        self.assertIn("Disaksikan oleh Bawaslu Kota Kupang", page)
        self.assertIn(f'href="/verifikasi/{code}/tanda-terima.json"', page)

    def test_the_qr_code_is_inline_svg_without_inline_styles(self) -> None:
        code = self.code(0)
        page = self.anonymous.get(f"/verifikasi/{code}/").content.decode()
        svg = page[page.index("<svg") : page.index("</svg>")]
        self.assertNotIn("style", svg)
        self.assertIn(f"http://testserver/verifikasi/{code}/", page)

    def test_a_new_entry_gets_a_checkpoint_on_demand(self) -> None:
        key = Ed25519PrivateKey.generate()
        ledger.register_witness(
            name="ori.ntt", body="Ombudsman NTT", public_key=notes.public_bytes(key.public_key()), by=None
        )
        self.assertFalse(Checkpoint.objects.filter(size=6).exists())
        response = self.anonymous.get(f"/verifikasi/{self.code(5)}/")
        self.assertContains(response, "checkpoint berukuran 6 yang ditandatangani Pemda")
        self.assertTrue(Checkpoint.objects.filter(size=6).exists())

    def test_an_unknown_or_malformed_code_gets_a_friendly_404(self) -> None:
        for code in ["AAAA-AAAA-AAAA-AAAA", "bukan-kode", "x" * 200]:
            response = self.anonymous.get(f"/verifikasi/{code}/")
            self.assertEqual(response.status_code, 404, code)
            self.assertContains(response, "Tanda terima tidak ditemukan", status_code=404)
            self.assertEqual(self.anonymous.get(f"/verifikasi/{code}/tanda-terima.json").status_code, 404)

    def test_an_unknown_page_gets_the_generic_404_page(self) -> None:
        response = self.anonymous.get("/tidak-ada/")
        self.assertContains(response, "Halaman tidak ditemukan", status_code=404)

    @mock.patch("django_ratelimit.core.time.time", return_value=1_800_000_000.0)
    def test_the_verification_pages_are_rate_limited(self, _clock: mock.Mock) -> None:
        for _ in range(30):
            self.assertEqual(self.anonymous.get("/verifikasi/AAAA-AAAA-AAAA-AAAA/").status_code, 404)
        response = self.anonymous.get(f"/verifikasi/{self.code(0)}/")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Tunggu sekitar satu menit", status_code=429)
        self.assertEqual(self.anonymous.get(f"/verifikasi/{self.code(0)}/tanda-terima.json").status_code, 429)
        other = Client(REMOTE_ADDR="10.0.0.2")
        self.assertEqual(other.get(f"/verifikasi/{self.code(0)}/").status_code, 200)


class ReceiptTests(LedgerTestCase):
    def test_the_receipt_file_is_an_attachment_that_checks_out(self) -> None:
        self.cosign("kpu.kupang", self.second)
        self.cosign("dprd.kupang", self.second)
        response = self.anonymous.get(f"/verifikasi/{self.code(4)}/tanda-terima.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Disposition"], f'attachment; filename="tanda-terima-{self.code(4)}.json"')
        document = json.loads(response.content)
        check = receipts.check_receipt(document, trusted_log_key=ledger.log_verifier_key())
        self.assertTrue(check.ok, check.steps)
        self.assertTrue(check.key_trusted)
        self.assertEqual((check.index, check.tree_size), (4, 5))
        self.assertEqual(check.receipt_code, self.code(4))
        self.assertEqual(check.entry["kind"], "ledger.witness")  # type: ignore[index]
        self.assertEqual(check.payload["body"], "DPRD Kota Kupang")  # type: ignore[index]
        self.assertEqual(sorted(check.cosigned_by), ["dprd.kupang", "kpu.kupang"])

    def test_without_a_trusted_key_the_check_says_to_compare_the_key(self) -> None:
        check = receipts.check_receipt(self.receipt(0))
        self.assertTrue(check.ok)
        self.assertFalse(check.key_trusted)
        key_step = next(step for step in check.steps if step.label == "Kunci Pemda")
        self.assertIn("Bandingkan dengan kunci yang diumumkan", key_step.detail)

    def tampered(self) -> dict[str, Any]:
        self.cosign("kpu.kupang", self.second)
        good = self.receipt(2)
        text, lines = notes.split_note(good["checkpoint"])
        origin, size, root, _ = text.split("\n")
        variants: dict[str, dict[str, Any]] = {}

        def variant(name: str) -> dict[str, Any]:
            variants[name] = copy.deepcopy(good)
            return variants[name]

        variant("audit_path")["inclusion_proof"]["audit_path"][1] = flip(good["inclusion_proof"]["audit_path"][1])
        variant("leaf_input")["entry"]["leaf_input"] = flip(good["entry"]["leaf_input"], 10)
        variant("root")["checkpoint"] = f"{origin}\n{size}\n{flip(root)}\n\n" + "".join(lines)
        variant("size")["checkpoint"] = f"{origin}\n6\n{root}\n\n" + "".join(lines)
        variant("tree_size")["inclusion_proof"]["tree_size"] = 4
        variant("index")["entry"]["index"] = 3
        variant("signature")["checkpoint"] = (
            text + "\n" + lines[0][:-10] + ("A" if lines[0][-10] != "A" else "B") + lines[0][-9:] + "".join(lines[1:])
        )
        variant("cosignature")["checkpoint"] = text + "\n" + "".join(lines[:-1]) + lines[-1][:-6] + "AAAAA\n"
        variant("payload")["entry"]["payload"]["body"] = "Lembaga Palsu"
        variant("receipt_code")["receipt_code"] = "AAAA-AAAA-AAAA-AAAA"
        variant("witness_key")["witness_keys"] = []
        return {"good": good, **variants}

    def test_a_tampered_receipt_is_not_valid(self) -> None:
        documents = self.tampered()
        self.assertTrue(receipts.check_receipt(documents.pop("good"), trusted_log_key=ledger.log_verifier_key()).ok)
        for name, document in documents.items():
            check = receipts.check_receipt(document, trusted_log_key=ledger.log_verifier_key())
            self.assertFalse(check.ok, name)
            self.assertTrue(any(not step.passed for step in check.steps), name)

    def test_a_malformed_receipt_is_reported_never_raised(self) -> None:
        good = self.receipt(1)  # no witness has cosigned, so an empty list of witness keys is fine
        junk: list[Any] = [None, [], "teks", 42, {}, {"format": "pamong-receipt/v1"}]
        # Optional parts: the file's own key (a trusted key is given), the code, the public payload.
        optional = {"receipt_code", "witness_keys", "payload"}
        for key in list(good):
            for value in (None, 7, "x", [], {}, [None], {"a": 1}, True, -1, 10**40, "—\n\n— x y\n"):
                if key == "log_key" or (key in optional and value in (None, [])):
                    continue
                junk.append({**copy.deepcopy(good), key: value})
        for part in ("entry", "inclusion_proof"):
            for field in list(good[part]):
                for value in (None, "x", [], ["!!"], -5, 2**70, True, {"b": 1.5}, [1e400]):
                    if not (field in optional and value is None):
                        document = copy.deepcopy(good)
                        document[part][field] = value
                        junk.append(document)
        for document in junk:
            check = receipts.check_receipt(document, trusted_log_key=ledger.log_verifier_key())
            self.assertFalse(check.ok, document)
            self.assertTrue(check.steps)
            self.assertTrue(any(not step.passed for step in check.steps))
        self.assertFalse(receipts.check_receipt(good, trusted_log_key="bukan kunci").ok)

    def test_each_broken_part_is_named_in_its_own_step(self) -> None:
        good = self.receipt(2)
        text, lines = notes.split_note(good["checkpoint"])
        origin, _size, root, _ = text.split("\n")
        cases = [
            ("checkpoint", f"{origin}\n\u00b2\n{root}\n\n" + "".join(lines), "Checkpoint"),
            ("checkpoint", text + "\n", "Checkpoint"),
            ("format", "pamong-receipt/v2", "Format tanda terima"),
        ]
        for field, value, label in cases:
            check = receipts.check_receipt({**good, field: value}, trusted_log_key=ledger.log_verifier_key())
            self.assertFalse(check.ok)
            self.assertEqual((check.steps[-1].label, check.steps[-1].passed), (label, False), value)

    def test_the_checker_imports_no_django(self) -> None:
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]); import pamong.core.receipts; "
            "assert 'django' not in sys.modules, 'django imported'"
        )
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        subprocess.run([sys.executable, "-c", code, str(ROOT)], check=True, env=env, timeout=60)

    def test_the_offline_script_accepts_a_good_receipt_and_rejects_a_tampered_one(self) -> None:
        documents = self.tampered()
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        with tempfile.TemporaryDirectory() as folder:

            def run(document: Any, *extra: str) -> subprocess.CompletedProcess[str]:
                path = Path(folder) / "tanda-terima.json"
                path.write_text(json.dumps(document) if not isinstance(document, str) else document)
                return subprocess.run(
                    [sys.executable, str(ROOT / "scripts" / "verify_receipt.py"), str(path), *extra],
                    capture_output=True,
                    text=True,
                    env=env,
                    timeout=60,
                )

            good = run(documents["good"], "--log-key", ledger.log_verifier_key())
            self.assertEqual(good.returncode, 0, good.stdout + good.stderr)
            self.assertIn("SAH: entri #2 tercatat di checkpoint berukuran 5", good.stdout)
            self.assertIn("Disaksikan oleh: kpu.kupang", good.stdout)
            self.assertNotIn("PERHATIAN", good.stdout)

            untrusted = run(documents["good"])
            self.assertEqual(untrusted.returncode, 0)
            self.assertIn("PERHATIAN", untrusted.stdout)

            for name in ("audit_path", "leaf_input", "root", "signature"):
                bad = run(documents[name], "--log-key", ledger.log_verifier_key())
                self.assertEqual(bad.returncode, 1, name)
                self.assertIn("✗ GAGAL", bad.stdout)
                self.assertIn("TIDAK SAH", bad.stdout)

            other_key = notes.verifier_key("pamong.kupang.go.id/ledger", bytes(32))
            self.assertEqual(run(documents["good"], "--log-key", other_key).returncode, 1)
            self.assertEqual(run("bukan json").returncode, 1)

    def test_a_verifier_key_whose_base64_holds_a_plus_sign_is_read(self) -> None:
        while True:
            public_key = notes.public_bytes(Ed25519PrivateKey.generate().public_key())
            vkey = notes.verifier_key("saksi.uji", public_key, notes.COSIGNATURE_V1)
            if "+" in vkey.split("+", 2)[2]:
                break
        self.assertEqual(receipts.parse_verifier_key(vkey), ("saksi.uji", notes.COSIGNATURE_V1, public_key))
        for bad in ("", "a+b", "saksi.uji+00000000+" + vkey.split("+", 2)[2], vkey + "A"):
            with self.assertRaises(notes.NoteError):
                receipts.parse_verifier_key(bad)


class ClientTransport:
    """The witness client's HTTP transport, answered by Django's test client instead of a socket."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def get(self, url: str) -> tuple[int, bytes]:
        response = self.client.get(url.removeprefix(SERVER))
        return response.status_code, response.content

    def post_json(self, url: str, body: dict[str, Any]) -> tuple[int, bytes]:
        response = self.client.post(url.removeprefix(SERVER), body, content_type="application/json")
        return response.status_code, response.content


class WitnessClientTests(LedgerTestCase):
    witness = load_script("pamong_witness")

    def setUp(self) -> None:
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        self.said: list[str] = []

    def run_witness(self, name: str = "bawaslu.kupang", log_key: str | None = None) -> int:
        return self.witness.cosign(  # type: ignore[no-any-return]
            server=SERVER,
            key=self.witness_keys[name],
            name=name,
            log_key=log_key or ledger.log_verifier_key(),
            state_path=self.folder / f"{name}.state.json",
            transport=ClientTransport(self.anonymous),
            say=self.said.append,
        )

    def test_keygen_writes_a_private_key_and_prints_the_verifier_key(self) -> None:
        out = self.folder / "kpu.pem"
        self.assertEqual(self.witness.keygen("kpu.kota-kupang", out, say=self.said.append), 0)
        self.assertEqual(stat.S_IMODE(out.stat().st_mode), 0o600)
        vkey = next(line for line in self.said if line.startswith("kpu.kota-kupang+"))
        name, kind, public_key = receipts.parse_verifier_key(vkey)
        self.assertEqual((name, kind), ("kpu.kota-kupang", notes.COSIGNATURE_V1))
        self.assertEqual(notes.public_bytes(self.witness.load_key(out).public_key()), public_key)
        self.assertEqual(self.witness.keygen("kpu.kota-kupang", out, say=self.said.append), 1)  # never overwrites
        self.assertEqual(self.witness.keygen("nama dengan spasi", self.folder / "x.pem", say=self.said.append), 1)

    def test_a_witness_cosigns_then_checks_consistency_before_cosigning_again(self) -> None:
        self.assertEqual(self.run_witness(), 0, self.said)
        self.assertTrue(Cosignature.objects.filter(checkpoint=self.second, witness__name="bawaslu.kupang").exists())
        state = json.loads((self.folder / "bawaslu.kupang.state.json").read_text())
        self.assertEqual(state["size"], 5)

        key = Ed25519PrivateKey.generate()
        ledger.register_witness(
            name="ori.ntt", body="Ombudsman NTT", public_key=notes.public_bytes(key.public_key()), by=None
        )
        newer = ledger.issue_checkpoint()
        assert newer is not None
        self.assertEqual(self.run_witness(), 0, self.said)
        self.assertIn("Bukti konsistensi dari ukuran 5 ke 6 sah: riwayat hanya ditambah.", self.said)
        self.assertTrue(Cosignature.objects.filter(checkpoint=newer, witness__name="bawaslu.kupang").exists())
        self.assertIn("— bawaslu.kupang ", self.anonymous.get("/api/v1/ledger/checkpoint").content.decode())

    def test_a_witness_refuses_to_cosign_a_rewritten_history(self) -> None:
        self.first.delete()  # only the size-5 checkpoint remains to be served
        state = self.folder / "bawaslu.kupang.state.json"
        forged_root = base64.b64encode(bytes(32)).decode()
        state.write_text(json.dumps({"origin": "pamong.kupang.go.id/ledger", "size": 3, "root_hash": forged_root}))
        self.assertEqual(self.run_witness(), 3)
        self.assertIn("PERINGATAN: TIDAK DITANDATANGANI. BUKU BESAR TIDAK KONSISTEN.", self.said)
        self.assertTrue(any("TIDAK melanjutkan checkpoint berukuran 3" in line for line in self.said))
        self.assertFalse(Cosignature.objects.exists())
        self.assertEqual(json.loads(state.read_text())["size"], 3)  # the evidence is kept

    def test_a_witness_refuses_a_log_that_shrank_or_forked(self) -> None:
        state = self.folder / "bawaslu.kupang.state.json"
        root = base64.b64encode(bytes(self.second.root_hash)).decode()
        state.write_text(json.dumps({"origin": "pamong.kupang.go.id/ledger", "size": 9, "root_hash": root}))
        self.assertEqual(self.run_witness(), 3)
        self.assertTrue(any("tidak boleh menyusut" in line for line in self.said))
        state.write_text(json.dumps({"origin": "pamong.kupang.go.id/ledger", "size": 5, "root_hash": flip(root)}))
        self.assertEqual(self.run_witness(), 3)
        self.assertTrue(any("split view" in line for line in self.said))
        self.assertFalse(Cosignature.objects.exists())

    def test_a_witness_refuses_a_checkpoint_not_signed_by_the_key_it_holds(self) -> None:
        other = notes.verifier_key(
            "pamong.kupang.go.id/ledger", notes.public_bytes(Ed25519PrivateKey.generate().public_key())
        )
        self.assertEqual(self.run_witness(log_key=other), 1)
        self.assertTrue(any("tidak ditandatangani dengan kunci Pemda" in line for line in self.said))
        self.assertFalse(Cosignature.objects.exists())

    def test_an_unregistered_witness_is_told_why_the_server_refused(self) -> None:
        self.witness_keys["asing"] = Ed25519PrivateKey.generate()
        self.assertEqual(self.run_witness("asing"), 1)
        self.assertTrue(any("Tidak ada saksi terdaftar dengan nama kunci asing" in line for line in self.said))
        self.assertFalse((self.folder / "asing.state.json").exists())
