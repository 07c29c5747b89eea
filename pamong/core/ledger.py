"""The transparency ledger's services: append, checkpoint, prove, cosign, verify.

Modules register the kinds of act they record (``register_kind``) and call ``append_entry`` inside
the transaction of the act itself, so an act and its ledger entry are committed together or not
at all. Appends only take the next index under a row lock; the Merkle nodes are built in batches
when a checkpoint is issued, so a burst of signatures is never slowed by hashing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.core import merkle, notes, receipts
from pamong.core.models import Checkpoint, Cosignature, LedgerEntry, LedgerHead, LedgerKey, LedgerNode, Witness

LEAF_VERSION = 1

# --- kinds of act ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerKind:
    """What one kind of act looks like in the ledger.

    ``payload`` recomputes, from the stored record alone, the content the entry vouches for; the
    record must therefore be immutable (a signature, a decision, a state transition), never a row
    that is later edited in place.
    """

    code: str
    label: Any  # a lazy translation
    model: str  # "app_label.ModelName"
    payload: Callable[[Any], dict[str, Any]]
    public: bool = True
    # For people reading a public entry: (label, value) rows in words, from the stored payload.
    describe: Callable[[dict[str, Any]], list[tuple[Any, Any]]] | None = None


_KINDS: dict[str, LedgerKind] = {}


def register_kind(
    code: str,
    *,
    label: Any,
    model: str,
    payload: Callable[[Any], dict[str, Any]],
    public: bool = True,
    describe: Callable[[dict[str, Any]], list[tuple[Any, Any]]] | None = None,
) -> None:
    _KINDS[code] = LedgerKind(code=code, label=label, model=model, payload=payload, public=public, describe=describe)


def kind_of(code: str) -> LedgerKind | None:
    return _KINDS.get(code)


def registered_kinds() -> dict[str, LedgerKind]:
    return dict(_KINDS)


# --- leaves ------------------------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) canonical JSON."""
    return rfc8785.dumps(value)


def content_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def leaf_input_for(
    *, kind: str, subject_type: str, subject_id: str, content_sha256: str, actor_role: str, created_at: dt.datetime
) -> bytes:
    return canonical_json(
        {
            "v": LEAF_VERSION,
            "kind": kind,
            "subject": f"{subject_type}:{subject_id}",
            "content_sha256": content_sha256,
            "actor_role": actor_role,
            "time": format_time(created_at),
        }
    )


# One formula for the code, shared with the offline checker.
receipt_code_for = receipts.receipt_code
format_receipt_code = receipts.format_code


def normalise_receipt_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def subject_ref(subject: models.Model) -> tuple[str, str]:
    return subject._meta.label_lower, str(subject.pk)


# --- the head row ------------------------------------------------------------------------------


def _locked_head() -> LedgerHead:
    try:
        return LedgerHead.objects.select_for_update().get(pk=1)
    except LedgerHead.DoesNotExist:
        LedgerHead.objects.bulk_create([LedgerHead(pk=1)], ignore_conflicts=True)
        return LedgerHead.objects.select_for_update().get(pk=1)


def ledger_size() -> int:
    head = LedgerHead.objects.filter(pk=1).first()
    return head.size if head else 0


# --- appending ---------------------------------------------------------------------------------


def _actor_role(by: Any, role: str | None) -> str:
    if role:
        return role
    if by is None:
        return "sistem"
    order = [
        "wali_kota",
        "sekda",
        "inspektorat",
        "bkpsdm",
        "bkad",
        "bappeda",
        "kepala_opd",
        "operator_opd",
        "saksi",
        "pegawai",
    ]
    held: frozenset[str] = getattr(by, "roles", frozenset())
    return next((r for r in order if r in held), "pengguna")


@dataclass(frozen=True)
class Act:
    kind: str
    subject: models.Model
    payload: dict[str, Any] | None = None


