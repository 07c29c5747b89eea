"""Every state change of a declaration campaign: one function, one transaction, one ledger entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pamong.core import ledger
from pamong.core.clock import business_today
from pamong.core.models import Notification
from pamong.neutrality import queries
from pamong.neutrality.models import Campaign, Signature, text_sha256
from pamong.organisation.identity import mask_identity_number
from pamong.organisation.models import OPD, Employee, Role, User

MAX_DRAWING = 20_000
# An SVG path of straight and curved strokes: commands, numbers, spaces, commas. Nothing else.
_DRAWING = re.compile(r"^[MLQCZmlqcz0-9 .,\-]*$")

CAMPAIGN_FIELDS = (
    "title",
    "text",
    "text_version",
    "legal_basis",
    "opens_on",
    "closes_on",
    "election_date",
    "eligible_kinds",
    "witness_bodies",
)


def _check_campaign(campaign: Campaign) -> None:
    kinds = set(campaign.eligible_kinds or [])
    if not kinds or not kinds <= set(Employee.Kind.values):
        raise ValidationError({"eligible_kinds": _("Pilih siapa yang wajib menandatangani: PNS, PPPK, dan/atau PTT.")})
    if campaign.closes_on < campaign.opens_on:
        raise ValidationError({"closes_on": _("Batas penandatanganan tidak boleh sebelum tanggal mulai.")})
    if not campaign.text.strip():
        raise ValidationError({"text": _("Teks deklarasi wajib diisi.")})


def _check_manager(by: User | None) -> None:
    if by is not None and not queries.can_manage_campaigns(by):
        raise ValidationError(_("Hanya BKPSDM dan Sekda yang mengelola kampanye deklarasi."))


@transaction.atomic
def create_campaign(*, by: User | None, slug: str, eligible_opds: list[OPD] | None = None, **fields: Any) -> Campaign:
    _check_manager(by)
    campaign = Campaign(slug=slug, created_by=by, **{k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS})
    campaign.text = campaign.text.replace("\r\n", "\n")
    campaign.text_sha256 = text_sha256(campaign.text)
    _check_campaign(campaign)
    campaign.full_clean(exclude=["eligible_opds"])
    campaign.save()
    campaign.eligible_opds.set(eligible_opds or [])
    return campaign


@transaction.atomic
def update_campaign(
    campaign: Campaign, *, by: User | None, eligible_opds: list[OPD] | None = None, **fields: Any
) -> Campaign:
    """Change a campaign. Its text and version are fixed once anyone has signed: a new text is a new campaign."""
    _check_manager(by)
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    new_text = fields.get("text", locked.text).replace("\r\n", "\n")
    text_changes = new_text != locked.text or fields.get("text_version", locked.text_version) != locked.text_version
    if text_changes and Signature.objects.filter(campaign=locked).exists():
        raise ValidationError(
            {"text": _("Teks sudah ditandatangani dan tidak dapat diubah lagi. Buat kampanye baru untuk versi baru.")}
        )
    for key, value in fields.items():
        if key in CAMPAIGN_FIELDS:
            setattr(locked, key, value)
    locked.text = new_text
    locked.text_sha256 = text_sha256(new_text)
    _check_campaign(locked)
    locked.full_clean(exclude=["eligible_opds"])
    locked.save()
    if eligible_opds is not None:
        locked.eligible_opds.set(eligible_opds)
    return locked


def check_window(campaign: Campaign) -> None:
    """Raises unless the campaign is open on the business date."""
    today = business_today()
    if not campaign.is_open_on(today):
        raise ValidationError(
            _("Penandatanganan dibuka %(opens)s sampai %(closes)s; hari ini %(today)s.")
            % {
                "opens": formats.date_format(campaign.opens_on, "DATE_FORMAT"),
                "closes": formats.date_format(campaign.closes_on, "DATE_FORMAT"),
                "today": formats.date_format(today, "DATE_FORMAT"),
            }
        )


def capacity_for(campaign: Campaign, user: User) -> tuple[str, str]:
    """In what capacity this user signs, and for which witness body; raises when they may not sign."""
    if user.has_role(Role.WALI_KOTA):
        return Signature.Capacity.WALI_KOTA, ""
    if user.has_role(Role.SEKDA):
        return Signature.Capacity.SEKDA, ""
    if user.has_role(Role.SAKSI):
        bodies = [b for b in user.witness_bodies if b in (campaign.witness_bodies or [])]
        if not bodies:
            raise ValidationError(
                _("Lembaga Anda (%(body)s) bukan saksi deklarasi ini.")
                % {"body": ", ".join(user.witness_bodies) or "–"}
            )
        return Signature.Capacity.SAKSI, bodies[0]
    employee = user.employee
    if employee is None:
        raise ValidationError(_("Akun ini tidak terhubung dengan data pegawai, sehingga tidak dapat menandatangani."))
    if not queries.eligible_employees(campaign).filter(pk=employee.pk).exists():
        raise ValidationError(
            _(
                "Anda tidak termasuk pegawai yang wajib menandatangani deklarasi ini "
                "(status atau OPD Anda tidak termasuk)."
            )
        )
    return Signature.Capacity.PEGAWAI, ""


def _check_drawing(drawing: str) -> str:
    drawing = (drawing or "").strip()
    if len(drawing) > MAX_DRAWING or not _DRAWING.match(drawing):
        raise ValidationError(
            _("Gambar tanda tangan tidak dapat dibaca; hapus lalu gambar ulang, atau kirim tanpa gambar.")
        )
    return drawing


def _share_lock_campaign(campaign: Campaign) -> None:
    """Hold the campaign row against a text change until this signature commits.

    FOR KEY SHARE conflicts with the FOR UPDATE that update_campaign takes, but not with other
    signers, so the burst is not serialised. (The foreign key alone would not do: Django creates
    PostgreSQL foreign keys DEFERRABLE INITIALLY DEFERRED, checked only at commit.) SQLite's
    write lock already serialises the two.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {Campaign._meta.db_table} WHERE id = %s FOR KEY SHARE", [campaign.pk])  # noqa: S608


