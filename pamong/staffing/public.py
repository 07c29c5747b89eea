"""What the public sees of staffing: the one query behind /transparansi/jabatan/ and /api/v1/staffing/public/.

A proposal becomes public when BKPSDM submits it; a draft is internal work and never shows (nor
does a draft withdrawn before it was ever submitted). For each public proposal the public reads the
post, its agency and level, the status, every step with its date, the role that took it and its
ledger receipt, the important/urgent reasons, a summary of the justification, the quota it counts
against, the letters of Kemendagri and the appointment decree once recorded.

People: the name of the appointee appears once the appointment decree is recorded (the decree is a
public act), and the name of an acting official (Plt/Plh) because the assignment is an official act
too. Nothing else personal ever leaves this module: not the other candidates, not their eligibility
checks, identity numbers or birth dates, and never the user who took a step, only the role.

Every read is a fixed number of queries whatever the number of proposals (a test counts them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from pamong.core import ledger
from pamong.core.clock import business_today
from pamong.organisation.models import OPD, Employee, Position, Role
from pamong.staffing import acting, services
from pamong.staffing.models import ActingAssignment, PolicyPeriod, Proposal, ProposalCandidate, ProposalStep

S = Proposal.Status
STRUCTURAL_LEVELS = (Position.Level.JPT_PRATAMA, Position.Level.ADMINISTRATOR, Position.Level.PENGAWAS)
PUBLIC_STATUSES = tuple(status for status in S.values if status != S.DRAFT)
# The justification is written by BKPSDM as the public reason for filling the post (it goes to
# Kemendagri in the request letter); its opening is shown, the full text stays in the letter.
SUMMARY_LENGTH = 200
# Only these columns of a person are ever read here: the name and titles, never the identity
# number, the birth date or the record.
NAME_ONLY = ("name", "front_title", "back_title")


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


@dataclass(frozen=True)
class PublicStep:
    status: str
    status_label: str
    label: str  # what happened, in words
    on: dt.date
    role: str  # the role the ledger recorded for the step, never the person
    role_label: str
    receipt_code: str | None  # formatted (XXXX-XXXX-XXXX-XXXX); None only if the ledger lacks it


@dataclass(frozen=True)
class Letter:
    number: str
    date: dt.date | None


@dataclass(frozen=True)
class PublicProposal:
    id: int
    position_name: str
    opd_id: int
    opd_name: str
    level: str
    level_label: str
    status: str
    status_label: str
    period_code: str
    period_name: str
    quota: Choice | None
    counts_against_quota: bool
    urgency: list[Choice]
    justification_summary: str
    vacant_since: dt.date
    submitted_on: dt.date | None
    request_letter_number: str
    mendagri_letter: Letter | None
    decree: Letter | None
    appointee_name: str | None
    reported_on: dt.date | None
    steps: list[PublicStep] = field(default_factory=list)

    @property
    def is_appointed(self) -> bool:
        return self.status == S.APPOINTED


@dataclass(frozen=True)
class QuotaUse:
    code: str
    label: str
    levels: list[Choice]
    limit: int
    used: int

    @property
    def left(self) -> int:
        return max(self.limit - self.used, 0)


@dataclass(frozen=True)
class PublicPeriod:
    code: str
    version: int
    name: str
    starts_on: dt.date
    ends_on: dt.date | None
    in_force: bool
    approval_levels: list[Choice]
    quotas: list[QuotaUse]
    quota_source: str
    others_from: dt.date | None
    frees_on_withdrawal: bool
    frees_on_rejection: bool
    reason: str


@dataclass(frozen=True)
class PublicActing:
    id: int
    position_name: str
    opd_id: int
    opd_name: str
    level: str
    level_label: str
    kind: str
    kind_label: str
    official_name: str
    starts_on: dt.date
    ends_on: dt.date
    extended: bool


@dataclass(frozen=True)
class ActingOverview:
    on: dt.date
    open: int  # vacancies open on that day
    covered: int  # of which an existing official covers as Plt/Plh
    assignments: list[PublicActing]

    @property
    def percent(self) -> int:
        return round(100 * self.covered / self.open) if self.open else 0


# --- proposals ------------------------------------------------------------------------------------------


def proposals() -> QuerySet[Proposal]:
    """Every public proposal (submitted at least once), newest first, with what ``present`` reads."""
    appointees = (
        ProposalCandidate.objects.filter(appointed=True)
        .select_related("employee")
        .only("proposal_id", "appointed", *(f"employee__{name}" for name in NAME_ONLY))
    )
    steps = ProposalStep.objects.only("proposal_id", "from_status", "to_status", "on").order_by("id")
    return (
        Proposal.objects.filter(submitted_on__isnull=False)
        .exclude(status=S.DRAFT)
        .select_related("vacancy__position__opd")
        .prefetch_related(
            Prefetch("steps", queryset=steps, to_attr="public_steps"),
            Prefetch("candidates", queryset=appointees, to_attr="appointees"),
        )
        .order_by("-submitted_on", "-id")
    )


def filtered(
    queryset: QuerySet[Proposal],
    *,
    period: str | None = None,
    status: str | None = None,
    opd: int | None = None,
    level: str | None = None,
) -> QuerySet[Proposal]:
    if period:
        queryset = queryset.filter(period_code=period)
    if status:
        queryset = queryset.filter(status=status)
    if opd:
        queryset = queryset.filter(vacancy__position__opd_id=opd)
    if level:
        queryset = queryset.filter(vacancy__position__level=level)
    return queryset


def summary(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """The opening of a text, whitespace folded, cut at a word with an ellipsis when it is longer."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def _role_label(role: str) -> str:
    if role == "sistem":
        return _("Sistem")
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def _step_label(step: ProposalStep) -> str:
    if step.from_status == step.to_status == S.APPOINTED:
        return _("Pengangkatan dilaporkan ke Kemendagri")
    labels: dict[str, str] = {
        S.SUBMITTED: _("Diajukan BKPSDM"),
        S.SEKDA: _("Disetujui Sekda"),
        S.WALI_KOTA: _("Disetujui Wali Kota"),
        S.SENT: _("Surat usulan dikirim ke Kemendagri"),
        S.APPROVED: _("Kemendagri memberi persetujuan tertulis"),
        S.REJECTED: _("Kemendagri menolak"),
        S.APPOINTED: _("SK pengangkatan ditetapkan"),
        S.WITHDRAWN: _("Usulan ditarik"),
    }
    return labels.get(step.to_status, _status_label(step.to_status))


