"""The staffing acts the ledger records, and how the public verification page puts each in words.

Payloads are recomputed from immutable rows (a proposal step, an acting assignment as assigned, an
extension, one version of a policy period). The words read the current names of posts, agencies and
officials; the payload itself holds their numbers, so renaming a post never breaks a proof.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pamong.core import ledger
from pamong.organisation.models import OPD, Employee, Position
from pamong.staffing.models import (
    ActingAssignment,
    PolicyPeriod,
    Proposal,
    acting_payload,
    extension_payload,
    step_payload,
)

Row = tuple[Any, Any]


def _day(text: str | None) -> str:
    if not text:
        return "–"
    try:
        return date_format(dt.date.fromisoformat(text), "j F Y")
    except ValueError:
        return text


def _post_rows(payload: dict[str, Any]) -> list[Row]:
    post = Position.objects.filter(pk=payload.get("position", 0)).only("name").first()
    opd = OPD.objects.filter(pk=payload.get("opd", 0)).only("name").first()
    level = dict(Position.Level.choices).get(payload.get("level", ""), payload.get("level", ""))
    return [
        (_("Jabatan"), post.name if post else f"#{payload.get('position')}"),
        (_("OPD"), opd.name if opd else f"#{payload.get('opd')}"),
        (_("Jenjang"), level),
    ]


def describe_step(payload: dict[str, Any]) -> list[Row]:
    statuses = dict(Proposal.Status.choices)
    facts = payload.get("facts") or {}
    rows: list[Row] = [(_("Nomor usulan"), f"#{payload.get('proposal')}"), *_post_rows(payload)]
    before, after = payload.get("from") or "", payload.get("to") or ""
    if before == after:
        rows.append((_("Langkah"), _("Laporan pengangkatan ke Kemendagri")))
    else:
        rows.append((_("Status"), f"{statuses.get(before, before or '–')} → {statuses.get(after, after)}"))
    rows.append((_("Tanggal"), _day(payload.get("on"))))
    labels = {
        "quota": _("Kelompok kuota"),
        "letter": _("Nomor surat"),
        "decree": _("Nomor SK"),
        "decree_date": _("Tanggal SK"),
        "appointee": _("Yang diangkat"),
        "reported_on": _("Dilaporkan tanggal"),
        "reason": _("Alasan"),
    }
    for key, label in labels.items():
        value = facts.get(key)
        if value:
            rows.append((label, _day(value) if key.endswith(("_on", "_date")) else value))
    if facts.get("late"):
        rows.append((_("Catatan"), _("Dilaporkan melewati batas 7 hari kerja.")))
    return rows


def describe_acting(payload: dict[str, Any]) -> list[Row]:
    official = Employee.objects.filter(pk=payload.get("employee", 0)).only("name", "front_title", "back_title").first()
    kind = dict(ActingAssignment.Kind.choices).get(payload.get("kind", ""), payload.get("kind", ""))
    return [
        *_post_rows(payload),
        (_("Penugasan"), kind),
        (_("Pejabat Plt/Plh"), official.full_name if official else f"#{payload.get('employee')}"),
        (_("Mulai"), _day(payload.get("starts_on"))),
        (_("Berakhir"), _day(payload.get("ends_on"))),
    ]


def describe_extension(payload: dict[str, Any]) -> list[Row]:
    return [
        (_("Penugasan Plt/Plh"), f"#{payload.get('assignment')}"),
        (_("Semula berakhir"), _day(payload.get("from_ends_on"))),
        (_("Diperpanjang sampai"), _day(payload.get("ends_on"))),
        (_("Ditetapkan"), _day(payload.get("on"))),
    ]


def period_payload(period: PolicyPeriod) -> dict[str, Any]:
    return {
        "code": period.code,
        "version": period.version,
        "name": period.name,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat() if period.ends_on else None,
        "approval_levels": sorted(period.approval_levels or []),
        "quotas": period.quotas or [],
        "quota_source": period.quota_source,
        "others_from": period.others_from.isoformat() if period.others_from else None,
        "frees_on_withdrawal": period.frees_on_withdrawal,
        "frees_on_rejection": period.frees_on_rejection,
        "reason": period.reason,
    }


def describe_period(payload: dict[str, Any]) -> list[Row]:
    levels = dict(Position.Level.choices)
    quotas = "; ".join(f"{q.get('label') or q.get('code')}: ≤ {q.get('limit')}" for q in payload.get("quotas") or [])
    rows: list[Row] = [
        (_("Periode"), f"{payload.get('name')} ({_('versi')} {payload.get('version')})"),
        (_("Berlaku"), f"{_day(payload.get('starts_on'))} – {_day(payload.get('ends_on'))}"),
        (
            _("Perlu persetujuan Mendagri"),
            ", ".join(str(levels.get(level, level)) for level in payload.get("approval_levels") or []) or "–",
        ),
        (_("Kuota usulan"), quotas or "–"),
        (_("Lowongan lain boleh diusulkan mulai"), _day(payload.get("others_from"))),
    ]
    if payload.get("quota_source"):
        rows.append((_("Dasar kuota"), payload["quota_source"]))
    if payload.get("reason"):
        rows.append((_("Alasan"), payload["reason"]))
    return rows


def register() -> None:
    ledger.register_kind(
        "staffing.proposal_step",
        label=gettext_lazy("Langkah usulan pengisian jabatan"),
        model="staffing.ProposalStep",
        payload=step_payload,
        describe=describe_step,
    )
    ledger.register_kind(
        "staffing.acting",
        label=gettext_lazy("Penugasan Plt/Plh"),
        model="staffing.ActingAssignment",
        payload=acting_payload,
        describe=describe_acting,
    )
    ledger.register_kind(
        "staffing.acting_extension",
        label=gettext_lazy("Perpanjangan Plt/Plh"),
        model="staffing.ActingExtension",
        payload=extension_payload,
        describe=describe_extension,
    )
    ledger.register_kind(
        "staffing.policy_period",
        label=gettext_lazy("Periode kebijakan kepegawaian"),
        model="staffing.PolicyPeriod",
        payload=period_payload,
        describe=describe_period,
    )
