"""The demo's staffing season: the 2024 pre-election period as BKPPD Kota Kupang would have run it
up to the declaration day (17 October 2024).

The structural posts the demo city left without a holder become vacancies with a date and a
cause; existing officials cover most of them as Plt (or Plh, for the newest), term after term, one
term extended; the policy period "Masa pra-Pilkada 2024" has two versions; proposals stand in
every state of the approval chain, with the eselon II quota at 2 of 3 and the eselon III + IV quota
at 10 of 15; the vacancies that are not urgent wait in the queue for 1 December 2024.

Everything goes through ``services`` and ``acting`` with the day it happened (``today=``), played in
date order, so each step is the ledger entry it would have been and the quota is counted as it
was then. The officials' records that the eligibility rules read (riwayat jabatan, predikat
kinerja) are made here for every structural official and a share of the staff below them, built
so that the chosen candidates meet the rules; one official too old for JPT Pratama and one under
a discipline sanction are left for a presenter to show a refusal. Demo accounts are never acting
officials or candidates, so their own flows stay as the other demos expect.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from django.db import transaction
from django.utils.formats import date_format

from pamong.organisation.demo import REFERENCE_DATE
from pamong.organisation.models import OPD, Employee, Position, Role, User
from pamong.staffing import acting, eligibility, services
from pamong.staffing.models import (
    ActingAssignment,
    ActingExtension,
    DisciplineRecord,
    Field,
    PerformanceRating,
    PolicyPeriod,
    Proposal,
    ProposalCandidate,
    ProposalStep,
    ServiceRecord,
    Vacancy,
)

S = Proposal.Status
U = Proposal.Urgency
L = Position.Level
STRUCTURAL = (L.JPT_PRATAMA, L.ADMINISTRATOR, L.PENGAWAS)

PERIOD_CODE = "pra-pilkada-2024"
PERIOD_NAME = "Masa pra-Pilkada 2024"
PERIOD_STARTS = dt.date(2024, 3, 22)
PERIOD_PUBLISHED = dt.date(2024, 3, 25)
PERIOD_REVISED = dt.date(2024, 8, 5)
OTHERS_FROM = dt.date(2024, 12, 1)
QUOTAS: list[dict[str, Any]] = [
    {"code": "eselon_ii", "label": "eselon II (JPT Pratama)", "levels": [L.JPT_PRATAMA], "limit": 3},
    {
        "code": "eselon_iii_iv",
        "label": "eselon III dan IV (Administrator dan Pengawas)",
        "levels": [L.ADMINISTRATOR, L.PENGAWAS],
        "limit": 15,
    },
]
QUOTA_SOURCE = (
    "Arahan pimpinan Kemendagri menjelang Pilkada 2024 sebagaimana diberitakan media dan disampaikan "
    "Pj Wali Kota Kupang pada apel: usulan paling banyak 3 untuk eselon II dan 15 untuk eselon III dan IV; "
    "lowongan lain diusulkan sekitar Desember 2024 (belum dikonfirmasi dengan surat resmi)."
)
FIRST_REASON = (
    "Penetapan awal: sejak 22 Maret 2024 sampai Wali Kota hasil Pilkada dilantik, penggantian pejabat "
    "JPT Pratama, Administrator dan Pengawas perlu persetujuan tertulis Mendagri (UU 10/2016 Pasal 71 ayat (2); "
    "SE Mendagri 100.2.1.3/1575/SJ)."
)
SECOND_REASON = (
    "Penegasan 5 Agustus 2024: usulan yang ditarik BKPPD sebelum ada keputusan Kemendagri mengembalikan "
    "tempatnya dalam kuota; usulan yang ditolak Kemendagri tetap terhitung agar usulan tetap selektif."
)

# The field (rumpun) of each agency's posts; kecamatan and kelurahan are "pemerintahan".
OPD_FIELD: dict[str, str] = {
    "setda": Field.UMUM,
    "setwan": Field.UMUM,
    "inspektorat": Field.PENGAWASAN,
    "bappeda": Field.PERENCANAAN,
    "bkppd": Field.KEPEGAWAIAN,
    "bkad": Field.KEUANGAN,
    "bapenda": Field.KEUANGAN,
    "bpbd": Field.KETERTIBAN,
    "damkar": Field.KETERTIBAN,
    "satpolpp": Field.KETERTIBAN,
    "dikbud": Field.PENDIDIKAN,
    "dispora": Field.PENDIDIKAN,
    "dispusip": Field.PENDIDIKAN,
    "dinkes": Field.KESEHATAN,
    "rsud": Field.KESEHATAN,
    "dinsos": Field.SOSIAL,
    "dp3a": Field.SOSIAL,
    "p2kb": Field.SOSIAL,
    "dinkopukm": Field.EKONOMI,
    "disnakertrans": Field.EKONOMI,
    "dispar": Field.EKONOMI,
    "disperindag": Field.EKONOMI,
    "dpmptsp": Field.EKONOMI,
    "dishub": Field.INFRASTRUKTUR,
    "pupr": Field.INFRASTRUKTUR,
    "perkim": Field.INFRASTRUKTUR,
    "diskan": Field.LINGKUNGAN,
    "distan": Field.LINGKUNGAN,
    "dkp": Field.LINGKUNGAN,
    "dlhk": Field.LINGKUNGAN,
    "dukcapil": Field.KEPENDUDUKAN,
    "diskominfo": Field.KOMINFO,
    "kesbangpol": Field.PEMERINTAHAN,
}
ELECTION_OPD = frozenset({"kesbangpol", "satpolpp", "bpbd", "dukcapil", "diskominfo"})
SERVICE_OPD = frozenset({"dinkes", "rsud", "dukcapil", "dpmptsp", "dikbud", "dinsos", "pupr", "dlhk", "dishub"})
ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# The post below each level: where a candidate for it comes from.
BELOW: dict[str, tuple[str, ...]] = {
    L.JPT_PRATAMA: (L.ADMINISTRATOR,),
    L.ADMINISTRATOR: (L.PENGAWAS,),
    L.PENGAWAS: (L.PELAKSANA, L.FUNGSIONAL),
}
# Years from appointment as PNS to a structural post of each level, and the post held before it.
LEAD_YEARS: dict[str, int] = {L.JPT_PRATAMA: 12, L.ADMINISTRATOR: 6, L.PENGAWAS: 3}
POST_BEFORE: dict[str, str] = {L.JPT_PRATAMA: L.ADMINISTRATOR, L.ADMINISTRATOR: L.PENGAWAS, L.PENGAWAS: L.PELAKSANA}
GENERIC_POST: dict[str, str] = {
    L.ADMINISTRATOR: "Kepala Bidang",
    L.PENGAWAS: "Kepala Seksi",
    L.PELAKSANA: "Pengelola Program dan Kegiatan",
}
GOOD = (PerformanceRating.Rating.BAIK, PerformanceRating.Rating.SANGAT_BAIK)
YEARS = (2021, 2022, 2023)
# Candidates are checked on the day they are added and again on the decree's day; ages are
# counted on the last day the demo could need them.
AGE_CHECKED_ON = dt.date(2024, 12, 31)
PELAKSANA_RECORDS_PER_OPD = 5
UNCOVERED_SHARE = 0.12
# Letters and decrees are dated a few days before BKPPD records them.
LETTER_BEFORE_RECORD = dt.timedelta(days=4)
DECREE_BEFORE_RECORD = dt.timedelta(days=3)


class _Writer(Protocol):
    def write(self, text: str) -> object: ...


def D(month: int, day: int) -> dt.date:
    return dt.date(2024, month, day)


# --- How each proposal goes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """One proposal's path: drafted on a day, then each step on its day, ending in ``ends_in``.
    ``queue_on`` puts the vacancy back in the queue once the proposal is over."""

    ends_in: str
    drafted: dt.date
    steps: tuple[tuple[str, dt.date], ...] = ()
    queue_on: dt.date | None = None
    withdrawal: str = ""


def chain(*days: dt.date) -> tuple[tuple[str, dt.date], ...]:
    return tuple(zip(("submit", "sekda", "mayor", "send"), days, strict=False))


WITHDRAWN_FOR_ACTING = (
    "Pj Wali Kota mengarahkan agar jabatan ini tetap dijabat Plt sampai sesudah Pilkada untuk memaksimalkan "
    "pejabat yang ada; diusulkan kembali mulai 1 Desember 2024."
)
WITHDRAWN_FOR_REORGANISATION = (
    "Hasil evaluasi jabatan: unit kerja ini masuk rencana penataan perangkat daerah 2025, sehingga pengisiannya "
    "ditunda."
)
WITHDRAWN_NOT_URGENT = "Dinilai belum penting dan mendesak; lowongan dimasukkan ke antrean Desember 2024."

# Eselon II, in order: the first goes furthest. An election-related agency takes the second.
JPT_SCENARIOS = (
    Scenario(S.APPROVED, D(6, 10), (*chain(D(6, 17), D(6, 21), D(6, 26), D(7, 3)), ("approve", D(10, 2)))),
    Scenario(S.SENT, D(9, 2), chain(D(9, 9), D(9, 12), D(9, 16), D(9, 23))),
    Scenario(
        S.WITHDRAWN,
        D(7, 15),
        (*chain(D(7, 22), D(7, 26)), ("withdraw", D(8, 12))),
        queue_on=D(8, 13),
        withdrawal=WITHDRAWN_FOR_ACTING,
    ),
    Scenario(S.DRAFT, D(10, 14)),
)
# Eselon III and IV, by priority: every state first, then a second of the common ones.
LOWER_SCENARIOS = (
    Scenario(
        S.APPOINTED,
        D(4, 22),
        (*chain(D(4, 29), D(5, 3), D(5, 8), D(5, 14)), ("approve", D(6, 24)), ("appoint", D(7, 8))),
    ),
    Scenario(S.APPROVED, D(7, 1), (*chain(D(7, 8), D(7, 12), D(7, 17), D(7, 24)), ("approve", D(9, 30)))),
    Scenario(
        S.REJECTED,
        D(6, 3),
        (*chain(D(6, 10), D(6, 14), D(6, 19), D(6, 26)), ("reject", D(8, 19))),
        queue_on=D(8, 22),
    ),
    Scenario(S.SENT, D(8, 19), chain(D(8, 26), D(8, 29), D(9, 3), D(9, 10))),
    Scenario(S.WALI_KOTA, D(9, 16), chain(D(9, 23), D(9, 27), D(10, 3))),
    Scenario(S.SEKDA, D(9, 30), chain(D(10, 7), D(10, 11))),
    Scenario(S.SUBMITTED, D(10, 7), chain(D(10, 14))),
    Scenario(
        S.WITHDRAWN,
        D(8, 20),
        (*chain(D(8, 27)), ("withdraw", D(9, 4))),
        queue_on=D(9, 5),
        withdrawal=WITHDRAWN_FOR_REORGANISATION,
    ),
    Scenario(S.DRAFT, D(10, 8)),
    Scenario(
        S.APPOINTED,
        D(5, 13),
        (*chain(D(5, 20), D(5, 24), D(5, 29), D(6, 5)), ("approve", D(7, 22)), ("appoint", D(8, 2))),
    ),
    Scenario(S.WALI_KOTA, D(9, 23), chain(D(9, 30), D(10, 4), D(10, 10))),
    Scenario(S.SEKDA, D(10, 2), chain(D(10, 9), D(10, 15))),
    Scenario(S.WITHDRAWN, D(9, 9), (("withdraw", D(9, 20)),), queue_on=D(9, 23), withdrawal=WITHDRAWN_NOT_URGENT),
    Scenario(S.DRAFT, D(10, 15)),
    Scenario(S.DRAFT, D(10, 16)),
)
CANDIDATES: dict[str, int] = {L.JPT_PRATAMA: 3, L.ADMINISTRATOR: 2, L.PENGAWAS: 2}


# --- Working records ---------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Term:
    starts_on: dt.date
    ends_on: dt.date
    kind: str = ActingAssignment.Kind.PLT
    extend_to: dt.date | None = None
    extend_on: dt.date | None = None


@dataclass(eq=False)
class _Plan:
    """One vacancy's story."""

    post: Position
    rumpun: str
    since: dt.date = REFERENCE_DATE
    reason: str = Vacancy.Reason.PENSIUN
    scenario: Scenario | None = None
    official: Employee | None = None
    terms: list[_Term] = field(default_factory=list)
    candidates: list[Employee] = field(default_factory=list)
    vacancy: Vacancy | None = None
    proposal: Proposal | None = None

    @property
    def decree_on(self) -> dt.date | None:
        """The date of the appointment decree, if the proposal gets that far."""
        if self.scenario is None:
            return None
        recorded = next((day for action, day in self.scenario.steps if action == "appoint"), None)
        return recorded - DECREE_BEFORE_RECORD if recorded else None