def _status_label(status: str) -> str:
    return str(S(status).label) if status in S.values else status


def _quota_choice(period: PolicyPeriod | None, group: str) -> Choice | None:
    if not group:
        return None
    quota = next((q for q in (period.quotas if period else []) if q.get("code") == group), None)
    return Choice(group, str(quota.get("label", group)) if quota else group)


def present(items: Sequence[Proposal], periods: dict[str, PolicyPeriod] | None = None) -> list[PublicProposal]:
    """Turn proposals read through ``proposals()`` into their public form."""
    periods = services.latest_versions() if periods is None else periods
    entries = ledger.entries_for(
        ProposalStep, (step.pk for proposal in items for step in getattr(proposal, "public_steps", []))
    )
    urgency_labels = dict(Proposal.Urgency.choices)
    result = []
    for proposal in items:
        position = proposal.vacancy.position
        period = periods.get(proposal.period_code)
        steps = []
        for step in getattr(proposal, "public_steps", []):
            entry = entries.get(str(step.pk))
            role = entry.actor_role if entry else ""
            steps.append(
                PublicStep(
                    status=step.to_status,
                    status_label=_status_label(step.to_status),
                    label=_step_label(step),
                    on=step.on,
                    role=role,
                    role_label=_role_label(role) if role else "",
                    receipt_code=entry.receipt_code if entry else None,
                )
            )
        appointee = None
        if proposal.status == S.APPOINTED:
            chosen: list[ProposalCandidate] = getattr(proposal, "appointees", [])
            appointee = chosen[0].employee.full_name if chosen else None
        appointed = proposal.status == S.APPOINTED and bool(proposal.decree_number)
        result.append(
            PublicProposal(
                id=proposal.pk,
                position_name=position.name,
                opd_id=position.opd_id,
                opd_name=position.opd.name,
                level=position.level,
                level_label=str(position.get_level_display()),
                status=proposal.status,
                status_label=str(proposal.get_status_display()),
                period_code=proposal.period_code,
                period_name=period.name if period else proposal.period_code,
                quota=_quota_choice(period, proposal.quota_group),
                counts_against_quota=proposal.counts_against_quota,
                urgency=[Choice(code, str(urgency_labels.get(code, code))) for code in proposal.urgency or []],
                justification_summary=summary(proposal.justification),
                vacant_since=proposal.vacancy.since,
                submitted_on=proposal.submitted_on,
                request_letter_number=proposal.request_letter_number,
                mendagri_letter=(
                    Letter(proposal.mendagri_letter_number, proposal.mendagri_letter_date)
                    if proposal.mendagri_letter_number
                    else None
                ),
                decree=Letter(proposal.decree_number, proposal.decree_date) if appointed else None,
                appointee_name=appointee,
                reported_on=proposal.reported_on,
                steps=steps,
            )
        )
    return result


