"""A citizen on a phone checks a receipt: types its code at /transparansi/, sees the entry proven
included in a signed, witnessed checkpoint, and downloads the receipt file that checks offline."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pamong.core import ledger, notes, receipts
from pamong.core.browser import Phone, no_horizontal_scroll, sync_api
from pamong.core.models import LedgerEntry

pytestmark = [pytest.mark.browser]


@pytest.fixture
def witnessed_ledger(transactional_db: None, settings: Any, tmp_path: Path) -> Iterator[str]:
    settings.PAMONG_LEDGER_KEY_FILE = tmp_path / "ledger.pem"
    ledger._load_private_key.cache_clear()
    witness_key = Ed25519PrivateKey.generate()
    ledger.register_witness(
        name="kupangkota.bawaslu.go.id/saksi",
        body="Bawaslu Kota Kupang",
        public_key=notes.public_bytes(witness_key.public_key()),
        by=None,
    )
    entry = ledger.register_witness(
        name="kupangkota.kpu.go.id/saksi",
        body="KPU Kota Kupang",
        public_key=notes.public_bytes(Ed25519PrivateKey.generate().public_key()),
        by=None,
    )
    checkpoint = ledger.issue_checkpoint()
    assert checkpoint is not None
    line = notes.cosignature_line("kupangkota.bawaslu.go.id/saksi", witness_key, checkpoint.text, int(time.time()))
    ledger.add_cosignature(checkpoint, line)
    recorded = LedgerEntry.objects.get(kind="ledger.witness", subject_id=str(entry.pk))
    yield ledger.format_receipt_code(recorded.receipt_code)
    ledger._load_private_key.cache_clear()


def test_a_citizen_checks_a_receipt_code_and_keeps_the_receipt(
    live_server: object, witnessed_ledger: str, phone: Phone, tmp_path: Path
) -> None:
    page = phone.page
    page.goto(f"{live_server}/transparansi/")
    sync_api.expect(page.locator("h1")).to_have_text("Transparansi")
    no_horizontal_scroll(page)

    page.fill("#id_kode", witnessed_ledger.replace("-", "").lower())
    page.get_by_role("button", name="Periksa kode").click()
    sync_api.expect(page).to_have_url(f"{live_server}/verifikasi/{witnessed_ledger}/")
    sync_api.expect(page.locator(".verdict-pass")).to_contain_text("Terbukti")
    sync_api.expect(page.locator("main")).to_contain_text("KPU Kota Kupang")
    sync_api.expect(page.locator("main")).to_contain_text("Disaksikan oleh Bawaslu Kota Kupang")
    no_horizontal_scroll(page)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Unduh tanda terima (JSON)").click()
    saved = tmp_path / "tanda-terima.json"
    download_info.value.save_as(saved)
    check = receipts.check_receipt(json.loads(saved.read_text()), trusted_log_key=ledger.log_verifier_key())
    assert check.ok, check

    page.goto(f"{live_server}/transparansi/")
    page.fill("#id_kode", "BUKAN-KODE")
    page.get_by_role("button", name="Periksa kode").click()
    sync_api.expect(page.locator("main")).to_contain_text("16 huruf")
    assert phone.csp_violations == []
