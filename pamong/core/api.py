"""The transparency ledger's public API under /api/v1/ledger/: checkpoints, entries, proofs, cosignatures.

No login: anything here can be checked by anyone who knows RFC 9162 and the Pemda's public key.
A witness authenticates by its signature alone.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import AnonRateThrottle

from pamong.core import ledger, merkle, queries
from pamong.core.models import Checkpoint

router = Router(tags=["buku besar"])

PUBLIC: dict[str, Any] = {"auth": None, "throttle": [AnonRateThrottle(settings.PAMONG_API_RATE_ANON)]}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _signed_note_response(checkpoint: Checkpoint) -> HttpResponse:
    return HttpResponse(ledger.signed_note(checkpoint), content_type="text/plain; charset=utf-8")


def _text_response(description: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        }
    }


class ErrorOut(Schema):
    detail: str


@router.get(
    "/checkpoint",
    response={404: ErrorOut},
    summary="Checkpoint terbaru sebagai catatan bertanda tangan (teks)",
    description=(
        "Checkpoint terbaru dalam format C2SP tlog-checkpoint sebagai signed note: asal (origin), ukuran pohon, "
        "akar (base64), baris kosong, lalu tanda tangan Pemda dan tanda tangan saksi, masing-masing diawali '— '."
    ),
    openapi_extra=_text_response("Catatan bertanda tangan (text/plain; charset=utf-8)"),
    **PUBLIC,
)
def latest_checkpoint(request: HttpRequest) -> HttpResponse | Status:
    checkpoint = ledger.latest_checkpoint()
    if checkpoint is None:
        return Status(404, {"detail": _("Buku besar masih kosong; belum ada checkpoint.")})
    return _signed_note_response(checkpoint)


class CheckpointOut(Schema):
    size: int
    root_hash: str = Field(..., description="Akar pohon, base64")
    issued_at: dt.datetime
    cosigned_by: list[str] = Field(..., description="Lembaga saksi yang sudah menandatangani")

    @staticmethod
    def resolve_root_hash(obj: Checkpoint) -> str:
        return _b64(bytes(obj.root_hash))

    @staticmethod
    def resolve_cosigned_by(obj: Checkpoint) -> list[str]:
        return queries.cosigning_bodies(obj)


class CheckpointPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=200)

    def paginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Checkpoint], pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        self.page_size = pagination.page_size
        return super().paginate_queryset(queryset, pagination, request=request, **params)  # type: ignore[arg-type]


@router.get(
    "/checkpoints",
    response=list[CheckpointOut],
    summary="Daftar checkpoint, terbaru lebih dulu",
    **PUBLIC,
)
@paginate(CheckpointPagination)
def list_checkpoints(request: HttpRequest) -> object:
    return queries.checkpoints_newest_first()


@router.get(
    "/checkpoints/{size}",
    response={404: ErrorOut},
    summary="Catatan bertanda tangan dari checkpoint berukuran tertentu (teks)",
    openapi_extra=_text_response("Catatan bertanda tangan (text/plain; charset=utf-8)"),
    **PUBLIC,
)
def checkpoint_note(request: HttpRequest, size: int) -> HttpResponse | Status:
    checkpoint = queries.checkpoint_of_size(size)
    if checkpoint is None:
        return Status(404, {"detail": _("Tidak ada checkpoint berukuran %(size)d.") % {"size": size}})
    return _signed_note_response(checkpoint)


class EntryOut(Schema):
    index: int
    leaf_input: str = Field(..., description="Isi daun (JSON kanonis RFC 8785), base64")
    kind: str
    receipt_code: str


@router.get(
    "/entries/{index}",
    response={200: EntryOut, 404: ErrorOut},
    summary="Satu entri buku besar dan isi daunnya (base64)",
    **PUBLIC,
)
def entry(request: HttpRequest, index: int) -> Status:
    found = queries.entry_at(index)
    if found is None:
        return Status(404, {"detail": _("Entri %(index)d tidak ada di buku besar.") % {"index": index}})
    return Status(
        200,
        {
            "index": found.index,
            "leaf_input": _b64(found.leaf_input.encode()),
            "kind": found.kind,
            "receipt_code": ledger.format_receipt_code(found.receipt_code),
        },
    )


class ProofQuery(Schema):
    tree_size: int | None = Field(None, description="Ukuran pohon; bawaan: ukuran checkpoint terbaru")


class InclusionOut(Schema):
    leaf_index: int
    tree_size: int
    leaf_input: str = Field(..., description="base64")
    audit_path: list[str] = Field(..., description="Hash saudara dari daun ke akar, base64 (RFC 9162 §2.1.3)")
    root_hash: str = Field(..., description="base64")


@router.get(
    "/entries/{index}/proof",
    response={200: InclusionOut, 400: ErrorOut, 404: ErrorOut},
    summary="Bukti inklusi entri dalam pohon berukuran tree_size (RFC 9162)",
    **PUBLIC,
)
def inclusion_proof(request: HttpRequest, index: int, query: Query[ProofQuery]) -> Status:
    tree_size = query.tree_size
    if tree_size is None:
        latest = ledger.latest_checkpoint()
        if latest is None:
            return Status(404, {"detail": _("Buku besar masih kosong; belum ada checkpoint.")})
        tree_size = latest.size
    try:
        path = ledger.inclusion_proof(index, tree_size)
    except merkle.ProofError as exc:
        return Status(400, {"detail": str(exc)})
    found = queries.entry_at(index)
    if found is None:  # the stored tree covers it, so only a row deleted behind our back lands here
        return Status(404, {"detail": _("Entri %(index)d tidak ada di buku besar.") % {"index": index}})
    checkpoint = queries.checkpoint_of_size(tree_size)
    root = bytes(checkpoint.root_hash) if checkpoint is not None else ledger.stored_root(tree_size)
    return Status(
        200,
        {
            "leaf_index": index,
            "tree_size": tree_size,
            "leaf_input": _b64(found.leaf_input.encode()),
            "audit_path": [_b64(h) for h in path],
            "root_hash": _b64(root),
        },
    )


class ConsistencyQuery(Schema):
    first: int = Field(..., description="Ukuran pohon lama")
    second: int = Field(..., description="Ukuran pohon baru")


class ConsistencyOut(Schema):
    first: int
    second: int
    proof: list[str] = Field(..., description="base64 (RFC 9162 §2.1.4)")


@router.get(
    "/consistency",
    response={200: ConsistencyOut, 400: ErrorOut},
    summary="Bukti konsistensi antara dua ukuran pohon (RFC 9162)",
    **PUBLIC,
)
def consistency_proof(request: HttpRequest, query: Query[ConsistencyQuery]) -> Status:
    try:
        proof = ledger.consistency_proof(query.first, query.second)
    except merkle.ProofError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, {"first": query.first, "second": query.second, "proof": [_b64(h) for h in proof]})


class WitnessOut(Schema):
    name: str
    body: str
    verifier_key: str


class KeyOut(Schema):
    origin: str
    verifier_key: str = Field(..., description="Kunci verifikasi Ed25519 Pemda (C2SP signed-note vkey)")
    witnesses: list[WitnessOut]


@router.get("/key", response=KeyOut, summary="Kunci publik Pemda dan saksi checkpoint", **PUBLIC)
def keys(request: HttpRequest) -> dict[str, Any]:
    return {
        "origin": ledger.origin(),
        "verifier_key": ledger.log_verifier_key(),
        "witnesses": [
            {"name": w.name, "body": w.body, "verifier_key": queries.witness_verifier_key(w)}
            for w in queries.active_witnesses()
        ],
    }


class CosignatureIn(Schema):
    signature_line: str = Field(
        ..., max_length=1000, description="Baris tlog-cosignature/v1: '— <nama kunci> <base64>'"
    )


class CosignatureOut(Schema):
    size: int
    witness: str
    body: str
    signed_at: dt.datetime


@router.post(
    "/checkpoints/{size}/cosignatures",
    response={200: CosignatureOut, 400: ErrorOut, 404: ErrorOut},
    summary="Saksi mengirim tanda tangan bersama (cosignature) atas checkpoint",
    description=(
        "Tanpa login: tanda tangan Ed25519 saksi yang terdaftar sendiri yang membuktikan pengirimnya. "
        "Kirim ulang tanda tangan yang sama aman (hasilnya sama)."
    ),
    **PUBLIC,
)
def add_cosignature(request: HttpRequest, size: int, body: CosignatureIn) -> Status:
    checkpoint = queries.checkpoint_of_size(size)
    if checkpoint is None:
        return Status(404, {"detail": _("Tidak ada checkpoint berukuran %(size)d.") % {"size": size}})
    try:
        cosignature = ledger.add_cosignature(checkpoint, body.signature_line)
    except ValidationError as exc:
        return Status(400, {"detail": " ".join(exc.messages)})
    return Status(
        200,
        {
            "size": checkpoint.size,
            "witness": cosignature.witness.name,
            "body": cosignature.witness.body,
            "signed_at": cosignature.signed_at,
        },
    )
