"""Every state change of a report: one function, one transaction, and (for a step of the case) one
ledger entry holding hashes only.

Keys: a report key exists in memory only while a request needs it. It reaches a function either from
the reporter's receipt (``ReporterAccess``) or from a handler's unlocked private key (``HandlerAccess``);
the database holds it wrapped for the receipt, the recovery key and each assigned person alone.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import secrets
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from nacl.public import PrivateKey, PublicKey

from pamong.cases import attachments as attachment_rules
from pamong.cases import crypto, facts
from pamong.cases.models import (
    CLOSED_STAGES,
    OPEN_STAGES,
    SANCTION_LEVEL,
    Assignment,
    Attachment,
    DisciplineSanction,
    ElectionStage,
    EthicsSanction,
    Examiner,
    ForwardTarget,
    HandlerKey,
    Kind,
    Message,
    Outcome,
    RecoveryKey,
    Report,
    Stage,
    Track,
    Transition,
)
from pamong.core import ledger, workdays
from pamong.core.clock import business_today
from pamong.core.models import Notification
from pamong.organisation.identity import mask_identity_number
from pamong.organisation.models import OPD, Employee, Position, Role, User

MAX_FILES = 5
MAX_MESSAGE = 3000
INTAKE_HANDLERS = 2
RECEIPT_SLOW_AFTER = 3  # wrong codes in a row before each further try waits
RECEIPT_REFUSE_AFTER = 10  # wrong codes in a row before the receipt is refused for a day
HANDLING_ROLES = frozenset({Role.INSPEKTORAT, Role.BKPSDM})

# Which step may follow which.
NEXT_STAGES: dict[str, frozenset[str]] = {
    Stage.DITERIMA: frozenset({Stage.VERIFIKASI, Stage.DITOLAK, Stage.DITERUSKAN}),
    Stage.VERIFIKASI: frozenset({Stage.PEMERIKSAAN, Stage.DITOLAK, Stage.DITERUSKAN}),
    Stage.PEMERIKSAAN: frozenset({Stage.REKOMENDASI, Stage.SELESAI, Stage.DITOLAK, Stage.DITERUSKAN}),
    Stage.REKOMENDASI: frozenset({Stage.DIPUTUS, Stage.PEMERIKSAAN}),
    Stage.DIPUTUS: frozenset({Stage.SELESAI}),
}


# --- reading and writing sealed things ------------------------------------------------------------


def _seal_json(key: bytes, report: Report, value: Any, purpose: str = "") -> bytes:
    return crypto.seal(key, f"{report.pk}{purpose}", json.dumps(value, ensure_ascii=False).encode())


def _open_json(key: bytes, report: Report, sealed: bytes, purpose: str = "") -> Any:
    if not sealed:
        return None
    return json.loads(crypto.unseal(key, f"{report.pk}{purpose}", bytes(sealed)))


def _files_dir() -> Path:
    path = Path(settings.PAMONG_CASE_FILES)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _pad(data: bytes) -> bytes:
    """Length-prefixed and padded to 4 KiB, so a stored file's size says little about the evidence."""
    body = len(data).to_bytes(8, "big") + data
    return body + b"\0" * (-len(body) % 4096)


def _unpad(data: bytes) -> bytes:
    return data[8 : 8 + int.from_bytes(data[:8], "big")]


@dataclass
class _PendingFiles:
    """Files written during a transaction; removed again if it rolls back."""

    paths: list[Path] = field(default_factory=list)

    def write(self, key: bytes, report: Report, clean: attachment_rules.CleanFile, name: str) -> tuple[str, bytes]:
        storage_name = secrets.token_hex(16)
        path = _files_dir() / storage_name
        path.write_bytes(crypto.seal(key, f"{report.pk}:file:{storage_name}", _pad(clean.data)))
        self.paths.append(path)
        meta = {"name": name, "type": clean.content_type, "size": len(clean.data)}
        return storage_name, _seal_json(key, report, meta, f":meta:{storage_name}")

    def discard(self) -> None:
        for path in self.paths:
            path.unlink(missing_ok=True)


def _safe_name(name: str, clean: attachment_rules.CleanFile, index: int) -> str:
    stem = "".join(ch for ch in Path(name or "").stem if ch.isalnum() or ch in " -_")[:60].strip()
    return f"{stem or _('bukti')}-{index}.{clean.extension}"


def _clean_files(files: Sequence[tuple[str, bytes]]) -> list[tuple[str, attachment_rules.CleanFile]]:
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("Paling banyak %(n)d berkas sekali kirim.") % {"n": MAX_FILES}})
    cleaned = []
    for index, (name, data) in enumerate(files, start=1):
        try:
            clean = attachment_rules.clean_attachment(data)
        except ValidationError as exc:
            raise ValidationError({"files": f"{Path(name or '').name}: {exc.messages[0]}"}) from None
        cleaned.append((_safe_name(name, clean, index), clean))
    return cleaned


def _store_files(
    key: bytes,
    report: Report,
    files: list[tuple[str, attachment_rules.CleanFile]],
    *,
    message: Message | None,
    from_reporter: bool,
    today: dt.date,
    pending: _PendingFiles,
) -> None:
    rows = []
    for name, clean in files:
        storage_name, meta = pending.write(key, report, clean, name)
        rows.append(
            Attachment(
                report=report,
                message=message,
                storage_name=storage_name,
                meta=meta,
                from_reporter=from_reporter,
                added_on=today,
            )
        )
    Attachment.objects.bulk_create(rows)