@transaction.atomic
def append_entries(acts: Sequence[Act], *, by: Any, role: str | None = None) -> list[LedgerEntry]:
    """Append several acts at once (one lock, one insert): distinct, gap-free indices."""
    prepared = []
    for act in acts:
        spec = _KINDS.get(act.kind)
        if spec is None:
            raise ValueError(f"ledger kind {act.kind!r} is not registered")
        if act.subject._meta.label != spec.model:
            raise ValueError(f"ledger kind {act.kind!r} records {spec.model}, not {act.subject._meta.label}")
        recomputed = spec.payload(act.subject)
        if act.payload is not None and act.payload != recomputed:
            # ledger_verify recomputes the payload from the record; a payload that differs could never verify.
            raise ValueError(f"payload for {act.kind!r} differs from what the record yields")
        prepared.append((spec, act.subject, recomputed))
    actor_role = _actor_role(by, role)
    head = _locked_head()
    # Taken under the lock, so entry times never go backwards along the log.
    now = timezone.now()
    entries = []
    for offset, (spec, subject, payload) in enumerate(prepared):
        subject_type, subject_id = subject_ref(subject)
        digest = content_hash(payload)
        leaf_input = leaf_input_for(
            kind=spec.code,
            subject_type=subject_type,
            subject_id=subject_id,
            content_sha256=digest,
            actor_role=actor_role,
            created_at=now,
        )
        leaf = merkle.leaf_hash(leaf_input)
        index = head.size + offset
        entries.append(
            LedgerEntry(
                index=index,
                kind=spec.code,
                subject_type=subject_type,
                subject_id=subject_id,
                content_hash=digest,
                actor_role=actor_role,
                actor=by if getattr(by, "pk", None) else None,
                created_at=now,
                leaf_input=leaf_input.decode(),
                leaf_hash=leaf,
                receipt_code=receipt_code_for(leaf, index),
                payload=payload if spec.public else None,
            )
        )
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    LedgerHead.objects.filter(pk=1).update(size=head.size + len(entries))
    return entries


def append_entry(
    kind: str, subject: models.Model, payload: dict[str, Any] | None = None, *, by: Any, role: str | None = None
) -> LedgerEntry:
    """Record one act. Call it inside the transaction of the act itself."""
    return append_entries([Act(kind, subject, payload)], by=by, role=role)[0]


# --- the tree ----------------------------------------------------------------------------------


def _frontier(size: int) -> dict[int, bytes]:
    """The perfect subtrees at the right edge of a tree of ``size`` leaves that still await a sibling."""
    wanted = [(level, (size >> level) - 1) for level in range(size.bit_length()) if (size >> level) & 1]
    found = _fetch_nodes(wanted)
    return {level: found[(level, index)] for level, index in wanted}


def _fetch_nodes(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    by_level: dict[int, list[int]] = {}
    for level, index in keys:
        by_level.setdefault(level, []).append(index)
    if not by_level:
        return {}
    # Plain SQL: building this OR-of-IN filter through the ORM cost 50x the query itself.
    quote = connection.ops.quote_name
    table, level_col, index_col, hash_col = (
        quote(LedgerNode._meta.db_table),
        quote("level"),
        quote("index"),
        quote("hash"),
    )
    clauses, params = [], []
    for level, indices in by_level.items():
        clauses.append(f"({level_col} = %s AND {index_col} IN ({', '.join(['%s'] * len(indices))}))")
        params += [level, *indices]
    sql = f"SELECT {level_col}, {index_col}, {hash_col} FROM {table} WHERE {' OR '.join(clauses)}"  # noqa: S608 - only placeholders are interpolated
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(level, index): bytes(digest) for level, index, digest in cursor.fetchall()}


def _build_tree(head: LedgerHead, chunk: int = 20000) -> None:
    """Store the perfect-subtree hashes for leaves [built_size, size). Caller holds the head lock."""
    start, end = head.built_size, head.size
    if start >= end:
        return
    waiting = _frontier(start)
    position = start
    while position < end:
        stop = min(end, position + chunk)
        rows = (
            LedgerEntry.objects.filter(index__gte=position, index__lt=stop)
            .order_by("index")
            .values_list("index", "leaf_hash")
        )
        nodes = []
        expected = position
        for index, leaf in rows:
            if index != expected:
                raise RuntimeError(f"ledger entry {expected} is missing")
            expected += 1
            level, i, current = 0, index, bytes(leaf)
            nodes.append(LedgerNode(level=0, index=i, hash=current))
            while i % 2 == 1:
                current = merkle.node_hash(waiting.pop(level), current)
                level, i = level + 1, i // 2
                nodes.append(LedgerNode(level=level, index=i, hash=current))
            waiting[level] = current
        if expected != stop:
            raise RuntimeError(f"ledger entry {expected} is missing")
        LedgerNode.objects.bulk_create(nodes, batch_size=5000)
        position = stop
    head.built_size = end
    LedgerHead.objects.filter(pk=1).update(built_size=end)


