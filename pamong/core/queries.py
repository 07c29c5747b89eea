"""Reads of the transparency ledger for its public face (API, /transparansi/, /verifikasi/).

Everything here is public by design: the ledger holds only hashes of confidential content, and the
public payload only for kinds registered as public.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet

from pamong.core import ledger, notes
from pamong.core.models import Checkpoint, Cosignature, LedgerEntry, Witness

RECENT_ENTRIES = 20
# Sizes and indices beyond a signed 64-bit integer cannot exist; asking the database would overflow.
_LIMIT = 2**63


def checkpoints_newest_first() -> QuerySet[Checkpoint]:
    return Checkpoint.objects.order_by("-size").prefetch_related("cosignatures__witness")


def checkpoint_of_size(size: int) -> Checkpoint | None:
    if not 0 < size < _LIMIT:
        return None
    return Checkpoint.objects.filter(size=size).first()


def cosigning_bodies(checkpoint: Checkpoint) -> list[str]:
    """The witness bodies that cosigned a checkpoint (uses prefetched cosignatures when there are any)."""
    return sorted(c.witness.body for c in checkpoint.cosignatures.all())


def entry_at(index: int) -> LedgerEntry | None:
    if not 0 <= index < _LIMIT:
        return None
    return LedgerEntry.objects.filter(index=index).first()


def kind_label(code: str) -> str:
    spec = ledger.kind_of(code)
    return str(spec.label) if spec is not None else code


@dataclass(frozen=True)
class KindCount:
    code: str
    label: str
    count: int


def entry_counts_by_kind() -> list[KindCount]:
    rows = LedgerEntry.objects.order_by().values("kind").annotate(n=Count("index"))
    counts = [KindCount(code=row["kind"], label=kind_label(row["kind"]), count=row["n"]) for row in rows]
    return sorted(counts, key=lambda row: (-row.count, row.label))


def recent_entries(limit: int = RECENT_ENTRIES) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.order_by("-index").only("index", "kind", "created_at", "receipt_code")[:limit])


@dataclass(frozen=True)
class WitnessRow:
    name: str
    body: str
    verifier_key: str
    is_active: bool
    cosigned_latest: bool
    largest_size: int | None


def witness_overview(latest: Checkpoint | None) -> list[WitnessRow]:
    """Every witness, whether it cosigned the latest checkpoint, and the largest size it ever cosigned."""
    cosigned_latest: set[int] = set()
    if latest is not None:
        cosigned_latest = set(Cosignature.objects.filter(checkpoint=latest).values_list("witness_id", flat=True))
    witnesses = Witness.objects.order_by("body", "name").annotate(largest=Max("cosignatures__checkpoint__size"))
    return [
        WitnessRow(
            name=w.name,
            body=w.body,
            verifier_key=witness_verifier_key(w),
            is_active=w.is_active,
            cosigned_latest=w.pk in cosigned_latest,
            largest_size=w.largest,
        )
        for w in witnesses
    ]


def active_witnesses() -> QuerySet[Witness]:
    return Witness.objects.filter(is_active=True).order_by("body", "name")


def witness_verifier_key(witness: Witness) -> str:
    return notes.verifier_key(witness.name, bytes(witness.public_key), notes.COSIGNATURE_V1)


def witness_bodies(names: list[str]) -> dict[str, str]:
    return dict(Witness.objects.filter(name__in=names).values_list("name", "body"))


def published_log_keys() -> set[str]:
    """The Pemda keys whose checkpoints count (current and earlier published ones), as verifier keys.
    Never the keys stored in the database: those could have been put there by whoever rewrote it."""
    return {notes.verifier_key(name, public_key) for name, public_key in ledger.trusted_log_keys()}


def trusted_key_for(doc: Any) -> str:
    """The Pemda key to check an uploaded receipt against: the key it names if the Pemda ever used it
    (so receipts signed before a key rotation still verify), else the current key."""
    named = doc.get("log_key") if isinstance(doc, dict) else None
    if isinstance(named, str) and named.strip() in published_log_keys():
        return named.strip()
    return ledger.log_verifier_key()


def public_payload(entry: LedgerEntry) -> list[tuple[str, Any]]:
    """The public payload of an entry as (field, value) pairs, or nothing for a confidential kind."""
    spec = ledger.kind_of(entry.kind)
    if entry.payload is None or spec is None or not spec.public or not isinstance(entry.payload, dict):
        return []
    if spec.describe is not None:
        return spec.describe(entry.payload)
    return sorted(entry.payload.items())