def sweep_orphan_files(older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Files left by a write that never committed (a crash mid-request): sealed under a key that was
    never stored, so unreadable anyway; removed all the same."""
    known = set(Attachment.objects.values_list("storage_name", flat=True))
    cutoff = timezone.now().timestamp() - older_than.total_seconds()
    removed = 0
    for path in _files_dir().iterdir():
        if path.name not in known and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# --- conflicts of interest ----------------------------------------------------------------------------


def _superior_chain(position: Position | None) -> set[int]:
    chain: set[int] = set()
    current = position.superior if position else None
    while current is not None and current.pk not in chain:
        chain.add(current.pk)
        current = current.superior
    return chain


def _chain_above(report: Report) -> set[int]:
    """The reported employee's superiors' posts, walked once per report and reported employee: the
    conflict rule is asked for every candidate handler in a row."""
    cached = report.__dict__.get("_chain_above")
    if cached is None or cached[0] != report.reported_employee_id:
        target = report.reported_employee
        cached = (report.reported_employee_id, _superior_chain(target.position) if target else set())
        report.__dict__["_chain_above"] = cached
    return cached[1]


def conflict_of(report: Report, user: User) -> str | None:
    """Why this person may not see this report, or None. The rule of the brief: nobody in the reported
    person's chain of command (the person themself, their superiors, their OPD's leadership)."""
    employee = user.employee
    if employee is None:
        return None
    target = report.reported_employee
    if target is not None:
        if employee.pk == target.pk:
            return _("terlapor sendiri")
        if employee.position_id and employee.position_id in _chain_above(report):
            return _("atasan terlapor")
    opd_id = report.opd_id or (target.opd_id if target else None)
    position = employee.position
    if (
        opd_id
        and employee.opd_id == opd_id
        and position is not None
        and (position.is_head_of_opd or position.level in Position.STRUCTURAL_LEVELS)
    ):
        return _("pimpinan OPD terlapor")
    return None


def _public_key(user: User) -> PublicKey | None:
    row = HandlerKey.objects.filter(user=user).first()
    return PublicKey(bytes(row.public_key)) if row else None


def eligible_handlers(report: Report) -> list[User]:
    """Inspektorat and BKPSDM staff who hold a key and have no conflict with this report."""
    candidates = (
        User.objects.filter(is_active=True, role_grants__role__in=HANDLING_ROLES, case_key__isnull=False)
        .select_related("employee__position__superior", "case_key")
        .prefetch_related("role_grants")
        .distinct()
        .order_by("full_name")
    )
    return [user for user in candidates if conflict_of(report, user) is None]


def _mayors() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role_grants__role=Role.WALI_KOTA, case_key__isnull=False)
        .select_related("employee__position__superior", "case_key")
        .distinct()
    )


def _grant_new(report: Report, key: bytes, grants: Sequence[tuple[User, str]], today: dt.date) -> None:
    """Share a report that nobody holds yet (intake): one insert, keys from the prefetched rows."""
    Assignment.objects.bulk_create(
        [
            Assignment(
                report=report,
                user=user,
                role=role,
                wrapped_key=crypto.wrap_key(key, PublicKey(bytes(user.case_key.public_key))),
                assigned_on=today,
            )
            for user, role in grants
        ]
    )


def _grant(report: Report, key: bytes, user: User, role: str, by: User | None, today: dt.date) -> Assignment | None:
    public_key = _public_key(user)
    if public_key is None:
        return None
    assignment, _created = Assignment.objects.update_or_create(
        report=report,
        user=user,
        defaults={
            "role": role,
            "wrapped_key": crypto.wrap_key(key, public_key),
            "assigned_on": today,
            "assigned_by": by,
        },
    )
    return assignment


# --- access ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandlerAccess:
    report: Report
    user: User
    key: bytes


def can_see_queue(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.has_role(Role.INSPEKTORAT, Role.BKPSDM, Role.WALI_KOTA)
    )


def _conflicts(user: User) -> Q:
    """``conflict_of`` as a filter: the reports this person may never handle."""
    employee = user.employee
    if employee is None:
        return Q(pk__in=[])
    conflicts = Q(reported_employee=employee)
    if employee.position_id:
        below: set[int] = set()
        frontier = {employee.position_id}
        while frontier:
            frontier = set(Position.objects.filter(superior_id__in=frontier).values_list("pk", flat=True)) - below
            below |= frontier
        conflicts |= Q(reported_employee__position__in=below)
    position = employee.position
    if position is not None and (position.is_head_of_opd or position.level in Position.STRUCTURAL_LEVELS):
        conflicts |= Q(opd_id=employee.opd_id) | Q(opd__isnull=True, reported_employee__opd_id=employee.opd_id)
    return conflicts


def visible_reports(user: User) -> QuerySet[Report]:
    """Reports this user may find in the queue: Inspektorat sees the whole queue's metadata (to assign
    work); everyone else sees only what is assigned to them. Nobody sees a report about someone in
    their chain of command, not even its number and date: that alone tells the reported when."""
    if user.has_role(Role.INSPEKTORAT):
        return Report.objects.exclude(_conflicts(user))
    return Report.objects.filter(assignments__user=user)


def open_as_handler(report_id: Any, user: User, private_key: PrivateKey | None) -> HandlerAccess:
    """The report with its key, for an assigned person; Http404 for anyone else."""
    assignment = (
        Assignment.objects.select_related("report__opd", "report__reported_employee", "report__recovery_key")
        .filter(report_id=report_id, user=user)
        .first()
    )
    if assignment is None or not can_see_queue(user):
        raise Http404
    report = assignment.report
    if report.is_purged:
        return HandlerAccess(report=report, user=user, key=b"")
    if private_key is None:
        raise PermissionDenied(_("Kunci Anda belum terbuka: keluar lalu masuk lagi dengan kata sandi."))
    try:
        key = crypto.unwrap_key(bytes(assignment.wrapped_key), private_key)
    except crypto.DecryptionFailed:
        raise PermissionDenied(
            _("Kunci laporan ini dibuat untuk kunci lama Anda. Minta rekan petugas membagikannya lagi.")
        ) from None
    _rewrap_for_recovery(report, key)
    return HandlerAccess(report=report, user=user, key=key)


def _rewrap_for_recovery(report: Report, key: bytes) -> None:
    """A report made before the current recovery key gets wrapped for it the first time a handler opens it."""
    if report.recovery_key is not None and report.recovery_key.active:
        return  # the usual case, read with the assignment: no query
    recovery = RecoveryKey.objects.filter(active=True).only("pk", "public_key").first()
    if recovery is None:
        return
    wrapped = crypto.wrap_key(key, PublicKey(bytes(recovery.public_key)))
    Report.objects.filter(pk=report.pk).update(recovery_key=recovery, recovery_wrapped=wrapped)
    report.recovery_key, report.recovery_wrapped = recovery, wrapped


def _check_assigned(access: HandlerAccess) -> None:
    if access.report.is_purged:
        raise ValidationError(_("Laporan ini sudah dimusnahkan sesuai masa simpan; tidak ada lagi yang bisa diubah."))


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


# --- intake ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    report: Report
    receipt: str  # shown once, never stored
    report_key: bytes


def _deadline(stage: str, start: dt.date) -> dt.date | None:
    days = settings.PAMONG_CASE_DEADLINES.get(stage)
    return workdays.add_working_days(start, days) if days else None


def _find_employee(number: str) -> Employee | None:
    digits = "".join(ch for ch in number or "" if ch.isalnum())
    return Employee.objects.filter(identity_number=digits).first() if digits else None


def submit_report(
    *,
    kind: str,
    answers: dict[str, Any],
    opd: OPD | None = None,
    reported_number: str = "",
    contact: str = "",
    reporter: User | None = None,
    files: Sequence[tuple[str, bytes]] = (),
    keep_from_mayor: bool = False,
    today: dt.date | None = None,
) -> Submitted:
    """Accept a report. ``reporter`` is given only when a logged-in employee chose to report under
    their name; their identity then goes into the sealed content, never into a column.
    ``keep_from_mayor``: the reporter says the Wali Kota or someone close to him is involved, so a
    pressure report is not shared with him (Inspektorat handles it, or forwards it outside)."""
    today = today or business_today()
    cleaned = facts.clean_facts(kind, answers, today=today)
    contact = facts.check_text(contact, _("Cara menghubungi Anda"), limit=facts.MAX_LINE)
    reported_number = facts.check_text(reported_number, _("NIP terlapor"), limit=40)
    clean_files = _clean_files(files)
    identity = None
    if reporter is not None and reporter.is_authenticated:
        employee = reporter.employee
        identity = {
            "name": reporter.full_name,
            "number": employee.identity_number if employee else reporter.username,
            "opd": employee.opd.name if employee else "",
        }
    content = {
        "kind": kind,
        "facts": cleaned,
        "reported_number": reported_number,
        "contact": contact,
        "reporter": identity,
        "keep_from_mayor": keep_from_mayor,
    }
    pending = _PendingFiles()
    try:
        submitted = _save_report(
            kind,
            content,
            opd,
            reported_number,
            clean_files,
            today=today,
            pending=pending,
            share_with_mayor=not keep_from_mayor,
        )
    except BaseException:
        pending.discard()
        raise
    return submitted


@transaction.atomic
def _save_report(
    kind: str,
    content: dict[str, Any],
    opd: OPD | None,
    reported_number: str,
    clean_files: list[tuple[str, attachment_rules.CleanFile]],
    *,
    today: dt.date,
    pending: _PendingFiles,
    share_with_mayor: bool,
) -> Submitted:
    report = Report(
        kind=kind,
        received_on=today,
        stage_since=today,
        due_on=_deadline(Stage.DITERIMA, today),
        opd=opd,
        reported_employee=_find_employee(reported_number),
    )
    key = crypto.new_report_key()
    receipt = crypto.new_receipt()
    report.content = _seal_json(key, report, content)
    report.receipt_locator = receipt.locator
    report.receipt_salt = receipt.salt
    report.receipt_verifier = receipt.verifier
    report.receipt_key = crypto.wrap_for_receipt(key, receipt.key)
    recovery = RecoveryKey.objects.filter(active=True).first()
    if recovery is not None:
        report.recovery_key = recovery
        report.recovery_wrapped = crypto.wrap_key(key, PublicKey(bytes(recovery.public_key)))
    report.save()
    if clean_files:
        _store_files(key, report, clean_files, message=None, from_reporter=True, today=today, pending=pending)
    Transition.objects.create(report=report, from_stage="", to_stage=Stage.DITERIMA, on=today)
    handlers = _least_loaded(eligible_handlers(report), INTAKE_HANDLERS, prefer_role=Role.INSPEKTORAT)
    mayors = []
    if kind == Kind.TEKANAN and share_with_mayor:
        mayors = [m for m in _mayors() if conflict_of(report, m) is None and m not in handlers]
    _grant_new(
        report,
        key,
        [(h, Assignment.Role.PETUGAS) for h in handlers] + [(m, Assignment.Role.PPK) for m in mayors],
        today,
    )
    title = _("Laporan baru %(number)s: %(kind)s") % {"number": report.number, "kind": report.get_kind_display()}
    _notify(handlers, title, _("Buka antrean laporan untuk membacanya."), report)
    if mayors:
        _notify(
            mayors,
            _("Laporan tekanan terhadap pegawai: %(number)s") % {"number": report.number},
            _("Seorang ASN/PTT melaporkan tekanan. Laporan ini langsung dibagikan kepada Anda."),
            report,
        )
    return Submitted(report=report, receipt=receipt.code, report_key=key)


def _least_loaded(users: list[User], count: int, *, prefer_role: str) -> list[User]:
    load = dict(
        Assignment.objects.filter(user__in=users, report__stage__in=OPEN_STAGES)
        .values_list("user")
        .annotate(n=Count("id"))
        .values_list("user", "n")
    )
    preferred = [u for u in users if u.has_role(prefer_role)] or users
    return sorted(preferred, key=lambda u: (load.get(u.pk, 0), u.pk))[:count]


def _notify(users: Iterable[User], title: str, body: str, report: Report) -> None:
    users = list(users)
    if not users:
        return
    url = reverse("cases:case", args=[report.pk])
    Notification.objects.bulk_create([Notification(user=u, title=title, body=body, url=url) for u in users])
    link = f"{settings.PAMONG_BASE_URL}{url}"
    mails = [(title, f"{body}\n\n{link}", None, [u.email]) for u in users if u.email]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))


def flush_intake_entries() -> int:
    """Put received reports into the ledger, shuffled, some time after they arrived.

    The public ledger shows each entry's time to the second; an entry written the moment a report
    arrived would say when the reporter pressed send. Intake entries are therefore written in
    batches — when a handler opens the queue and by ``cases_tick`` — in random order.
    """
    with transaction.atomic():
        pending = list(
            Transition.objects.select_related("report")
            .select_for_update(of=("self",))
            .filter(report__awaiting_ledger=True, from_stage="")
        )
        if not pending:
            return 0
        random.SystemRandom().shuffle(pending)
        ledger.append_entries([ledger.Act("cases.transition", t) for t in pending], by=None, role="sistem")
        Report.objects.filter(pk__in=[t.report_id for t in pending]).update(awaiting_ledger=False)
    return len(pending)


# --- the reporter's side ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReporterAccess:
    report: Report
    key: bytes


class ReceiptRefused(Exception):
    """A wrong code, or a receipt locked after too many wrong codes; the message says which."""


def _wait_seconds(failures: int) -> int:
    if failures >= RECEIPT_REFUSE_AFTER:
        return 24 * 3600
    if failures >= RECEIPT_SLOW_AFTER:
        return int(30 * 2 ** (failures - RECEIPT_SLOW_AFTER))
    return 0


def open_with_receipt(code: str) -> ReporterAccess:
    locator = crypto.receipt_locator(code)
    report = Report.objects.filter(receipt_locator=locator).first() if locator else None
    now = timezone.now()
    if report is None or not bytes(report.receipt_verifier):
        crypto.burn_receipt_work()
        raise ReceiptRefused(_("Kode tanda terima tidak dikenali. Periksa lagi 22 huruf dan angkanya."))
    if report.receipt_locked_until and report.receipt_locked_until > now:
        if report.receipt_failures >= RECEIPT_REFUSE_AFTER:
            raise ReceiptRefused(
                _("Terlalu banyak kode salah untuk tanda terima ini; coba lagi besok atau hubungi Inspektorat.")
            )
        seconds = int((report.receipt_locked_until - now).total_seconds()) + 1
        raise ReceiptRefused(_("Terlalu banyak kode salah. Tunggu %(s)d detik lalu coba lagi.") % {"s": seconds})
    receipt_key = crypto.open_receipt(code, bytes(report.receipt_salt), bytes(report.receipt_verifier))
    if receipt_key is None:
        with transaction.atomic():
            locked = _lock(report)
            failures = locked.receipt_failures + 1
            wait = _wait_seconds(failures)
            Report.objects.filter(pk=report.pk).update(
                receipt_failures=failures, receipt_locked_until=now + dt.timedelta(seconds=wait) if wait else None
            )
        raise ReceiptRefused(_("Kode tanda terima tidak dikenali. Periksa lagi 22 huruf dan angkanya."))
    if report.receipt_failures:
        Report.objects.filter(pk=report.pk).update(receipt_failures=0, receipt_locked_until=None)
    return ReporterAccess(report=report, key=crypto.unwrap_for_receipt(bytes(report.receipt_key), receipt_key))


def reporter_access(report_id: str, key: bytes) -> ReporterAccess | None:
    """From a reporter's cookie: the report, if the key still opens it."""
    report = Report.objects.filter(pk=report_id, purged_on__isnull=True).first()
    if report is None:
        return None
    try:
        crypto.unseal(key, str(report.pk), bytes(report.content))
    except crypto.DecryptionFailed:
        return None
    return ReporterAccess(report=report, key=key)