def with_stored_nodes(compute: Callable[[merkle.Perfect], Any]) -> Any:
    """Run a merkle computation against stored nodes, fetching every node it needs in one query."""
    needed: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        needed.add((level, index))
        return bytes(merkle.HASH_SIZE)

    compute(record)
    found = _fetch_nodes(needed)
    missing = needed - found.keys()
    if missing:
        raise merkle.ProofError(f"stored tree is missing node {min(missing)}")
    return compute(lambda level, index: found[(level, index)])


def stored_root(size: int) -> bytes:
    return with_stored_nodes(lambda perfect: merkle.root_hash(size, perfect))


# --- keys and checkpoints ----------------------------------------------------------------------


def _key_path() -> Path:
    return Path(settings.PAMONG_LEDGER_KEY_FILE)


@cache
def _load_private_key(path: str) -> Ed25519PrivateKey:
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        # Created with 0600 from the start; never readable by others, not even for a moment.
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
    loaded = load_pem_private_key(file.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"{file} is not an Ed25519 private key")
    return loaded


def signing_key() -> Ed25519PrivateKey:
    return _load_private_key(str(_key_path()))


def origin() -> str:
    return str(settings.PAMONG_LEDGER_ORIGIN)


def current_ledger_key() -> LedgerKey:
    public_key = notes.public_bytes(signing_key().public_key())
    key, _created = LedgerKey.objects.get_or_create(
        name=origin(), key_id=notes.key_id(origin(), public_key).hex(), defaults={"public_key": public_key}
    )
    return key


def trusted_log_keys() -> set[tuple[str, bytes]]:
    """The Pemda keys whose checkpoints count: the current signing key, and earlier published keys
    listed in PAMONG_LEDGER_TRUSTED_KEYS (after a key rotation)."""
    keys = {(origin(), notes.public_bytes(signing_key().public_key()))}
    for vkey in settings.PAMONG_LEDGER_TRUSTED_KEYS:
        name, _kind, public_key = notes.parse_verifier_key(vkey)
        keys.add((name, public_key))
    return keys


def log_verifier_key() -> str:
    return notes.verifier_key(origin(), notes.public_bytes(signing_key().public_key()))


@transaction.atomic
def issue_checkpoint() -> Checkpoint | None:
    """Sign a checkpoint of the whole log; the latest one if nothing was appended since (None while
    the log is empty). Called on a schedule (``ledger_checkpoint``) and on demand by receipts."""
    head = _locked_head()
    latest = Checkpoint.objects.order_by("-size").first()
    if head.size == 0:
        return None
    if latest is not None and latest.size == head.size:
        return latest
    _build_tree(head)
    root = stored_root(head.size)
    body = notes.Checkpoint(origin=origin(), size=head.size, root=root).text
    key = current_ledger_key()
    return Checkpoint.objects.create(
        size=head.size,
        root_hash=root,
        text=body,
        signature=notes.signature_line(origin(), signing_key(), body),
        key=key,
    )


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def checkpoint_covering(index: int) -> Checkpoint:
    """The latest checkpoint, issuing one on demand when the entry is newer than it."""
    latest = latest_checkpoint()
    if latest is None or latest.size <= index:
        # Only authenticated acts append entries, so this signs at most once per new batch of them.
        latest = issue_checkpoint()
    if latest is None or latest.size <= index:
        raise merkle.ProofError(_("Entri %(index)d belum ada di buku besar.") % {"index": index})
    return latest


def signed_note(checkpoint: Checkpoint) -> str:
    """The checkpoint with the Pemda's signature and every witness cosignature."""
    lines = [checkpoint.signature, *(c.line for c in checkpoint.cosignatures.order_by("witness__name"))]
    return checkpoint.text + "\n" + "".join(lines)


# --- proofs ------------------------------------------------------------------------------------


def _check_size(tree_size: int) -> None:
    head = LedgerHead.objects.filter(pk=1).first()
    built = head.built_size if head else 0
    if not 0 < tree_size <= built:
        raise merkle.ProofError(
            _("Ukuran pohon harus antara 1 dan %(max)d (ukuran checkpoint terakhir).") % {"max": built}
        )


