"""Witnesses for the demo city. In real life each body keeps its key on its own machine and runs
scripts/pamong_witness.py; the demo plays their part, with keys under var/demo-witnesses/."""

from __future__ import annotations

import re
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, load_pem_private_key
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from pamong.core import ledger, merkle, notes
from pamong.core.models import Checkpoint, Cosignature, Witness

DEMO_WITNESSES = (
    ("inspektorat.kupangkota.go.id/saksi", "Inspektorat Daerah Kota Kupang"),
    ("kupangkota.kpu.go.id/saksi", "KPU Kota Kupang"),
    ("kupangkota.bawaslu.go.id/saksi", "Bawaslu Kota Kupang"),
)


def _key_file(name: str) -> Path:
    return Path(settings.VAR_DIR) / "demo-witnesses" / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".pem")


def demo_witness_key(name: str) -> Ed25519PrivateKey:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("Kunci saksi demo hanya ada dalam mode demo.")
    path = _key_file(name)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        path.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
        path.chmod(0o600)
    loaded = load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(loaded, Ed25519PrivateKey)
    return loaded


def register_demo_witnesses() -> list[Witness]:
    witnesses = []
    for name, body in DEMO_WITNESSES:
        witness = Witness.objects.filter(name=name).first()
        if witness is None:
            public_key = notes.public_bytes(demo_witness_key(name).public_key())
            witness = ledger.register_witness(name=name, body=body, public_key=public_key, by=None)
        witnesses.append(witness)
    return witnesses


def cosign_as_demo_witnesses() -> Checkpoint | None:
    """Each demo witness checks that the latest checkpoint extends the last one it cosigned, then
    cosigns it — exactly what a real witness does before it lends its name."""
    checkpoint = ledger.issue_checkpoint()
    if checkpoint is None:
        return None
    for witness in Witness.objects.filter(name__in=[n for n, _b in DEMO_WITNESSES], is_active=True):
        previous = (
            Cosignature.objects.filter(witness=witness)
            .select_related("checkpoint")
            .order_by("-checkpoint__size")
            .first()
        )
        if previous is not None:
            if previous.checkpoint.size == checkpoint.size:
                continue
            proof = ledger.consistency_proof(previous.checkpoint.size, checkpoint.size)
            merkle.verify_consistency(
                previous.checkpoint.size,
                checkpoint.size,
                bytes(previous.checkpoint.root_hash),
                bytes(checkpoint.root_hash),
                proof,
            )
        line = notes.cosignature_line(witness.name, demo_witness_key(witness.name), checkpoint.text, int(time.time()))
        ledger.add_cosignature(checkpoint, line)
    return checkpoint