@dataclass(frozen=True)
class ThreadMessage:
    id: int
    author: str
    author_label: str
    by_name: str
    sent_on: dt.date
    body: str
    attachments: list[dict[str, Any]]


def _attachment_meta(key: bytes, report: Report, row: Attachment) -> dict[str, Any]:
    meta = _open_json(key, report, bytes(row.meta), f":meta:{row.storage_name}")
    return {"id": row.pk, **meta, "from_reporter": row.from_reporter, "added_on": row.added_on}


def thread(report: Report, key: bytes, *, internal: bool) -> list[ThreadMessage]:
    rows = report.messages.select_related("by").prefetch_related("attachments")
    if not internal:
        rows = rows.exclude(author=Message.Author.CATATAN)
    out = []
    for row in rows:
        out.append(
            ThreadMessage(
                id=row.pk,
                author=row.author,
                author_label=str(row.get_author_display()),
                # The reporter sees "Petugas", never a handler's name.
                by_name=(row.by.full_name if internal and row.by else ""),
                sent_on=row.sent_on,
                body=_open_json(key, report, bytes(row.body), f":msg:{row.pk}") or "",
                attachments=[_attachment_meta(key, report, a) for a in row.attachments.all()],
            )
        )
    return out


@dataclass(frozen=True)
class ReportView:
    report: Report
    content: dict[str, Any]
    rows: list[tuple[Any, Any]]
    messages: list[ThreadMessage]
    files: list[dict[str, Any]]  # attachments sent with the report itself
    history: list[Transition]