def inclusion_proof(index: int, tree_size: int) -> list[bytes]:
    _check_size(tree_size)
    if not 0 <= index < tree_size:
        raise merkle.ProofError(
            _("Entri %(index)d tidak ada di pohon berukuran %(size)d.") % {"index": index, "size": tree_size}
        )
    return with_stored_nodes(lambda perfect: merkle.inclusion_path(index, tree_size, perfect))


def consistency_proof(first: int, second: int) -> list[bytes]:
    _check_size(second)
    if not 0 < first <= second:
        raise merkle.ProofError(_("Ukuran pertama harus antara 1 dan ukuran kedua (%(second)d).") % {"second": second})
    return with_stored_nodes(lambda perfect: merkle.consistency_proof(first, second, perfect))


# --- witnesses ---------------------------------------------------------------------------------


def _witness_payload(witness: Witness) -> dict[str, Any]:
    return {
        "name": witness.name,
        "body": witness.body,
        "verifier_key": notes.verifier_key(witness.name, bytes(witness.public_key), notes.COSIGNATURE_V1),
    }


@transaction.atomic
def register_witness(*, name: str, body: str, public_key: bytes, by: Any) -> Witness:
    if len(public_key) != 32:
        raise ValidationError(_("Kunci publik Ed25519 saksi harus 32 bita."))
    if Witness.objects.filter(name=name).exists():
        raise ValidationError(_("Saksi dengan nama kunci %(name)s sudah terdaftar.") % {"name": name})
    witness = Witness.objects.create(name=name, body=body, public_key=public_key)
    append_entry("ledger.witness", witness, by=by)
    return witness


@transaction.atomic
def add_cosignature(checkpoint: Checkpoint, line: str) -> Cosignature:
    """Accept a witness's cosignature line for a checkpoint, after checking it."""
    line = line if line.endswith("\n") else line + "\n"
    try:
        name, _blob = notes.parse_signature_line(line)
    except notes.NoteError:
        raise ValidationError(_("Baris tanda tangan harus berbentuk '— <nama kunci> <tanda tangan base64>'.")) from None
    witness = Witness.objects.filter(name=name, is_active=True).first()
    if witness is None:
        raise ValidationError(_("Tidak ada saksi terdaftar dengan nama kunci %(name)s.") % {"name": name})
    try:
        timestamp = notes.verify_cosignature_line(checkpoint.text, line, name, bytes(witness.public_key))
    except notes.NoteError:
        raise ValidationError(
            _("Tanda tangan saksi %(name)s tidak cocok dengan checkpoint berukuran %(size)d.")
            % {"name": name, "size": checkpoint.size}
        ) from None
    try:
        signed_at = dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise ValidationError(_("Waktu tanda tangan saksi di luar jangkauan.")) from None
    if signed_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(_("Waktu tanda tangan saksi ada di masa depan."))
    existing = Cosignature.objects.filter(checkpoint=checkpoint, witness=witness).first()
    if existing is not None:
        return existing
    return Cosignature.objects.create(checkpoint=checkpoint, witness=witness, line=line, signed_at=signed_at)


# --- receipts ----------------------------------------------------------------------------------


def entry_by_receipt(code: str) -> LedgerEntry | None:
    normalised = normalise_receipt_code(code)
    if len(normalised) != 16:
        return None
    return LedgerEntry.objects.filter(receipt_code=normalised).first()


@dataclass(frozen=True)
class EntryRef:
    receipt_code: str  # formatted, XXXX-XXXX-XXXX-XXXX
    actor_role: str


def entries_for(model: type[models.Model], pks: Iterable[Any]) -> dict[str, EntryRef]:
    """The receipt and recorded role of the entry of each row (its subject), by str(pk), in one query."""
    ids = [str(pk) for pk in pks]
    if not ids:
        return {}
    rows = LedgerEntry.objects.filter(subject_type=model._meta.label_lower, subject_id__in=ids).values_list(
        "subject_id", "receipt_code", "actor_role"
    )
    return {subject: EntryRef(format_receipt_code(code), role) for subject, code, role in rows}