def proposal(pk: int) -> PublicProposal | None:
    """One public proposal, or None when it does not exist or is not public (a draft)."""
    found = list(proposals().filter(pk=pk))
    return present(found)[0] if found else None


def opds_with_proposals() -> list[Choice]:
    public = Proposal.objects.filter(submitted_on__isnull=False).exclude(status=S.DRAFT)
    rows = (
        OPD.objects.filter(pk__in=public.values("vacancy__position__opd_id")).values_list("pk", "name").order_by("name")
    )
    return [Choice(str(pk), name) for pk, name in rows]


# --- periods and quotas ---------------------------------------------------------------------------------


def periods(today: dt.date | None = None, index: dict[str, PolicyPeriod] | None = None) -> list[PublicPeriod]:
    """Every period's rules (latest version) with the use of each quota; the period in force first."""
    today = today or business_today()
    index = services.latest_versions() if index is None else index
    used = services.quota_counts(index)
    levels = dict(Position.Level.choices)
    result = []
    for period in index.values():
        in_force = period.starts_on <= today and (period.ends_on is None or today <= period.ends_on)
        result.append(
            PublicPeriod(
                code=period.code,
                version=period.version,
                name=period.name,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                in_force=in_force,
                approval_levels=[Choice(lv, str(levels.get(lv, lv))) for lv in period.approval_levels or []],
                quotas=[
                    QuotaUse(
                        code=str(q["code"]),
                        label=str(q.get("label", q["code"])),
                        levels=[Choice(lv, str(levels.get(lv, lv))) for lv in q.get("levels", [])],
                        limit=int(q.get("limit", 0)),
                        used=used.get((period.code, q["code"]), 0),
                    )
                    for q in period.quotas or []
                ],
                quota_source=period.quota_source,
                others_from=period.others_from,
                frees_on_withdrawal=period.frees_on_withdrawal,
                frees_on_rejection=period.frees_on_rejection,
                reason=period.reason,
            )
        )
    result.sort(key=lambda p: (not p.in_force, -p.starts_on.toordinal(), p.code))
    return result


# --- acting officials -----------------------------------------------------------------------------------


def acting_in_force(today: dt.date | None = None) -> ActingOverview:
    """Plt/Plh serving today in posts still vacant, and how many open vacancies they cover."""
    today = today or business_today()
    rows = (
        ActingAssignment.objects.filter(starts_on__lte=today, ends_on__gte=today)
        .filter(Q(vacancy__filled_on__isnull=True) | Q(vacancy__filled_on__gt=today))
        .select_related("vacancy__position__opd", "employee")
        .only(
            "kind",
            "starts_on",
            "ends_on",
            "extended",
            "vacancy__position__name",
            "vacancy__position__level",
            "vacancy__position__opd__name",
            *(f"employee__{name}" for name in NAME_ONLY),
        )
        .order_by("vacancy__position__opd__name", "vacancy__position__name", "id")
    )
    assignments = [
        PublicActing(
            id=row.pk,
            position_name=row.vacancy.position.name,
            opd_id=row.vacancy.position.opd_id,
            opd_name=row.vacancy.position.opd.name,
            level=row.vacancy.position.level,
            level_label=str(row.vacancy.position.get_level_display()),
            kind=row.kind,
            kind_label=str(row.get_kind_display()),
            official_name=_name(row.employee),
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            extended=row.extended,
        )
        for row in rows
    ]
    report = acting.coverage_report(today)
    return ActingOverview(on=today, open=report.open, covered=report.covered, assignments=assignments)


def _name(employee: Employee) -> str:
    return employee.full_name