def read_report(report: Report, key: bytes, *, internal: bool) -> ReportView:
    content = _open_json(key, report, bytes(report.content)) or {}
    files = [_attachment_meta(key, report, a) for a in report.attachments.filter(message__isnull=True)]
    return ReportView(
        report=report,
        content=content,
        rows=facts.describe(report.kind, content.get("facts", {})),
        messages=thread(report, key, internal=internal),
        files=files,
        history=list(report.transitions.select_related("by").order_by("id")),
    )


def _post(
    report: Report,
    key: bytes,
    *,
    author: str,
    body: str,
    by: User | None,
    files: Sequence[tuple[str, bytes]] = (),
    today: dt.date,
) -> Message:
    body = facts.check_text(body, _("Pesan"), limit=MAX_MESSAGE)
    clean_files = _clean_files(files)
    if not body and not clean_files:
        raise ValidationError({"body": _("Tulis pesan atau lampirkan berkas.")})
    if report.is_purged:
        raise ValidationError(_("Laporan ini sudah dimusnahkan sesuai masa simpan."))
    message = Message.objects.create(report=report, author=author, by=by, sent_on=today, body=b"")
    message.body = _seal_json(key, report, body, f":msg:{message.pk}")
    message.save(update_fields=["body"])
    if clean_files:
        pending = _PendingFiles()
        try:
            with transaction.atomic():
                _store_files(
                    key,
                    report,
                    clean_files,
                    message=message,
                    from_reporter=author == Message.Author.PELAPOR,
                    today=today,
                    pending=pending,
                )
        except BaseException:
            pending.discard()
            raise
    return message


def reporter_reply(
    access: ReporterAccess, body: str, files: Sequence[tuple[str, bytes]] = (), today: dt.date | None = None
) -> Message:
    today = today or business_today()
    with transaction.atomic():
        report = _lock(access.report)
        if report.stage in CLOSED_STAGES and report.closed_on and report.purge_on and today > report.purge_on:
            raise ValidationError(_("Laporan ini sudah ditutup."))
        message = _post(report, access.key, author=Message.Author.PELAPOR, body=body, by=None, files=files, today=today)
        handlers = [a.user for a in report.assignments.select_related("user")]
        _notify(handlers, _("Pelapor membalas laporan %(number)s") % {"number": report.number}, "", report)
    return message


def read_attachment(
    report: Report, key: bytes, attachment_id: int, *, internal: bool = True
) -> tuple[dict[str, Any], bytes]:
    rows = Attachment.objects.filter(report=report, pk=attachment_id)
    if not internal:
        # Files of internal notes are the handlers' alone, even to someone who guesses their number.
        rows = rows.exclude(message__author=Message.Author.CATATAN)
    row = rows.first()
    if row is None or report.is_purged:
        raise Http404
    sealed = (_files_dir() / row.storage_name).read_bytes()
    data = _unpad(crypto.unseal(key, f"{report.pk}:file:{row.storage_name}", sealed))
    return _attachment_meta(key, report, row), data


# --- handling ----------------------------------------------------------------------------------------------