def receipt_document(entry: LedgerEntry) -> dict[str, Any]:
    """Everything needed to check an entry offline, knowing only RFC 9162 and the Pemda's key."""
    checkpoint = checkpoint_covering(entry.index)
    path = inclusion_proof(entry.index, checkpoint.size)
    witnesses = Witness.objects.filter(cosignatures__checkpoint=checkpoint)
    return {
        "format": "pamong-receipt/v1",
        "receipt_code": format_receipt_code(entry.receipt_code),
        "entry": {
            "index": entry.index,
            "leaf_input": base64.b64encode(entry.leaf_input.encode()).decode(),
            "payload": entry.payload,
        },
        "inclusion_proof": {
            "leaf_index": entry.index,
            "tree_size": checkpoint.size,
            "audit_path": [base64.b64encode(h).decode() for h in path],
        },
        "checkpoint": signed_note(checkpoint),
        "log_key": notes.verifier_key(checkpoint.key.name, bytes(checkpoint.key.public_key)),
        "witness_keys": [notes.verifier_key(w.name, bytes(w.public_key), notes.COSIGNATURE_V1) for w in witnesses],
    }


# --- verification ------------------------------------------------------------------------------


@dataclass
class VerifyReport:
    entries: int = 0
    checkpoints: int = 0
    cosignatures: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_ledger(*, stop_at_first: bool = True) -> VerifyReport:
    """Recompute every leaf from the records it stands for, every stored node and checkpoint from
    the leaves, and check every signature. Reports the first thing that does not match (or all)."""
    report = VerifyReport()
    for problem in _ledger_problems(report):
        report.problems.append(problem)
        if stop_at_first:
            break
    return report


def _entry_problem(entry: LedgerEntry, rebuilt: bytes, spec: LedgerKind | None, subject: Any) -> str | None:
    name = f"#{entry.index} ({entry.kind})"
    record = f"{entry.subject_type}:{entry.subject_id}"
    if rebuilt.decode() != entry.leaf_input:
        return _("Entri %(name)s: isi daun tidak cocok dengan kolom-kolomnya.") % {"name": name}
    if merkle.leaf_hash(rebuilt) != bytes(entry.leaf_hash):
        return _("Entri %(name)s: hash daun tidak cocok.") % {"name": name}
    if entry.receipt_code != receipt_code_for(merkle.leaf_hash(rebuilt), entry.index):
        # The code binds the leaf to its index: a moved or swapped entry fails here first.
        return _("Entri %(name)s: kode tanda terima tidak cocok dengan isi dan nomor urutnya.") % {"name": name}
    if spec is None:
        return _("Entri %(name)s: jenis tidak dikenal.") % {"name": name}
    if subject is None:
        return _("Entri %(name)s: rekaman %(subject)s tidak ada lagi.") % {"name": name, "subject": record}
    if content_hash(spec.payload(subject)) != entry.content_hash:
        return _("Entri %(name)s: rekaman %(subject)s telah diubah.") % {"name": name, "subject": record}
    if entry.payload is not None and content_hash(entry.payload) != entry.content_hash:
        return _("Entri %(name)s: salinan isi publik telah diubah.") % {"name": name}
    return None