@transaction.atomic
def sign_declaration(campaign: Campaign, *, by: User, text_sha256: str, drawing: str = "") -> tuple[Signature, bool]:
    """Sign for oneself. Idempotent: a second press, or a second device, returns the first signature.

    Returns the signature and whether it was made now.
    """
    # Lock the signer's own row: two requests of the same person queue here, so exactly one signs.
    User.objects.select_for_update().filter(pk=by.pk).exists()
    _share_lock_campaign(campaign)
    existing = Signature.objects.filter(campaign=campaign, signer=by).first()
    if existing is not None:
        return existing, False
    # The caller's copy may be stale: check against the stored campaign.
    campaign = Campaign.objects.get(pk=campaign.pk)
    check_window(campaign)
    if text_sha256 != campaign.text_sha256:
        raise ValidationError(
            _(
                "Teks yang Anda baca bukan teks deklarasi yang berlaku. "
                "Muat ulang halaman, baca teksnya, lalu tanda tangani."
            )
        )
    capacity, witness_body = capacity_for(campaign, by)
    drawing = _check_drawing(drawing)
    employee = by.employee
    signature = Signature.objects.create(
        campaign=campaign,
        signer=by,
        employee=employee,
        opd_id=employee.opd_id if employee else None,
        employee_kind=employee.kind if employee else "",
        signer_name=employee.full_name if employee else by.full_name,
        identity_number=employee.identity_number if employee else by.username,
        capacity=capacity,
        witness_body=witness_body,
        text_sha256=campaign.text_sha256,
        drawing=drawing,
        signed_at=timezone.now(),
    )
    entry = ledger.append_entry("neutrality.signature", signature, by=by, role=capacity)
    signature.receipt_code = entry.receipt_code
    signature.save(update_fields=["receipt_code"])
    return signature, True


def signature_payload(signature: Signature) -> dict[str, Any]:
    """What the ledger vouches for: fields a signature never changes after it is made."""
    return {
        "campaign": signature.campaign.slug,
        "text_sha256": signature.text_sha256,
        "capacity": signature.capacity,
        "signer_user_id": signature.signer_id,
        "employee_id": signature.employee_id,
        "signer_name": signature.signer_name,
        "identity_masked": mask_identity_number(signature.identity_number),
        "opd_id": signature.opd_id,
        "witness_body": signature.witness_body,
        "signed_at": ledger.format_time(signature.signed_at),
        "drawing_sha256": hashlib.sha256(signature.drawing.encode()).hexdigest() if signature.drawing else "",
    }


def describe_signature(payload: dict[str, Any]) -> list[tuple[Any, Any]]:
    campaign = Campaign.objects.filter(slug=payload["campaign"]).only("title", "text_version").first()
    opd = OPD.objects.filter(pk=payload["opd_id"]).only("name").first() if payload.get("opd_id") else None
    signed_at = dt.datetime.fromisoformat(payload["signed_at"].replace("Z", "+00:00"))
    rows: list[tuple[Any, Any]] = [
        (_("Penanda tangan"), payload["signer_name"]),
        (_("Nomor identitas"), payload["identity_masked"]),
        (_("Sebagai"), Signature.Capacity(payload["capacity"]).label),
    ]
    if opd is not None:
        rows.append((_("OPD"), opd.name))
    if payload.get("witness_body"):
        rows.append((_("Lembaga saksi"), payload["witness_body"]))
    rows += [
        (_("Deklarasi"), campaign.title if campaign else payload["campaign"]),
        (_("Versi teks"), f"{campaign.text_version if campaign else '?'} (SHA-256 {payload['text_sha256'][:16]}…)"),
        (_("Waktu"), formats.date_format(timezone.localtime(signed_at), "DATETIME_FORMAT") + " WITA"),
    ]
    return rows


@transaction.atomic
def remind_unsigned(campaign: Campaign, opd: OPD, *, by: User, employee_ids: list[int] | None = None) -> int:
    """Remind the people of one OPD who have not signed: a notification in Pamong and, where they
    have an address, an e-mail. Returns how many were reminded."""
    if not queries.follow_up_opds(by).filter(pk=opd.pk).exists():
        raise ValidationError(_("Anda hanya dapat mengingatkan pegawai OPD Anda sendiri."))
    people = queries.unsigned_employees(campaign, opd)
    if employee_ids is not None:
        people = people.filter(pk__in=employee_ids)
    users = list(User.objects.filter(employee__in=people, is_active=True).select_related("employee"))
    url = reverse("neutrality:sign", args=[campaign.slug])
    title = _("Pengingat: tanda tangani %(title)s") % {"title": campaign.title}
    body = _(
        "Anda belum menandatangani %(title)s. Batasnya %(closes)s. Buka %(url)s untuk membaca dan menandatanganinya."
    ) % {
        "title": campaign.title,
        "closes": formats.date_format(campaign.closes_on, "DATE_FORMAT"),
        # Mail leaves Pamong, so its link is absolute; the in-app notification keeps the path.
        "url": settings.PAMONG_BASE_URL.rstrip("/") + url,
    }
    Notification.objects.bulk_create([Notification(user=u, title=title, body=body, url=url) for u in users])
    mails = [
        (title, body, settings.DEFAULT_FROM_EMAIL, [u.employee.email])
        for u in users
        if u.employee is not None and u.employee.email
    ]
    if mails:
        send_mass_mail(mails, fail_silently=True)
    return len(users)