def post_message(
    access: HandlerAccess,
    body: str,
    *,
    internal: bool = False,
    files: Sequence[tuple[str, bytes]] = (),
    today: dt.date | None = None,
) -> Message:
    """A message to the reporter, or an internal note only handlers read."""
    _check_assigned(access)
    today = today or business_today()
    author = Message.Author.CATATAN if internal else Message.Author.PETUGAS
    with transaction.atomic():
        report = _lock(access.report)
        return _post(report, access.key, author=author, body=body, by=access.user, files=files, today=today)


def assign(access: HandlerAccess, user: User, *, today: dt.date | None = None) -> Assignment:
    _check_assigned(access)
    today = today or business_today()
    if not user.has_role(*HANDLING_ROLES):
        raise ValidationError(_("Hanya pegawai Inspektorat atau BKPSDM yang dapat ditugasi menangani laporan."))
    reason = conflict_of(access.report, user)
    if reason:
        raise ValidationError(
            _("%(name)s tidak boleh menangani laporan ini (%(reason)s).") % {"name": user.full_name, "reason": reason}
        )
    with transaction.atomic():
        report = _lock(access.report)
        assignment = _grant(report, access.key, user, Assignment.Role.PETUGAS, access.user, today)
        if assignment is None:
            raise ValidationError(
                _("%(name)s belum punya kunci laporan: minta dia masuk ke Pamong sekali dengan kata sandinya.")
                % {"name": user.full_name}
            )
        _notify([user], _("Anda ditugasi laporan %(number)s") % {"number": report.number}, "", report)
    return assignment


def unassign(access: HandlerAccess, user: User) -> None:
    _check_assigned(access)
    with transaction.atomic():
        report = _lock(access.report)
        if report.assignments.filter(user=user, role=Assignment.Role.PPK).exists():
            # The Wali Kota receives pressure reports and decisions by rule, not by a handler's choice.
            raise ValidationError(
                _("Wali Kota (PPK) menerima laporan ini menurut aturan; petugas tidak dapat melepasnya.")
            )
        others = report.assignments.filter(role=Assignment.Role.PETUGAS).exclude(user=user)
        if user != access.user and not others.exists():
            raise ValidationError(_("Laporan harus tetap punya setidaknya satu petugas."))
        if user == access.user and not others.exists():
            raise ValidationError(_("Tugaskan petugas lain dulu sebelum melepas laporan ini."))
        report.assignments.filter(user=user).delete()


def identify(
    access: HandlerAccess, *, employee: Employee | None, opd: OPD | None, today: dt.date | None = None
) -> list[User]:
    """Record who is reported (and their OPD). Anyone assigned who is now in their chain of command
    loses the report key at once. Returns the people removed."""
    _check_assigned(access)
    with transaction.atomic():
        report = _lock(access.report)
        report.reported_employee = employee
        report.opd = opd or (employee.opd if employee else None)
        report.save(update_fields=["reported_employee", "opd"])
        removed = [
            a.user for a in report.assignments.select_related("user__employee__position") if conflict_of(report, a.user)
        ]
        if access.user in removed:
            raise ValidationError(
                _("Anda sendiri berada dalam garis komando terlapor; serahkan laporan ini ke petugas lain dulu.")
            )
        report.assignments.filter(user__in=removed).delete()
    access.report.__dict__.update(report.__dict__)  # as after a step: the caller's report is current
    return removed


def _transition(
    access: HandlerAccess,
    to_stage: str,
    *,
    today: dt.date | None,
    note: str = "",
    facts_: dict[str, Any] | None = None,
    updates: dict[str, Any] | None = None,
    require_note: bool = False,
    from_stage: str = "",
) -> Report:
    _check_assigned(access)
    today = today or business_today()
    note = facts.check_text(note, _("Catatan"), limit=MAX_MESSAGE)
    if require_note and not note:
        raise ValidationError({"note": _("Tuliskan alasannya; pelapor akan membacanya.")})
    report = _lock(access.report)
    allowed = NEXT_STAGES.get(report.stage, frozenset())
    # ``from_stage``: a step that leads to a stage reachable from several (examination begins only
    # after verification; only the Wali Kota's return comes from the recommendation).
    if to_stage not in allowed or (from_stage and report.stage != from_stage):
        raise ValidationError(
            _("Laporan ini sedang pada tahap %(now)s; langkah ke %(next)s tidak bisa dilakukan sekarang.")
            % {"now": report.get_stage_display(), "next": Stage(to_stage).label}
        )
    transition = Transition(report=report, from_stage=report.stage, to_stage=to_stage, by=access.user, on=today)
    transition.facts = facts_ or {}
    if note:
        transition.note = crypto.seal(access.key, f"{report.pk}:transition:{transition.salt}", note.encode())
    transition.save()
    report.stage = to_stage
    report.stage_since = today
    report.due_on = _deadline(to_stage, today)
    report.reminded_on = None
    for name, value in (updates or {}).items():
        setattr(report, name, value)
    if to_stage in CLOSED_STAGES:
        report.closed_on = today
        report.purge_on = today + dt.timedelta(days=settings.PAMONG_CASE_RETENTION_DAYS)
        report.due_on = None
    report.save()
    ledger.append_entry("cases.transition", transition, by=access.user)
    access.report.__dict__.update(report.__dict__)
    return report


def note_for_reporter(report: Report, key: bytes, transition: Transition) -> str:
    """The reason of a step, if it is one handlers are told the reporter will read (a rejection, or a
    closure as not proven); otherwise ""."""
    shown = transition.to_stage == Stage.DITOLAK or (
        transition.to_stage == Stage.SELESAI and transition.facts.get("outcome") == Outcome.TIDAK_TERBUKTI
    )
    if not shown:
        return ""
    try:
        return transition_note(report, key, transition)
    except crypto.DecryptionFailed:
        return ""


def transition_note(report: Report, key: bytes, transition: Transition) -> str:
    if not bytes(transition.note):
        return ""
    return crypto.unseal(key, f"{report.pk}:transition:{transition.salt}", bytes(transition.note)).decode()


def _require_role(access: HandlerAccess, *roles: str) -> None:
    if not access.user.has_role(*roles):
        raise PermissionDenied(_("Langkah ini bukan wewenang peran Anda."))


@transaction.atomic
def start_verification(access: HandlerAccess, *, today: dt.date | None = None) -> Report:
    _require_role(access, *HANDLING_ROLES)
    return _transition(access, Stage.VERIFIKASI, today=today)