def _ledger_problems(report: VerifyReport) -> Iterator[str]:
    head = LedgerHead.objects.filter(pk=1).first()
    size, built = (head.size, head.built_size) if head else (0, 0)
    kinds = registered_kinds()
    leaves: list[bytes] = []
    previous_time: dt.datetime | None = None
    expected = 0
    while rows := list(LedgerEntry.objects.filter(index__gte=expected).order_by("index")[:5000]):
        subjects = _load_subjects(rows)
        for entry in rows:
            report.entries += 1
            if entry.index != expected:
                yield _("Entri %(index)d hilang (urutan melompat ke %(next)d).") % {
                    "index": expected,
                    "next": entry.index,
                }
                expected = entry.index
            rebuilt = leaf_input_for(
                kind=entry.kind,
                subject_type=entry.subject_type,
                subject_id=entry.subject_id,
                content_sha256=entry.content_hash,
                actor_role=entry.actor_role,
                created_at=entry.created_at,
            )
            found = _entry_problem(
                entry, rebuilt, kinds.get(entry.kind), subjects.get((entry.subject_type, entry.subject_id))
            )
            if found:
                yield found
            elif previous_time is not None and entry.created_at < previous_time:
                yield _("Entri #%(index)d: waktunya lebih awal daripada entri sebelumnya (urutan ditukar?).") % {
                    "index": entry.index
                }
            previous_time = entry.created_at
            leaves.append(merkle.leaf_hash(rebuilt))
            expected += 1
    if expected < size:
        yield _("Entri #%(index)d hilang: buku besar mencatat %(size)d entri, tetapi yang ada %(found)d.") % {
            "index": expected,
            "size": size,
            "found": expected,
        }
    elif expected > size:
        yield _("Buku besar mencatat %(size)d entri, tetapi yang ada %(found)d.") % {"size": size, "found": expected}

    tree = merkle.PerfectNodes(leaves)
    for level in range(built.bit_length()):
        count = built >> level
        stored = dict(LedgerNode.objects.filter(level=level, index__lt=count).values_list("index", "hash"))
        wrong = next((i for i in range(count) if stored.get(i) is None or bytes(stored[i]) != tree(level, i)), None)
        if wrong is None:
            continue
        if level == 0:
            yield _(
                "Entri #%(index)d tidak cocok dengan pohon yang sudah ditandatangani (dihapus, diubah, ditukar)."
            ) % {"index": wrong}
        else:
            yield _("Simpul pohon %(level)d/%(index)d tidak cocok.") % {"level": level, "index": wrong}

    witnesses = {w.pk: w for w in Witness.objects.all()}
    trusted = trusted_log_keys()
    for checkpoint in Checkpoint.objects.order_by("size").select_related("key"):
        report.checkpoints += 1
        name = _("Checkpoint berukuran %(size)d") % {"size": checkpoint.size}
        if (checkpoint.key.name, bytes(checkpoint.key.public_key)) not in trusted:
            # A key stored in the database proves nothing: whoever can write the database could
            # re-sign everything with a key of their own. Only published keys count.
            yield _("%(name)s ditandatangani kunci yang tidak diumumkan (%(key)s).") % {
                "name": name,
                "key": str(checkpoint.key),
            }
            continue
        if checkpoint.size > len(leaves):
            yield _("%(name)s melampaui jumlah entri.") % {"name": name}
            continue
        expected_text = notes.Checkpoint(
            origin=checkpoint.key.name, size=checkpoint.size, root=merkle.root_hash(checkpoint.size, tree)
        ).text
        if bytes(checkpoint.root_hash) != merkle.root_hash(checkpoint.size, tree) or checkpoint.text != expected_text:
            yield _("%(name)s: akar pohon tidak cocok dengan entri-entrinya.") % {"name": name}
            continue
        try:
            notes.verify_signature_line(
                checkpoint.text, checkpoint.signature, checkpoint.key.name, bytes(checkpoint.key.public_key)
            )
        except notes.NoteError:
            yield _("%(name)s: tanda tangan Pemda tidak sah.") % {"name": name}
        for cosignature in checkpoint.cosignatures.all():
            report.cosignatures += 1
            witness = witnesses[cosignature.witness_id]
            try:
                notes.verify_cosignature_line(
                    checkpoint.text, cosignature.line, witness.name, bytes(witness.public_key)
                )
            except notes.NoteError:
                yield _("%(name)s: tanda tangan saksi %(witness)s tidak sah.") % {"name": name, "witness": witness.body}


def _load_subjects(rows: Sequence[LedgerEntry]) -> dict[tuple[str, str], Any]:
    wanted: dict[str, set[str]] = {}
    for entry in rows:
        wanted.setdefault(entry.subject_type, set()).add(entry.subject_id)
    found: dict[tuple[str, str], Any] = {}
    for subject_type, ids in wanted.items():
        try:
            model = apps.get_model(subject_type)
        except (LookupError, ValueError):
            continue
        for obj in model._default_manager.filter(pk__in=list(ids)):
            found[(subject_type, str(obj.pk))] = obj
    return found


# --- demo only ---------------------------------------------------------------------------------


@transaction.atomic
def reset_for_demo() -> None:
    """Empty the ledger when the demo city is rebuilt. Refused outside demo mode."""
    if not settings.DEMO_MODE:
        raise ValidationError(_("Buku besar hanya boleh dikosongkan dalam mode demo."))
    Cosignature.objects.all().delete()
    Checkpoint.objects.all().delete()
    LedgerNode.objects.all().delete()
    LedgerEntry.objects.all().delete()
    Witness.objects.all().delete()
    LedgerHead.objects.update_or_create(pk=1, defaults={"size": 0, "built_size": 0})