@dataclass
class DemoStaffing:
    period: PolicyPeriod | None = None
    vacancies: int = 0
    covered: int = 0
    open_vacancies: int = 0
    extended: int = 0
    queued: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    quota_use: dict[str, tuple[int, int]] = field(default_factory=dict)
    acting_terms: int = 0
    records: int = 0
    too_old: tuple[Employee, Proposal] | None = None
    disciplined: tuple[Employee, Proposal] | None = None


def opd_field(opd: OPD) -> str:
    if opd.kind in {OPD.Kind.KECAMATAN, OPD.Kind.KELURAHAN}:
        return Field.PEMERINTAHAN
    return OPD_FIELD.get(opd.code, Field.UMUM)


def field_of(post: Position, opd: OPD | None = None) -> str:
    """The field of a post; ``opd`` saves a query when the caller has the post's agency at hand."""
    if "Keuangan" in post.name:
        return Field.KEUANGAN
    if "Hukum" in post.name:
        return Field.HUKUM
    return opd_field(opd or post.opd)


def _long(day: dt.date) -> str:
    return date_format(day, "j F Y")


# --- The season --------------------------------------------------------------------------------------------


class _Season:
    def __init__(self, *, seed: int, demo_accounts: Collection[str], today: dt.date) -> None:
        self.rng = random.Random(f"staffing-{seed}")  # noqa: S311 - reproducible demo data, not a secret
        self.today = today
        self.demo_accounts = set(demo_accounts)
        self.bkpsdm = self._user(Role.BKPSDM)
        self.sekda = self._user(Role.SEKDA)
        self.mayor = self._user(Role.WALI_KOTA)
        self.result = DemoStaffing()
        self.letters = Counter[str]()
        self.records: dict[int, list[ServiceRecord]] = {}
        self.ratings: dict[int, list[PerformanceRating]] = {}
        self.acting_load: Counter[int] = Counter()
        self.candidate_ids: set[int] = set()
        self.assignments: dict[int, ActingAssignment] = {}

    @staticmethod
    def _user(role: str) -> User | None:
        return User.objects.filter(role_grants__role=role, is_active=True).order_by("pk").first()

    # people --------------------------------------------------------------------------------------------

    def load_people(self) -> None:
        people = (
            Employee.objects.filter(kind=Employee.Kind.PNS, status=Employee.Status.AKTIF)
            .select_related("position", "opd")
            .order_by("identity_number")
        )
        reserved = set(
            User.objects.filter(username__in=list(self.demo_accounts), employee__isnull=False).values_list(
                "employee_id", flat=True
            )
        )
        self.structural = [e for e in people.filter(position__level__in=STRUCTURAL)]
        self.free = [e for e in self.structural if e.pk not in reserved]
        below = people.filter(
            position__level__in=[L.PELAKSANA, L.FUNGSIONAL],
            education__in=["d3", "d4", "s1", "s2", "s3"],
            start_date__lte=dt.date(2019, 12, 31),
        ).exclude(pk__in=reserved)
        self.staff = list(below)
        self.holder_of = {e.position_id: e for e in self.structural}

    # vacancies -----------------------------------------------------------------------------------------

    def plan_vacancies(self, posts: Sequence[Position]) -> list[_Plan]:
        rng = self.rng
        plans = [_Plan(post=p, rumpun=field_of(p)) for p in posts]
        jpt = [p for p in plans if p.post.level == L.JPT_PRATAMA]
        rng.shuffle(jpt)
        election = next((p for p in jpt if p.post.opd.code in ELECTION_OPD), None)
        if election is not None and len(jpt) > 1:
            jpt.remove(election)
            jpt.insert(1, election)
        for plan, scenario in zip(jpt, JPT_SCENARIOS, strict=False):
            plan.scenario = scenario
        admins = [p for p in plans if p.post.level == L.ADMINISTRATOR]
        lower = [p for p in plans if p.post.level == L.PENGAWAS]
        rng.shuffle(admins)
        rng.shuffle(lower)
        mixed = [p for pair in zip(admins, lower, strict=False) for p in pair]
        mixed += admins[len(mixed) // 2 :] + lower[len(mixed) // 2 :]
        for plan, scenario in zip(mixed, LOWER_SCENARIOS, strict=False):
            plan.scenario = scenario

        reasons = list(Vacancy.Reason.values)
        weights = (55, 18, 15, 5, 2, 5)
        for plan in plans:
            plan.reason = rng.choices(reasons, weights)[0]
            if plan.scenario is not None:
                latest = plan.scenario.drafted - dt.timedelta(days=21)
                earliest = max(D(1, 2), plan.scenario.drafted - dt.timedelta(days=110))
            else:
                latest, earliest = self.today - dt.timedelta(days=3), D(1, 2)
            plan.since = earliest + dt.timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
        return plans

    def plan_acting(self, plans: list[_Plan]) -> None:
        rng = self.rng
        # A few pengawas posts stay without Plt/Plh: the newest wait for a decree, some lapsed.
        open_lower = [p for p in plans if p.post.level == L.PENGAWAS and p.decree_on is None]
        uncovered = set(rng.sample(range(len(open_lower)), round(len(open_lower) * UNCOVERED_SHARE)))
        lapsed = {id(p) for i, p in enumerate(open_lower) if i in uncovered and p.since < D(6, 1)}
        skipped = {id(p) for i, p in enumerate(open_lower) if i in uncovered and id(p) not in lapsed}
        extendable = [
            p for p in plans if p.decree_on is None and id(p) not in lapsed | skipped and D(5, 1) <= p.since <= D(7, 10)
        ]
        extended = {id(p) for p in rng.sample(extendable, min(2, len(extendable)))}
        for plan in sorted(plans, key=lambda p: (-acting.LEVEL_ORDER[p.post.level], p.post.pk)):
            if id(plan) in skipped:
                continue
            official = self._acting_official(plan.post)
            if official is None:
                continue
            start = min(plan.since + dt.timedelta(days=rng.randint(1, 7)), self.today)
            end_by = self.today
            if plan.decree_on is not None:
                end_by = plan.decree_on - dt.timedelta(days=1)
            elif id(plan) in lapsed:
                end_by = D(9, 15)
            if start > end_by:
                continue
            plan.official = official
            self.acting_load[official.pk] += 1
            if plan.since >= D(9, 17) and id(plan) not in lapsed:
                # Newest vacancies: a Plh stands in while the Plt decree is prepared.
                plan.terms.append(_Term(start, acting.add_months(start, 1), ActingAssignment.Kind.PLH))
                continue
            # Term after term (a new decree each time), except the one or two extended instead.
            cut = id(plan) in lapsed or plan.decree_on is not None
            while start <= end_by:
                end = acting.last_day_of_term(start, acting.plt_max_months())
                term = _Term(start, min(end, end_by) if cut else end)
                if id(plan) in extended and not plan.terms:
                    term.extend_on = end - dt.timedelta(days=rng.randint(5, 12))
                    term.extend_to = acting.last_day_of_term(end + dt.timedelta(days=1), acting.plt_extension_months())
                    end = term.extend_to
                plan.terms.append(term)
                start = end + dt.timedelta(days=1)

    def _acting_official(self, post: Position) -> Employee | None:
        rank = acting.LEVEL_ORDER[post.level]

        def fits(e: Employee) -> bool:
            own = e.position
            return own is not None and own.pk != post.pk and acting.LEVEL_ORDER[own.level] - rank in (0, 1)

        superior = self.holder_of.get(post.superior_id) if post.superior_id else None
        pool = [e for e in self.free if fits(e)]
        free_ids = {e.pk for e in pool}
        same_opd = [e for e in pool if e.opd_id == post.opd_id]
        if post.level == L.JPT_PRATAMA:
            # A Kepala Dinas is covered by an Asisten of the Setda, or another agency head of the field.
            assistants = [e for e in pool if e.opd.code == "setda" and e.position and not e.position.is_head_of_opd]
            kin = [e for e in pool if opd_field(e.opd) == opd_field(post.opd)]
            ranked = assistants + kin + pool
        elif post.is_head_of_opd or post.level == L.ADMINISTRATOR:
            # A Lurah by the Sekretaris Kelurahan, a Kepala Bidang by a fellow Kepala Bidang.
            peers = [e for e in same_opd if e.position and e.position.level == post.level]
            ranked = peers + ([superior] if superior is not None and superior.pk in free_ids else []) + same_opd + pool
        else:
            ranked = ([superior] if superior is not None and superior.pk in free_ids else []) + same_opd
            ranked += [e for e in pool if e.opd.kind == post.opd.kind] + pool
        for load in (0, 1):
            for employee in ranked:
                if self.acting_load[employee.pk] == load:
                    return employee
        return None

    # candidates and their records ---------------------------------------------------------------------

    def plan_candidates(self, plans: list[_Plan]) -> None:
        for plan in sorted(plans, key=lambda p: (p.scenario is None, p.scenario.drafted if p.scenario else D(1, 1))):
            if plan.scenario is None:
                continue
            wanted = CANDIDATES[plan.post.level]
            if plan.scenario.ends_in == S.DRAFT and plan.post.level != L.JPT_PRATAMA:
                wanted = 1
            for employee in self._candidates_for(plan)[:wanted]:
                plan.candidates.append(employee)
                self.candidate_ids.add(employee.pk)
                self._candidate_records(employee, plan)

    def _candidates_for(self, plan: _Plan) -> list[Employee]:
        post = plan.post
        below = BELOW[post.level]
        source = self.staff if post.level == L.PENGAWAS else self.free
        pool = [
            e
            for e in source
            if e.position is not None
            and e.position.level in below
            and e.pk not in self.candidate_ids
            and e.education in {"d3", "d4", "s1", "s2", "s3"}
            and (post.level == L.PENGAWAS or e.education != "d3")
        ]
        if post.level == L.JPT_PRATAMA:
            pool = [
                e
                for e in pool
                if e.birth_date is not None
                and eligibility.age_on(e.birth_date, AGE_CHECKED_ON) <= 55
                and e.start_date <= dt.date(2010, 12, 31)
            ]
        same_opd = [e for e in pool if e.opd_id == post.opd_id]
        same_field = [e for e in pool if e.opd_id != post.opd_id and opd_field(e.opd) == plan.rumpun]
        picked = {e.pk for e in same_opd} | {e.pk for e in same_field}
        rest = [e for e in pool if e.pk not in picked]
        for group in (same_opd, same_field, rest):
            self.rng.shuffle(group)
        return same_opd + same_field + rest

    def _candidate_records(self, employee: Employee, plan: _Plan) -> None:
        """Records that meet the rules of ``plan``'s level in its field, on the person's own history."""
        rng = self.rng
        own = employee.position
        assert own is not None
        own_field = field_of(own, employee.opd)
        start = employee.start_date
        records: list[ServiceRecord] = []
        if plan.post.level == L.JPT_PRATAMA:
            # Administrator for 4 to 8 years; before that 6 years or more as Pengawas in the post's field.
            since_year = rng.randint(max(start.year + 7, 2016), 2020)
            admin_from = dt.date(since_year, rng.randint(1, 12), 1)
            earlier = max(start, admin_from - dt.timedelta(days=round(365.25 * rng.randint(6, 9))))
            records.append(
                self._record(employee, GENERIC_POST[L.PENGAWAS], L.PENGAWAS, plan.rumpun, earlier, admin_from)
            )
            if own.level == L.JPT_PRATAMA:
                # Already a JPT Pratama (a rotation): the Administrator post came before the present one.
                own_from = dt.date(min(since_year + rng.randint(2, 3), 2023), rng.randint(1, 12), 1)
                records.append(
                    self._record(
                        employee, GENERIC_POST[L.ADMINISTRATOR], L.ADMINISTRATOR, own_field, admin_from, own_from
                    )
                )
                admin_from = own_from
            records.append(self._record(employee, own.name, own.level, own_field, admin_from, None))
        elif plan.post.level == L.ADMINISTRATOR:
            since_year = rng.randint(min(max(start.year + 2, 2012), 2020), 2020)
            post_from = max(start, dt.date(since_year, rng.randint(1, 6), 1))
            records.append(self._record(employee, GENERIC_POST[L.PELAKSANA], L.PELAKSANA, own_field, start, post_from))
            records.append(self._record(employee, own.name, own.level, own_field, post_from, None))
        else:
            records.append(self._record(employee, own.name, own.level, own_field, start, None))
        self.records[employee.pk] = [r for r in records if r.ends_on is None or r.ends_on >= r.starts_on]
        self.ratings[employee.pk] = self._ratings(employee, good=True)

    @staticmethod
    def _record(
        employee: Employee, name: str, level: str, field_code: str, starts_on: dt.date, next_starts: dt.date | None
    ) -> ServiceRecord:
        ends_on = next_starts - dt.timedelta(days=1) if next_starts else None
        return ServiceRecord(
            employee=employee, position_name=name, level=level, field=field_code, starts_on=starts_on, ends_on=ends_on
        )

    def _ratings(self, employee: Employee, *, good: bool) -> list[PerformanceRating]:
        rng = self.rng
        ratings = []
        for year in YEARS:
            rating = rng.choices(GOOD, (70, 30))[0]
            if not good and rng.random() < 0.12:
                rating = PerformanceRating.Rating.BUTUH_PERBAIKAN
            ratings.append(PerformanceRating(employee=employee, year=year, rating=rating))
        if not good and rng.random() < 0.05:
            ratings = [r for r in ratings if r.year != 2022]  # not yet entered
        return ratings

    def generic_records(self, plans: list[_Plan]) -> None:
        """Every structural official, and a few staff in each agency with a pengawas proposal, gets a
        plausible history, so the eligibility preview has people who pass and people who do not."""
        rng = self.rng
        for employee in self.structural:
            if employee.pk in self.records:
                continue
            own = employee.position
            assert own is not None
            own_field = field_of(own, employee.opd)
            start = employee.start_date
            lead = LEAD_YEARS[own.level]
            first_year = min(max(start.year + lead, 2012), 2022)
            post_from = max(start, dt.date(rng.randint(first_year, 2022), rng.randint(1, 12), 1))
            before = POST_BEFORE[own.level]
            before_field = own_field if rng.random() < 0.8 else rng.choice(Field.values)
            before_from = max(start, post_from - dt.timedelta(days=round(365.25 * rng.randint(3, 8))))
            records = [self._record(employee, own.name, own.level, own_field, post_from, None)]
            if before_from < post_from:
                name = GENERIC_POST.get(before, "Kepala Bidang")
                records.append(self._record(employee, name, before, before_field, before_from, post_from))
            self.records[employee.pk] = records
            self.ratings[employee.pk] = self._ratings(employee, good=False)
        opds = {p.post.opd_id for p in plans if p.scenario is not None and p.post.level == L.PENGAWAS}
        taken: Counter[int] = Counter()
        for employee in self.staff:
            if employee.pk in self.records or employee.opd_id not in opds:
                continue
            if taken[employee.opd_id] >= PELAKSANA_RECORDS_PER_OPD:
                continue
            taken[employee.opd_id] += 1
            own = employee.position
            assert own is not None
            self.records[employee.pk] = [
                self._record(employee, own.name, own.level, field_of(own, employee.opd), employee.start_date, None)
            ]
            self.ratings[employee.pk] = self._ratings(employee, good=False)

    def refusal_examples(
        self, plans: list[_Plan]
    ) -> tuple[tuple[Employee, _Plan] | None, tuple[Employee, _Plan] | None]:
        """An official too old for JPT Pratama and one under a discipline sanction, each with an
        otherwise complete record, beside a draft where a presenter can try to add them."""
        drafts = [p for p in plans if p.scenario is not None and p.scenario.ends_in == S.DRAFT]
        jpt_draft = next((p for p in drafts if p.post.level == L.JPT_PRATAMA), None)
        lower_draft = next((p for p in drafts if p.post.level == L.ADMINISTRATOR), None) or next(
            (p for p in drafts if p.post.level == L.PENGAWAS), None
        )
        too_old = None
        if jpt_draft is not None:
            old = [
                e
                for e in self.free
                if e.position is not None
                and e.position.level in {L.ADMINISTRATOR, L.JPT_PRATAMA}
                and e.birth_date is not None
                and eligibility.age_on(e.birth_date, self.today) > 56
                and e.education in {"s1", "s2", "s3", "d4"}
                and e.start_date <= dt.date(2010, 12, 31)
                and e.pk not in self.candidate_ids
                and self.acting_load[e.pk] == 0
            ]
            old.sort(key=lambda e: (e.opd_id != jpt_draft.post.opd_id, e.identity_number))
            if old:
                too_old = (old[0], jpt_draft)
                self.candidate_ids.add(old[0].pk)
                self._candidate_records(old[0], jpt_draft)
        disciplined = None
        if lower_draft is not None:
            below = BELOW[lower_draft.post.level]
            source = self.staff if lower_draft.post.level == L.PENGAWAS else self.free
            pool = [
                e
                for e in source
                if e.position is not None
                and e.position.level in below
                and e.pk not in self.candidate_ids
                and e.education in {"s1", "s2", "s3", "d4"}
            ]
            pool.sort(key=lambda e: (e.opd_id != lower_draft.post.opd_id, e.identity_number))
            if pool:
                disciplined = (pool[0], lower_draft)
                self.candidate_ids.add(pool[0].pk)
                self._candidate_records(pool[0], lower_draft)
        return too_old, disciplined

    def save_records(self, disciplined: Employee | None) -> None:
        ServiceRecord.objects.bulk_create([r for rows in self.records.values() for r in rows], batch_size=2000)
        PerformanceRating.objects.bulk_create([r for rows in self.ratings.values() for r in rows], batch_size=2000)
        self.result.records = len(self.records)
        if disciplined is not None:
            DisciplineRecord.objects.create(
                employee=disciplined,
                level=DisciplineRecord.Level.SEDANG,
                sanction="Pemotongan tunjangan kinerja sebesar 25% selama 9 bulan",
                decree_number="800.1.6.4/117/BKPPD/VI/2024",
                starts_on=D(6, 10),
                ends_on=dt.date(2025, 3, 9),
            )

    # the calendar ----------------------------------------------------------------------------------------

    def play(self, plans: list[_Plan]) -> None:
        """Every act on its day, in date order, so the ledger and the quota read as the season went."""
        events: list[tuple[dt.date, int, Callable[[], object]]] = []

        def at(day: dt.date, order: int, act: Callable[[], object]) -> None:
            events.append((day, order, act))

        at(PERIOD_PUBLISHED, 0, self.create_period)
        at(PERIOD_REVISED, 0, self.revise_period)
        for plan in plans:
            at(plan.since, 1, partial(self.open, plan))
            for term in plan.terms:
                at(term.starts_on, 2, partial(self.assign, plan, term))
                if term.extend_on is not None:
                    at(term.extend_on, 2, partial(self.extend, term))
            if plan.scenario is not None:
                at(plan.scenario.drafted, 3, partial(self.draft, plan))
                for action, day in plan.scenario.steps:
                    at(day, 4, partial(self.step, plan, action, day))
            queue_on = plan.scenario.queue_on if plan.scenario else self._queue_day(plan)
            if queue_on is not None:
                at(queue_on, 5, partial(self.queue, plan, queue_on))
        # Stable: acts of one day keep the order in which they were planned.
        events.sort(key=lambda event: (event[0], event[1]))
        for _day, _order, act in events:
            act()

    def _queue_day(self, plan: _Plan) -> dt.date | None:
        day = max(plan.since + dt.timedelta(days=self.rng.randint(7, 25)), PERIOD_PUBLISHED + dt.timedelta(days=3))
        return day if day < self.today else None

    def create_period(self) -> None:
        self.result.period = services.create_period(
            by=self.bkpsdm,
            code=PERIOD_CODE,
            reason=FIRST_REASON,
            name=PERIOD_NAME,
            starts_on=PERIOD_STARTS,
            ends_on=None,
            approval_levels=[L.JPT_PRATAMA, L.ADMINISTRATOR, L.PENGAWAS],
            quotas=QUOTAS,
            quota_source=QUOTA_SOURCE,
            others_from=OTHERS_FROM,
            frees_on_withdrawal=False,
            frees_on_rejection=False,
        )

    def revise_period(self) -> None:
        self.result.period = services.revise_period(
            PERIOD_CODE, by=self.bkpsdm, reason=SECOND_REASON, frees_on_withdrawal=True
        )

    def open(self, plan: _Plan) -> None:
        plan.vacancy = services.open_vacancy(
            plan.post, by=self.bkpsdm, since=plan.since, reason=plan.reason, field=plan.rumpun
        )

    def assign(self, plan: _Plan, term: _Term) -> None:
        assert plan.vacancy is not None and plan.official is not None
        assignment = acting.assign_acting(
            plan.vacancy, plan.official, term.kind, term.starts_on, term.ends_on, by=self.bkpsdm
        )
        self.assignments[id(term)] = assignment
        self.result.acting_terms += 1

    def extend(self, term: _Term) -> None:
        assert term.extend_to is not None
        acting.extend_acting(self.assignments[id(term)], term.extend_to, by=self.bkpsdm, today=term.extend_on)

    def queue(self, plan: _Plan, day: dt.date) -> None:
        assert plan.vacancy is not None
        services.queue_vacancy(plan.vacancy, by=self.bkpsdm, today=day)

    def draft(self, plan: _Plan) -> None:
        assert plan.vacancy is not None and plan.scenario is not None
        urgency = self.urgency(plan)
        day = plan.scenario.drafted
        plan.proposal = services.draft_proposal(
            plan.vacancy, by=self.bkpsdm, urgency=urgency, justification=self.justification(plan, urgency), today=day
        )
        for employee in plan.candidates:
            services.add_candidate(plan.proposal, employee, by=self.bkpsdm, today=day)

    def step(self, plan: _Plan, action: str, day: dt.date) -> None:
        proposal = plan.proposal
        assert proposal is not None
        if action == "submit":
            services.submit_proposal(proposal, by=self.bkpsdm, today=day)
        elif action == "sekda":
            services.approve_by_sekda(proposal, by=self.sekda, today=day)
        elif action == "mayor":
            services.approve_by_mayor(proposal, by=self.mayor, today=day)
        elif action == "send":
            services.send_to_kemendagri(proposal, by=self.bkpsdm, letter_number=self.letter("usulan", day), today=day)
        elif action in {"approve", "reject"}:
            services.record_decision(
                proposal,
                by=self.bkpsdm,
                approved=action == "approve",
                letter_number=self.letter("kemendagri", day),
                letter_date=day - LETTER_BEFORE_RECORD,
                today=day,
            )
        elif action == "appoint":
            services.record_appointment(
                proposal,
                by=self.bkpsdm,
                decree_number=self.letter("sk", day),
                decree_date=day - DECREE_BEFORE_RECORD,
                appointee=plan.candidates[0] if plan.candidates else None,
                today=day,
            )
        elif action == "withdraw":
            assert plan.scenario is not None
            services.withdraw(proposal, by=self.bkpsdm, reason=plan.scenario.withdrawal, today=day)
        else:  # pragma: no cover - a typo in the scenarios above
            raise ValueError(action)

    def letter(self, kind: str, day: dt.date) -> str:
        self.letters[kind] += 1
        serial = self.rng.randint(100, 999) * 10 + self.letters[kind]
        if kind == "usulan":
            return f"800.1.3.3/{serial}/BKPPD/{ROMAN[day.month]}/2024"
        if kind == "kemendagri":
            return f"100.2.2.6/{serial}/OTDA"
        return f"821.2/{serial}/BKPPD/{ROMAN[day.month]}/2024"

    # words ------------------------------------------------------------------------------------------------

    @staticmethod
    def urgency(plan: _Plan) -> list[str]:
        post, code = plan.post, plan.post.opd.code
        reasons: list[str] = []
        if post.is_head_of_opd:
            reasons.append(U.PA_KPA)
        if code in ELECTION_OPD or post.opd.kind in {"kecamatan", "kelurahan"}:
            reasons.append(U.LOGISTIK_PEMILU)
        if "Keuangan" in post.name or post.name.startswith("Sekretaris"):
            reasons.append(U.AMANAT_UU)
        if code in SERVICE_OPD or not reasons:
            reasons.append(U.LAYANAN_TERHENTI)
        return reasons[:2]

    @staticmethod
    def justification(plan: _Plan, urgency: Iterable[str]) -> str:
        post = plan.post
        reason = Vacancy.Reason(plan.reason).label.lower()
        parts = [f"{post.name} pada {post.opd.name} lowong sejak {_long(plan.since)} ({reason})."]
        lines = {
            U.PA_KPA: (
                "Jabatan ini adalah Pengguna Anggaran/Kuasa Pengguna Anggaran; Plt tidak berwenang mengambil "
                "keputusan strategis, sehingga pelaksanaan dan pertanggungjawaban anggaran 2024 tertahan."
            ),
            U.LOGISTIK_PEMILU: (
                "Jabatan ini menangani dukungan penyelenggaraan Pilkada 27 November 2024 (logistik, ketenteraman "
                "dan ketertiban, data penduduk) yang tidak dapat ditunda."
            ),
            U.AMANAT_UU: (
                "Peraturan perundang-undangan mewajibkan jabatan ini dipegang pejabat definitif "
                "(penatausahaan keuangan perangkat daerah, PP 12/2019)."
            ),
            U.LAYANAN_TERHENTI: (
                "Layanan kepada masyarakat yang ditandatangani jabatan ini menumpuk karena Plt merangkap "
                "jabatan definitifnya."
            ),
        }
        parts += [lines[U(u)] for u in urgency]
        if post.level == L.JPT_PRATAMA:
            parts.append("Pengisian melalui uji kompetensi (PP 11/2017 jo. PP 17/2020) sesudah persetujuan Mendagri.")
        else:
            parts.append("Calon dipilih dari pejabat yang ada berdasarkan riwayat jabatan dan predikat kinerja.")
        return " ".join(parts)


# --- Entry points ------------------------------------------------------------------------------------------


@transaction.atomic
def seed_demo_staffing(
    *,
    seed: int,
    stdout: _Writer | None = None,
    demo_accounts: Collection[str] = (),
    vacant_posts: Iterable[int] | None = None,
    today: dt.date = REFERENCE_DATE,
) -> DemoStaffing:
    """Play the staffing season up to ``today``. ``vacant_posts`` (Position ids) are the posts the demo
    city left empty on purpose; without it, every structural post without a holder."""
    structural = Position.objects.filter(level__in=STRUCTURAL).select_related("opd")
    chosen = {"pk__in": list(vacant_posts)} if vacant_posts is not None else {"holders__isnull": True}
    posts = structural.filter(**chosen)
    season = _Season(seed=seed, demo_accounts=demo_accounts, today=today)
    season.load_people()
    plans = season.plan_vacancies(list(posts.order_by("pk")))
    season.plan_acting(plans)
    season.plan_candidates(plans)
    too_old, disciplined = season.refusal_examples(plans)
    season.generic_records(plans)
    season.save_records(disciplined[0] if disciplined else None)
    season.play(plans)

    result = season.result
    result.vacancies = len(plans)
    report = acting.coverage_report(on=today)
    result.open_vacancies, result.covered = report.open, report.covered
    result.extended = ActingAssignment.objects.filter(extended=True, starts_on__lte=today, ends_on__gte=today).count()
    result.queued = Vacancy.objects.filter(queued_until__gt=today, filled_on__isnull=True).count()
    result.by_status = Counter(Proposal.objects.values_list("status", flat=True))
    period = services.current_version(PERIOD_CODE)
    for quota in period.quotas if period else []:
        used = services.places_taken(PERIOD_CODE, quota["code"])
        result.quota_use[quota["label"]] = (used.count(), int(quota["limit"]))
    if too_old is not None and too_old[1].proposal is not None:
        result.too_old = (too_old[0], too_old[1].proposal)
    if disciplined is not None and disciplined[1].proposal is not None:
        result.disciplined = (disciplined[0], disciplined[1].proposal)
    if stdout is not None:
        stdout.write(summary_text(result))
    return result


def _lower_first(label: str) -> str:
    """ "Diajukan BKPSDM" → "diajukan BKPSDM"; "SK pengangkatan terbit" stays as it is."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def summary_text(result: DemoStaffing) -> str:
    labels = {value: _lower_first(str(label)) for value, label in S.choices}
    states = ", ".join(f"{labels[s]} {result.by_status[s]}" for s in S.values if result.by_status[s])
    quotas = "; ".join(f"kuota {label} {used} dari {limit}" for label, (used, limit) in result.quota_use.items())
    share = round(100 * result.covered / result.open_vacancies) if result.open_vacancies else 0
    lines = [
        f"Kepegawaian demo: {PERIOD_NAME} ({result.period.version if result.period else 0} versi); "
        f"{result.vacancies} lowongan, {result.open_vacancies} masih lowong, {result.covered} dijabat Plt/Plh "
        f"({share} %), {result.extended} masa Plt diperpanjang; {result.queued} menunggu antrean sampai "
        f"{_long(OTHERS_FROM)}; riwayat jabatan dan predikat kinerja untuk {result.records} pegawai.",
        f"Usulan pengisian jabatan: {sum(result.by_status.values())} ({states}); {quotas}.",
    ]
    for example, why in ((result.too_old, "usia di atas 56 tahun"), (result.disciplined, "hukuman disiplin")):
        if example is not None:
            employee, proposal = example
            lines.append(
                f"Contoh calon yang ditolak ({why}): {employee.full_name} (NIP {employee.identity_number}) "
                f"pada usulan #{proposal.pk} {proposal.vacancy.position.name}."
            )
    return "\n".join(lines) + "\n"


def reset_demo_staffing() -> int:
    """Remove every staffing row (for reset_demo_city, after the ledger and before people and posts).
    Returns how many proposals went."""
    ActingExtension.objects.all().delete()
    ActingAssignment.objects.all().delete()
    ProposalStep.objects.all().delete()
    ProposalCandidate.objects.all().delete()
    count = Proposal.objects.all().delete()[0]
    Vacancy.objects.all().delete()
    DisciplineRecord.objects.all().delete()
    PerformanceRating.objects.all().delete()
    ServiceRecord.objects.all().delete()
    PolicyPeriod.objects.all().delete()
    return count