@transaction.atomic
def begin_examination(access: HandlerAccess, examiner: str, *, note: str = "", today: dt.date | None = None) -> Report:
    """Verified: the reported person's direct superior or the Inspektorat examines (PP 94/2021 Pasal 26)."""
    _require_role(access, *HANDLING_ROLES)
    if examiner not in Examiner.values:
        raise ValidationError({"examiner": _("Pilih siapa yang memeriksa: atasan langsung atau Inspektorat.")})
    if examiner == Examiner.ATASAN and access.report.reported_employee is None:
        raise ValidationError(
            {"examiner": _("Tetapkan dulu pegawai terlapor; atasan langsungnya yang akan memeriksa.")}
        )
    return _transition(
        access,
        Stage.PEMERIKSAAN,
        today=today,
        note=note,
        facts_={"examiner": examiner},
        updates={"examiner": examiner},
        from_stage=Stage.VERIFIKASI,
    )


@transaction.atomic
def recommend(
    access: HandlerAccess,
    *,
    track: str,
    ethics_sanction: str = "",
    discipline_sanction: str = "",
    election_stage: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Report:
    """The examiner's finding. The examiner decides the track; Pamong records it (with the election
    stage) and checks only that the sanctions fit it. The key goes to the Wali Kota, who decides."""
    _require_role(access, *HANDLING_ROLES)
    today = today or business_today()
    errors: dict[str, str] = {}
    if track not in {Track.ETIK, Track.DISIPLIN, Track.KEDUANYA}:
        errors["track"] = _("Pilih jalur: kode etik, disiplin, atau keduanya. Bila tidak terbukti, tutup laporan.")
    if track in {Track.ETIK, Track.KEDUANYA} and ethics_sanction not in EthicsSanction.values:
        errors["ethics_sanction"] = _("Pilih sanksi moral: pernyataan tertutup atau terbuka.")
    if track == Track.DISIPLIN and ethics_sanction:
        errors["ethics_sanction"] = _("Jalur disiplin saja tidak memakai sanksi moral.")
    if track in {Track.DISIPLIN, Track.KEDUANYA} and discipline_sanction not in DisciplineSanction.values:
        errors["discipline_sanction"] = _("Pilih hukuman disiplin menurut PP 94/2021 Pasal 8.")
    if track == Track.ETIK and discipline_sanction:
        errors["discipline_sanction"] = _("Jalur kode etik saja tidak memakai hukuman disiplin.")
    if election_stage and election_stage not in ElectionStage.values:
        errors["election_stage"] = _("Pilih tahap pemilihan yang benar.")
    if access.report.kind == Kind.NETRALITAS and not election_stage:
        errors["election_stage"] = _(
            "Untuk pelanggaran netralitas, catat apakah terjadi sebelum atau sesudah penetapan calon."
        )
    if access.report.reported_employee is None:
        errors["track"] = _("Tetapkan dulu pegawai terlapor sebelum merekomendasikan sanksi.")
    if (_open_json(access.key, access.report, bytes(access.report.content)) or {}).get("keep_from_mayor"):
        # The PPK is the Wali Kota; the reporter said he is involved.
        errors["track"] = _(
            "Pelapor menyatakan Wali Kota atau orang dekatnya terlibat, jadi rekomendasi tidak dikirim kepadanya: "
            "teruskan laporan ini ke BKN."
        )
    if errors:
        raise ValidationError(errors)
    level = SANCTION_LEVEL.get(discipline_sanction, "")  # type: ignore[call-overload]
    report = _transition(
        access,
        Stage.REKOMENDASI,
        today=today,
        note=note,
        facts_={
            "track": track,
            "ethics_sanction": ethics_sanction,
            "discipline_sanction": discipline_sanction,
            "discipline_level": str(level),
            "election_stage": election_stage,
        },
        updates={
            "track": track,
            "ethics_sanction": ethics_sanction,
            "discipline_sanction": discipline_sanction,
            "election_stage": election_stage,
        },
    )
    mayors = [m for m in _mayors() if conflict_of(report, m) is None]
    for mayor in mayors:
        _grant(report, access.key, mayor, Assignment.Role.PPK, access.user, today)
    _notify(
        mayors,
        _("Rekomendasi sanksi menunggu keputusan Anda: %(number)s") % {"number": report.number},
        _("Sebagai PPK, Wali Kota memutuskan sanksinya."),
        report,
    )
    return report


@transaction.atomic
def decide(
    access: HandlerAccess,
    *,
    approve: bool,
    ethics_sanction: str = "",
    discipline_sanction: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Report:
    """The Wali Kota's decision as PPK: impose the recommended sanction (or another one on the same
    track), or send the case back for further examination with a reason."""
    _require_role(access, Role.WALI_KOTA)
    report = access.report
    if not approve:
        return _transition(
            access,
            Stage.PEMERIKSAAN,
            today=today,
            note=note,
            require_note=True,
            facts_={"returned": True},
            from_stage=Stage.REKOMENDASI,
        )
    ethics_sanction = ethics_sanction or report.ethics_sanction
    discipline_sanction = discipline_sanction or report.discipline_sanction
    if report.track in {Track.ETIK, Track.KEDUANYA} and ethics_sanction not in EthicsSanction.values:
        raise ValidationError({"ethics_sanction": _("Pilih sanksi moral: pernyataan tertutup atau terbuka.")})
    if report.track in {Track.DISIPLIN, Track.KEDUANYA} and discipline_sanction not in DisciplineSanction.values:
        raise ValidationError({"discipline_sanction": _("Pilih hukuman disiplin menurut PP 94/2021 Pasal 8.")})
    if report.track == Track.ETIK:
        discipline_sanction = ""
    if report.track == Track.DISIPLIN:
        ethics_sanction = ""
    return _transition(
        access,
        Stage.DIPUTUS,
        today=today,
        note=note,
        facts_={
            "ethics_sanction": ethics_sanction,
            "discipline_sanction": discipline_sanction,
            "discipline_level": str(SANCTION_LEVEL.get(discipline_sanction, "")),  # type: ignore[call-overload]
        },
        updates={
            "ethics_sanction": ethics_sanction,
            "discipline_sanction": discipline_sanction,
            "outcome": Outcome.SANKSI,
        },
    )


@transaction.atomic
def close(access: HandlerAccess, *, note: str = "", today: dt.date | None = None) -> Report:
    """After the decision is carried out; or, from examination, because the report was not proven."""
    _require_role(access, *HANDLING_ROLES)
    if access.report.stage == Stage.PEMERIKSAAN:
        return _transition(
            access,
            Stage.SELESAI,
            today=today,
            note=note,
            require_note=True,
            facts_={"outcome": Outcome.TIDAK_TERBUKTI},
            updates={"outcome": Outcome.TIDAK_TERBUKTI, "track": Track.TIDAK_TERBUKTI},
        )
    return _transition(access, Stage.SELESAI, today=today, note=note, facts_={"outcome": access.report.outcome})


@transaction.atomic
def reject(access: HandlerAccess, *, reason: str, today: dt.date | None = None) -> Report:
    _require_role(access, *HANDLING_ROLES)
    return _transition(
        access,
        Stage.DITOLAK,
        today=today,
        note=reason,
        require_note=True,
        facts_={"outcome": Outcome.DITOLAK},
        updates={"outcome": Outcome.DITOLAK},
    )


@transaction.atomic
def forward(access: HandlerAccess, *, to: str, note: str = "", today: dt.date | None = None) -> Report:
    """Hand the case to BKN, Bawaslu or the police; the export package goes with it (see ``export_package``)."""
    _require_role(access, *HANDLING_ROLES)
    if to not in ForwardTarget.values:
        raise ValidationError({"to": _("Pilih tujuan: BKN, Bawaslu, atau Kepolisian.")})
    return _transition(
        access,
        Stage.DITERUSKAN,
        today=today,
        note=note,
        facts_={"to": to, "outcome": Outcome.DITERUSKAN},
        updates={"forwarded_to": to, "outcome": Outcome.DITERUSKAN},
    )


# The steps of a case by the names the handlers' pages and the API give them, each with the fields
# its function reads.
STEPS: dict[str, tuple[Callable[..., Report], tuple[str, ...]]] = {
    "verifikasi": (start_verification, ()),
    "periksa": (begin_examination, ("examiner", "note")),
    "rekomendasi": (recommend, ("track", "ethics_sanction", "discipline_sanction", "election_stage", "note")),
    "putus": (decide, ("approve", "ethics_sanction", "discipline_sanction", "note")),
    "tutup": (close, ("note",)),
    "tolak": (reject, ("reason",)),
    "teruskan": (forward, ("to", "note")),
}


def perform(access: HandlerAccess, action: str, /, *, today: dt.date | None = None, **fields: Any) -> Report:
    """One step of the case by its name. The step's own fields are passed on; any other is ignored."""
    if action not in STEPS:
        raise ValidationError({"action": _("Pilih langkah: %(actions)s.") % {"actions": ", ".join(STEPS)}})
    step, names = STEPS[action]
    return step(access, today=today, **{name: fields[name] for name in names if name in fields})


def export_package(access: HandlerAccess) -> bytes:
    """A ZIP for the receiving agency: the report's facts, the handlers' messages with the reporter,
    the steps taken, and the evidence files. The reporter's identity and contact stay out unless the
    reporter gave their name; internal notes stay out."""
    view = read_report(access.report, access.key, internal=False)
    report = access.report
    summary = {
        "nomor": report.number,
        "jenis": str(report.get_kind_display()),
        "diterima": report.received_on.isoformat(),
        "tahap": str(report.get_stage_display()),
        "opd_terlapor": report.opd.name if report.opd else "",
        "pegawai_terlapor": (
            f"{report.reported_employee.name} ({mask_identity_number(report.reported_employee.identity_number)})"
            if report.reported_employee
            else ""
        ),
        "fakta": {str(label): str(value) for label, value in view.rows},
        "pelapor": (view.content.get("reporter") or {}).get("name") or _("dirahasiakan"),
        "pesan": [{"dari": m.author_label, "tanggal": m.sent_on.isoformat(), "isi": m.body} for m in view.messages],
        "langkah": [
            {"dari": t.from_stage, "ke": t.to_stage, "tanggal": t.on.isoformat(), "fakta": t.facts}
            for t in view.history
        ],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("laporan.json", json.dumps(summary, ensure_ascii=False, indent=2))
        # Files of internal notes stay out with the notes; each file is numbered so two "bukti-1.jpg" never clash.
        shared = Attachment.objects.filter(report=report).exclude(message__author=Message.Author.CATATAN)
        for row in shared:
            meta, data = read_attachment(report, access.key, row.pk)
            archive.writestr(f"bukti/{row.pk}-{meta['name']}", data)
    return out.getvalue()


# --- deadlines, reminders, retention ------------------------------------------------------------------------


def overdue(queryset: QuerySet[Report], today: dt.date | None = None) -> QuerySet[Report]:
    today = today or business_today()
    return queryset.filter(stage__in=OPEN_STAGES, due_on__lt=today)


@dataclass
class TickResult:
    ledgered: int = 0
    reminded: int = 0
    flagged: int = 0
    purged: int = 0


def tick(today: dt.date | None = None) -> TickResult:
    """Run by ``manage.py cases_tick`` (every few minutes from cron or a timer)."""
    today = today or business_today()
    result = TickResult(ledgered=flush_intake_entries())
    remind_from = workdays.add_working_days(today, settings.PAMONG_CASE_REMIND_DAYS)
    due = Report.objects.filter(stage__in=OPEN_STAGES, due_on__lte=remind_from).exclude(reminded_on=today)
    for report in due.select_related("reported_employee__position"):
        with transaction.atomic():
            locked = _lock(report)
            if locked.reminded_on == today:
                continue
            late = locked.due_on is not None and locked.due_on < today
            users = [a.user for a in locked.assignments.select_related("user")]
            if late:
                title = _("Lewat batas waktu: laporan %(number)s (%(stage)s)")
            else:
                title = _("Batas waktu mendekat: laporan %(number)s (%(stage)s)")
            _notify(users, title % {"number": locked.number, "stage": locked.get_stage_display()}, "", locked)
            updates: dict[str, Any] = {"reminded_on": today}
            if (
                late
                and locked.stage == Stage.PEMERIKSAAN
                and locked.examiner == Examiner.ATASAN
                and not locked.superior_flagged_on
            ):
                # PP 94/2021 Pasal 26/28: a superior who does not examine is himself liable.
                updates["superior_flagged_on"] = today
                result.flagged += 1
            Report.objects.filter(pk=locked.pk).update(**updates)
            result.reminded += 1
    for report in Report.objects.filter(purge_on__lt=today, purged_on__isnull=True):
        purge(report, today=today)
        result.purged += 1
    return result


def purge(report: Report, *, today: dt.date | None = None) -> None:
    """Destroy a report's key and everything sealed under it. What remains: the stage, dates, outcome
    and OPD (for the statistics) and the transitions whose hashes are in the ledger."""
    today = today or business_today()
    with transaction.atomic():
        locked = _lock(report)
        names = list(locked.attachments.values_list("storage_name", flat=True))
        locked.assignments.all().delete()
        locked.attachments.all().delete()
        locked.messages.all().delete()
        locked.transitions.update(note=b"")
        Report.objects.filter(pk=locked.pk).update(
            content=b"",
            receipt_locator=None,
            receipt_salt=b"",
            receipt_verifier=b"",
            receipt_key=b"",
            recovery_wrapped=b"",
            purged_on=today,
        )
        transaction.on_commit(lambda: _unlink(names))


def _unlink(names: Iterable[str]) -> None:
    for name in names:
        (_files_dir() / name).unlink(missing_ok=True)


# --- recovery -------------------------------------------------------------------------------------------------


def is_inspectorate_head(user: Any) -> bool:
    """The Inspektur: an Inspektorat handler who heads the Inspektorat. The recovery key is theirs."""
    employee = getattr(user, "employee", None)
    if employee is None or employee.position is None:
        return False
    return bool(
        user.has_role(Role.INSPEKTORAT)
        and employee.position.is_head_of_opd
        and employee.opd.kind == OPD.Kind.INSPEKTORAT
    )


def create_recovery_key(by: User) -> str:
    """A new recovery key for the Inspektorat head; the text is returned once and never stored.
    New reports are wrapped for it, older ones the next time a handler opens them.

    Only the head: whoever holds the text can share every report with anyone, so an auditor who
    could make a new key would read every report after it, assigned to them or not."""
    if not by.has_role(Role.INSPEKTORAT):
        raise PermissionDenied(_("Hanya Inspektorat yang membuat kunci pemulihan."))
    if not is_inspectorate_head(by):
        raise PermissionDenied(_("Hanya Inspektur, kepala Inspektorat, yang membuat kunci pemulihan."))
    public_key, text = crypto.new_recovery_key()
    with transaction.atomic():
        RecoveryKey.objects.filter(active=True).update(active=False)
        RecoveryKey.objects.create(public_key=bytes(public_key), created_by=by)
    return text


def recover_access(recovery_text: str, *, for_user: User, today: dt.date | None = None) -> int:
    """With the recovery key, give ``for_user`` every report not yet destroyed that the key unwraps and
    they have no conflict with. Returns how many reports they received."""
    today = today or business_today()
    if not for_user.has_role(*HANDLING_ROLES):
        raise ValidationError(_("Hanya pegawai Inspektorat atau BKPSDM yang dapat menerima akses laporan."))
    try:
        private_key = crypto.recovery_private_key(recovery_text)
    except crypto.DecryptionFailed:
        raise ValidationError(_("Kunci pemulihan tidak sah; periksa lagi tulisannya.")) from None
    granted = 0
    with transaction.atomic():
        for report in Report.objects.filter(purged_on__isnull=True).exclude(recovery_wrapped=b""):
            try:
                key = crypto.unwrap_key(bytes(report.recovery_wrapped), private_key)
            except crypto.DecryptionFailed:
                continue
            if conflict_of(report, for_user) is None and _grant(
                report, key, for_user, Assignment.Role.PETUGAS, None, today
            ):
                granted += 1
    return granted


# --- statistics ------------------------------------------------------------------------------------------------

SMALL = 5


def suppressed(count: int) -> int | str:
    """A count as published: cells under 5 become "<5" so nobody can be singled out."""
    return "<5" if 0 < count < SMALL else count


def _suppress_cells(counts: list[int]) -> list[int | str]:
    """Small cells become "<5"; when only one cell in a row of counts is hidden, the next smallest is
    hidden too, so the hidden one cannot be recovered by subtracting the others from the total."""
    shown: list[int | str] = [suppressed(n) for n in counts]
    hidden = [i for i, value in enumerate(shown) if value == "<5"]
    if len(hidden) == 1:
        others = sorted((n, i) for i, n in enumerate(counts) if i not in hidden and n > 0)
        if others:
            shown[others[0][1]] = "≥5"
    return shown


def statistics(queryset: QuerySet[Report] | None = None) -> dict[str, Any]:
    """Counts by kind, stage, outcome and OPD, with small cells suppressed."""
    queryset = Report.objects.all() if queryset is None else queryset

    def by(field_name: str, labels: dict[Any, Any]) -> list[dict[str, Any]]:
        rows = list(queryset.values(field_name).annotate(n=Count("id")).order_by(field_name))
        return [
            {
                "key": row[field_name] or "",
                "label": str(labels.get(row[field_name], row[field_name] or "—")),
                "count": count,
            }
            for row, count in zip(rows, _suppress_cells([row["n"] for row in rows]), strict=True)
        ]

    opd_names = dict(OPD.objects.filter(pk__in=queryset.values("opd")).values_list("pk", "name"))
    return {
        "total": suppressed(queryset.count()),
        "open": suppressed(queryset.filter(stage__in=OPEN_STAGES).count()),
        "overdue": suppressed(overdue(queryset).count()),
        "by_kind": by("kind", dict(Kind.choices)),
        "by_stage": by("stage", dict(Stage.choices)),
        "by_outcome": by("outcome", {**dict(Outcome.choices), "": _("Belum ada")}),
        "by_opd": by("opd", {None: _("Belum diketahui"), **opd_names}),
    }


def queue(user: User, *, stage: str = "", kind: str = "", mine: bool = False) -> QuerySet[Report]:
    """What this user may find, open cases before closed, then by deadline."""
    rows = visible_reports(user).select_related("opd")
    if stage:
        rows = rows.filter(stage=stage)
    if kind:
        rows = rows.filter(kind=kind)
    if mine:
        rows = rows.filter(assignments__user=user)
    rows = rows.annotate(
        assigned_to_me=Count("assignments", filter=Q(assignments__user=user)),
        closed=Case(When(stage__in=CLOSED_STAGES, then=Value(1)), default=Value(0), output_field=IntegerField()),
    )
    order: list[Any] = ["closed"]
    if user.has_role(Role.WALI_KOTA):
        # Pressure reports reach the Wali Kota first.
        rows = rows.annotate(
            pressure_last=Case(When(kind=Kind.TEKANAN, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        order.append("pressure_last")
    return rows.order_by(*order, F("due_on").asc(nulls_last=True), "-received_on", "number")


def deadline_state(report: Report, today: dt.date | None = None) -> str:
    """ "late" past the stage's deadline, "soon" within the reminder window, else ""."""
    today = today or business_today()
    if not report.is_open or report.due_on is None:
        return ""
    if report.due_on < today:
        return "late"
    return "soon" if report.due_on <= workdays.add_working_days(today, settings.PAMONG_CASE_REMIND_DAYS) else ""
