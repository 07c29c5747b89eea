"""The staffing services as a specification: policy periods, vacancies and the proposal chain.

Every test runs in the 2024 pre-election period (22 March 2024 until the new Wali Kota takes office,
set here as 20 February 2025): eselon II ≤ 2 and eselon III + IV ≤ 15 proposals before 1 December
2024, and the Minister's written approval needed to replace a JPT Pratama or an Administrator (the
Pengawas level is left out on purpose, to show that the rule is data).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from pamong.core import ledger
from pamong.core.models import LedgerEntry
from pamong.core.testing import CastMixin
from pamong.organisation.models import Position, User
from pamong.staffing import services
from pamong.staffing.models import PolicyPeriod, Proposal, ProposalStep, Vacancy
from pamong.staffing.testing import qualified_official

S = Proposal.Status
CODE = "pra-pilkada-2024"
DAY = dt.date(2024, 10, 17)  # before the queue date
DECEMBER = dt.date(2024, 12, 2)  # after it
QUOTAS: list[dict[str, Any]] = [
    {"code": "eselon_ii", "label": "eselon II", "levels": ["jpt_pratama"], "limit": 2},
    {"code": "eselon_iii_iv", "label": "eselon III dan IV", "levels": ["administrator", "pengawas"], "limit": 15},
]
GRADES = {"jpt_pratama": "II.b", "administrator": "III.a", "pengawas": "IV.a"}


class StaffingCase(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        cls.period = services.create_period(
            by=cls.bkpsdm,
            code=CODE,
            name="Masa pra-Pilkada 2024",
            starts_on=dt.date(2024, 3, 22),
            ends_on=dt.date(2025, 2, 20),
            approval_levels=["jpt_pratama", "administrator"],
            quotas=QUOTAS,
            quota_source="Arahan Kemendagri, Juli 2024",
            others_from=dt.date(2024, 12, 1),
        )

    _posts = iter(range(1, 10**6))

    def vacancy(self, level: str = "jpt_pratama", name: str = "") -> Vacancy:
        post = Position.objects.create(
            opd=self.health, name=name or f"Jabatan {next(self._posts)}", level=level, grade=GRADES[level]
        )
        return services.open_vacancy(post, by=self.bkpsdm, since=dt.date(2024, 9, 1), reason="pensiun")

    def draft(self, level: str = "jpt_pratama", *, urgency: tuple[str, ...] = ("pa_kpa",), name: str = "") -> Proposal:
        return services.draft_proposal(
            self.vacancy(level, name),
            by=self.bkpsdm,
            urgency=list(urgency),
            justification="Layanan terhenti.",
            today=DAY,
        )

    def submitted(self, level: str = "jpt_pratama", **kwargs: Any) -> Proposal:
        return services.submit_proposal(self.draft(level, **kwargs), by=self.bkpsdm, today=DAY)

    def up_to_mayor(self, level: str = "jpt_pratama") -> Proposal:
        proposal = self.submitted(level)
        services.approve_by_sekda(proposal, by=self.sekda, today=DAY)
        return services.approve_by_mayor(proposal, by=self.mayor, today=DAY)

    def sent(self, level: str = "jpt_pratama") -> Proposal:
        return services.send_to_kemendagri(self.up_to_mayor(level), by=self.bkpsdm, today=DAY)

    def decide(self, proposal: Proposal, *, approved: bool = True) -> Proposal:
        return services.record_decision(
            proposal, by=self.bkpsdm, approved=approved, letter_number="100.2.2.6/7001/SJ", letter_date=DAY
        )

    def appoint(self, proposal: Proposal, on: dt.date = DAY) -> Proposal:
        self.with_candidate(proposal, on)
        return services.record_appointment(proposal, by=self.bkpsdm, decree_number="SK 821/001/2024", decree_date=on)

    _people = iter(range(1, 10**6))

    def with_candidate(self, proposal: Proposal, on: dt.date = DAY) -> None:
        if not proposal.candidates.exists():
            official = qualified_official(
                self.health, f"Calon {next(self._people)}", level=proposal.vacancy.position.level, field="umum", on=on
            )
            services.add_candidate(proposal, official, by=self.bkpsdm, today=DAY)

    def revise(self, reason: str = "Arahan baru", **fields: Any) -> PolicyPeriod:
        return services.revise_period(CODE, by=self.bkpsdm, reason=reason, **fields)

    def assertUnchanged(self, proposal: Proposal, status: str, *, steps: int, entries: int) -> None:
        fresh = Proposal.objects.get(pk=proposal.pk)
        self.assertEqual(fresh.status, status)
        self.assertEqual(ProposalStep.objects.filter(proposal=proposal).count(), steps)
        self.assertEqual(LedgerEntry.objects.count(), entries)


class PolicyPeriodTests(StaffingCase):
    def test_a_period_is_created_as_version_one_with_its_rules_as_data(self) -> None:
        period = PolicyPeriod.objects.get(code=CODE)
        self.assertEqual(period.version, 1)
        self.assertEqual(period.created_by, self.bkpsdm)
        self.assertEqual(period.quota_for("pengawas")["limit"], 15)  # type: ignore[index]
        self.assertIsNone(period.quota_for("pelaksana"))
        self.assertTrue(period.needs_approval("administrator"))
        self.assertFalse(period.needs_approval("pengawas"))

    def test_a_code_is_used_once_revisions_make_new_versions(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Kode periode sudah dipakai"):
            services.create_period(by=self.bkpsdm, code=CODE, name="Lagi", starts_on=dt.date(2024, 4, 1))
        self.assertEqual(PolicyPeriod.objects.filter(code=CODE).count(), 1)

    def test_a_revision_needs_a_reason_and_leaves_nothing_behind_without_one(self) -> None:
        for reason in ("", "   "):
            with self.assertRaisesMessage(ValidationError, "Tuliskan alasan perubahan"):
                self.revise(reason=reason, others_from=dt.date(2025, 1, 2))
        self.assertEqual(PolicyPeriod.objects.filter(code=CODE).count(), 1)

    def test_a_revision_is_version_two_and_version_one_stays_as_it_was(self) -> None:
        new_quotas = [dict(QUOTAS[0], limit=3), QUOTAS[1]]
        second = self.revise(reason=" Surat Mendagri 14 Agustus 2024 ", quotas=new_quotas)
        self.assertEqual((second.version, second.reason), (2, "Surat Mendagri 14 Agustus 2024"))
        self.assertEqual(second.quota_for("jpt_pratama")["limit"], 3)  # type: ignore[index]
        # Fields not named are carried over from the latest version.
        self.assertEqual(second.others_from, dt.date(2024, 12, 1))
        self.assertEqual(second.approval_levels, ["jpt_pratama", "administrator"])
        first = PolicyPeriod.objects.get(code=CODE, version=1)
        self.assertEqual(first.quota_for("jpt_pratama")["limit"], 2)  # type: ignore[index]
        self.assertEqual(services.current_version(CODE), second)
        self.assertEqual(self.revise(name="Masa pra-Pilkada 2024 (v3)").version, 3)

    def test_period_on_picks_the_latest_version_in_force(self) -> None:
        self.assertEqual(services.period_on(DAY), self.period)
        self.assertIsNone(services.period_on(dt.date(2024, 3, 21)))
        self.assertIsNone(services.period_on(dt.date(2025, 2, 21)))
        second = self.revise(starts_on=dt.date(2024, 6, 1))
        self.assertEqual(services.period_on(DAY), second)
        # Version 1 started earlier, but it is no longer the period's rule.
        self.assertIsNone(services.period_on(dt.date(2024, 4, 1)))
        other = services.create_period(
            by=self.bkpsdm, code="pasca-pilkada", name="Pasca-Pilkada", starts_on=dt.date(2025, 2, 21)
        )
        self.assertEqual(services.period_on(dt.date(2025, 3, 1)), other)

    def test_invalid_quotas_levels_and_dates_are_refused_and_nothing_saved(self) -> None:
        bad: list[tuple[dict[str, Any], str]] = [
            ({"quotas": [{"levels": ["jpt_pratama"], "limit": 3}]}, "Setiap kuota perlu kode"),
            ({"quotas": [{"code": "x", "levels": ["eselon_ii"], "limit": 3}]}, "Setiap kuota perlu kode"),
            ({"quotas": [{"code": "x", "levels": ["jpt_pratama"], "limit": -1}]}, "batas 0 atau lebih"),
            ({"quotas": [{"code": "x", "levels": ["jpt_pratama"]}]}, "batas 0 atau lebih"),
            (
                {"quotas": [QUOTAS[0], {"code": "y", "levels": ["jpt_pratama"], "limit": 1}]},
                "Satu jenjang hanya boleh masuk satu kelompok kuota",
            ),
            ({"approval_levels": ["eselon_ii"]}, "Jenjang yang perlu persetujuan Mendagri tidak dikenal"),
            ({"ends_on": dt.date(2024, 1, 1)}, "Tanggal berakhir tidak boleh sebelum tanggal mulai"),
        ]
        for fields, message in bad:
            with self.subTest(fields=fields):
                with self.assertRaisesMessage(ValidationError, message):
                    services.create_period(
                        by=self.bkpsdm, code="baru", name="Baru", starts_on=dt.date(2024, 3, 22), **fields
                    )
                with self.assertRaisesMessage(ValidationError, message):
                    self.revise(**fields)
        self.assertFalse(PolicyPeriod.objects.filter(code="baru").exists())
        self.assertEqual(PolicyPeriod.objects.filter(code=CODE).count(), 1)

    def test_only_bkpsdm_creates_or_revises_a_period(self) -> None:
        for user in (self.sekda, self.mayor, self.health_head, self.inspector, self.clerk):
            with self.subTest(user=user.full_name):
                with self.assertRaises(PermissionDenied):
                    services.create_period(by=user, code="lain", name="Lain", starts_on=dt.date(2024, 3, 22))
                with self.assertRaises(PermissionDenied):
                    services.revise_period(CODE, by=user, reason="Saya ingin", quotas=[])
        self.assertEqual(PolicyPeriod.objects.count(), 1)


class VacancyTests(StaffingCase):
    def test_one_open_vacancy_per_post(self) -> None:
        vacancy = self.vacancy("administrator")
        with self.assertRaisesMessage(ValidationError, "sudah tercatat lowong"):
            services.open_vacancy(vacancy.position, by=self.bkpsdm, since=dt.date(2024, 10, 1), reason="mutasi")
        self.assertEqual(Vacancy.objects.filter(position=vacancy.position).count(), 1)

    def test_a_filled_post_can_fall_vacant_again(self) -> None:
        vacancy = self.vacancy("administrator")
        Vacancy.objects.filter(pk=vacancy.pk).update(filled_on=DAY)
        again = services.open_vacancy(vacancy.position, by=self.bkpsdm, since=dt.date(2024, 11, 1), reason="promosi")
        self.assertIsNone(again.filled_on)

    def test_an_unknown_reason_and_other_roles_are_refused(self) -> None:
        post = Position.objects.create(opd=self.health, name="Kepala Seksi", level="pengawas", grade="IV.a")
        with self.assertRaisesMessage(ValidationError, "Pilih sebab jabatan lowong"):
            services.open_vacancy(post, by=self.bkpsdm, since=DAY, reason="bosan")
        with self.assertRaises(PermissionDenied):
            services.open_vacancy(post, by=self.health_head, since=DAY, reason="pensiun")
        self.assertFalse(Vacancy.objects.filter(position=post).exists())


class ProposalChainTests(StaffingCase):
    def test_every_step_in_order_by_its_role_makes_one_ledger_entry(self) -> None:
        proposal = self.draft("jpt_pratama")
        self.assertEqual(proposal.status, S.DRAFT)
        self.assertEqual(proposal.period_code, CODE)
        chain = [
            (lambda p: services.submit_proposal(p, by=self.bkpsdm, today=DAY), S.SUBMITTED),
            (lambda p: services.approve_by_sekda(p, by=self.sekda, today=DAY), S.SEKDA),
            (lambda p: services.approve_by_mayor(p, by=self.mayor, today=DAY), S.WALI_KOTA),
            (lambda p: services.send_to_kemendagri(p, by=self.bkpsdm, today=DAY), S.SENT),
            (self.decide, S.APPROVED),
            (self.appoint, S.APPOINTED),
        ]
        for number, (step, status) in enumerate(chain, start=1):
            before = LedgerEntry.objects.count()
            step(proposal)
            proposal.refresh_from_db()
            self.assertEqual(proposal.status, status)
            self.assertEqual(LedgerEntry.objects.count(), before + 1)
            self.assertEqual(LedgerEntry.objects.order_by("-index").first().kind, "staffing.proposal_step")  # type: ignore[union-attr]
            self.assertEqual(proposal.steps.count(), number)
        steps = list(proposal.steps.values_list("from_status", "to_status", "by"))
        self.assertEqual(
            steps,
            [
                (S.DRAFT, S.SUBMITTED, self.bkpsdm.pk),
                (S.SUBMITTED, S.SEKDA, self.sekda.pk),
                (S.SEKDA, S.WALI_KOTA, self.mayor.pk),
                (S.WALI_KOTA, S.SENT, self.bkpsdm.pk),
                (S.SENT, S.APPROVED, self.bkpsdm.pk),
                (S.APPROVED, S.APPOINTED, self.bkpsdm.pk),
            ],
        )
        self.assertEqual(proposal.mendagri_letter_number, "100.2.2.6/7001/SJ")
        self.assertEqual((proposal.decree_number, proposal.decree_date), ("SK 821/001/2024", DAY))
        self.assertTrue(ledger.verify_ledger().ok)

    def wrong_roles(self) -> list[tuple[str, Any, list[User]]]:
        others = [self.health_head, self.inspector, self.clerk, self.bkad, self.health_operator]
        return [
            (S.DRAFT, lambda p, u: services.submit_proposal(p, by=u, today=DAY), [self.sekda, self.mayor, *others]),
            (
                S.SUBMITTED,
                lambda p, u: services.approve_by_sekda(p, by=u, today=DAY),
                [self.bkpsdm, self.mayor, *others],
            ),
            (S.SEKDA, lambda p, u: services.approve_by_mayor(p, by=u, today=DAY), [self.bkpsdm, self.sekda, *others]),
            (
                S.WALI_KOTA,
                lambda p, u: services.send_to_kemendagri(p, by=u, today=DAY),
                [self.sekda, self.mayor, *others],
            ),
            (
                S.SENT,
                lambda p, u: services.record_decision(
                    p, by=u, approved=True, letter_number="100/1/SJ", letter_date=DAY, today=DAY
                ),
                [self.sekda, self.mayor, *others],
            ),
            (
                S.APPROVED,
                lambda p, u: services.record_appointment(p, by=u, decree_number="SK/9", decree_date=DAY, today=DAY),
                [self.sekda, self.mayor, *others],
            ),
            (
                S.SUBMITTED,
                lambda p, u: services.withdraw(p, by=u, reason="Batal", today=DAY),
                [self.sekda, self.mayor, *others],
            ),
        ]

    def at(self, status: str) -> Proposal:
        proposal = self.draft("administrator")
        moves = {
            S.SUBMITTED: lambda p: services.submit_proposal(p, by=self.bkpsdm, today=DAY),
            S.SEKDA: lambda p: services.approve_by_sekda(p, by=self.sekda, today=DAY),
            S.WALI_KOTA: lambda p: services.approve_by_mayor(p, by=self.mayor, today=DAY),
            S.SENT: lambda p: services.send_to_kemendagri(p, by=self.bkpsdm, today=DAY),
            S.APPROVED: self.decide,
        }
        for target, move in moves.items():
            if proposal.status == status:
                break
            proposal = move(proposal)
            assert proposal.status == target
        return proposal

    def test_each_step_by_the_wrong_role_is_refused_and_changes_nothing(self) -> None:
        self.revise(reason="Uji banyak usulan", quotas=[])
        for status, step, users in self.wrong_roles():
            proposal = self.at(status)
            steps, entries = proposal.steps.count(), LedgerEntry.objects.count()
            for user in users:
                with self.subTest(status=status, user=user.full_name):
                    with self.assertRaises(PermissionDenied):
                        step(proposal, user)
                    self.assertUnchanged(proposal, status, steps=steps, entries=entries)

    def test_each_step_out_of_order_is_refused_and_changes_nothing(self) -> None:
        self.revise(reason="Uji banyak usulan", quotas=[])
        steps_by_role = {
            "submit": (lambda p: services.submit_proposal(p, by=self.bkpsdm, today=DAY), {S.DRAFT}),
            "sekda": (lambda p: services.approve_by_sekda(p, by=self.sekda, today=DAY), {S.SUBMITTED}),
            "mayor": (lambda p: services.approve_by_mayor(p, by=self.mayor, today=DAY), {S.SEKDA}),
            "send": (lambda p: services.send_to_kemendagri(p, by=self.bkpsdm, today=DAY), {S.WALI_KOTA}),
            "decide": (self.decide, {S.SENT}),
            # Administrator needs the Minister's approval in this period: only an approved proposal.
            "appoint": (self.appoint, {S.APPROVED}),
        }
        for status in (S.DRAFT, S.SUBMITTED, S.SEKDA, S.WALI_KOTA, S.SENT, S.APPROVED):
            for name, (step, allowed) in steps_by_role.items():
                if status in allowed:
                    continue
                proposal = self.at(status)
                steps, entries = proposal.steps.count(), LedgerEntry.objects.count()
                with self.subTest(status=status, step=name):
                    with self.assertRaises(ValidationError):
                        step(proposal)
                    self.assertUnchanged(proposal, status, steps=steps, entries=entries)

    def test_nothing_moves_a_finished_proposal(self) -> None:
        appointed = self.appoint(self.decide(self.sent("administrator")))
        rejected = self.decide(self.sent("administrator"), approved=False)
        withdrawn = services.withdraw(self.submitted("administrator"), by=self.bkpsdm, reason="Batal", today=DAY)
        for proposal in (appointed, rejected, withdrawn):
            steps, entries = proposal.steps.count(), LedgerEntry.objects.count()
            for step in (
                lambda p: services.submit_proposal(p, by=self.bkpsdm, today=DAY),
                lambda p: services.approve_by_sekda(p, by=self.sekda, today=DAY),
                lambda p: services.withdraw(p, by=self.bkpsdm, reason="Lagi", today=DAY),
                self.decide,
                self.appoint,
            ):
                with self.subTest(status=proposal.status):
                    with self.assertRaises(ValidationError):
                        step(proposal)
                    self.assertUnchanged(proposal, proposal.status, steps=steps, entries=entries)

    def test_a_decision_needs_the_letter_number_and_date(self) -> None:
        proposal = self.sent("jpt_pratama")
        entries = LedgerEntry.objects.count()
        for number, date in (("", DAY), ("  ", DAY), ("100.2.2.6/7001/SJ", None)):
            with self.assertRaisesMessage(ValidationError, "UU 10/2016 Pasal 71 ayat (2)"):
                services.record_decision(
                    proposal, by=self.bkpsdm, approved=True, letter_number=number, letter_date=date
                )
        self.assertUnchanged(proposal, S.SENT, steps=4, entries=entries)
        self.assertEqual(Proposal.objects.get(pk=proposal.pk).mendagri_letter_number, "")

    def test_a_withdrawal_needs_a_reason(self) -> None:
        proposal = self.submitted("jpt_pratama")
        entries = LedgerEntry.objects.count()
        with self.assertRaisesMessage(ValidationError, "Tuliskan alasan penarikan"):
            services.withdraw(proposal, by=self.bkpsdm, reason=" ", today=DAY)
        self.assertUnchanged(proposal, S.SUBMITTED, steps=1, entries=entries)
        self.assertTrue(Proposal.objects.get(pk=proposal.pk).counts_against_quota)

    def test_a_filled_vacancy_takes_no_new_proposal(self) -> None:
        appointed = self.appoint(self.decide(self.sent("jpt_pratama")))
        with self.assertRaisesMessage(ValidationError, "sudah terisi"):
            services.draft_proposal(
                Vacancy.objects.get(pk=appointed.vacancy_id), by=self.bkpsdm, urgency=[], justification="", today=DAY
            )

    def test_no_proposal_without_a_period_in_force_or_with_an_unknown_urgency(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Tidak ada periode kebijakan yang berlaku"):
            services.draft_proposal(
                self.vacancy(), by=self.bkpsdm, urgency=[], justification="", today=dt.date(2024, 1, 5)
            )
        with self.assertRaisesMessage(ValidationError, "Alasan penting dan mendesak tidak dikenal"):
            services.draft_proposal(self.vacancy(), by=self.bkpsdm, urgency=["titipan"], justification="", today=DAY)
        self.assertFalse(Proposal.objects.exists())


class QueueTests(StaffingCase):
    def test_a_proposal_without_urgency_is_refused_before_the_queue_date_naming_it(self) -> None:
        proposal = self.draft("pengawas", urgency=())
        entries = LedgerEntry.objects.count()
        with self.assertRaisesMessage(ValidationError, "baru dapat diusulkan mulai 1 Desember 2024"):
            services.submit_proposal(proposal, by=self.bkpsdm, today=dt.date(2024, 11, 30))
        self.assertUnchanged(proposal, S.DRAFT, steps=0, entries=entries)
        self.assertIsNone(Proposal.objects.get(pk=proposal.pk).submitted_on)

    def test_on_and_after_the_queue_date_it_is_accepted_outside_the_quota(self) -> None:
        # Fill eselon II's quota first: the queued proposals must still go through.
        self.submitted("jpt_pratama")
        self.submitted("jpt_pratama")
        for day in (dt.date(2024, 12, 1), DECEMBER):
            for urgency in ((), ("amanat_uu",)):
                proposal = self.draft("jpt_pratama", urgency=urgency)
                with self.subTest(day=day, urgency=urgency):
                    services.submit_proposal(proposal, by=self.bkpsdm, today=day)
                    proposal.refresh_from_db()
                    self.assertEqual((proposal.status, proposal.submitted_on), (S.SUBMITTED, day))
                    self.assertEqual((proposal.quota_group, proposal.counts_against_quota), ("", False))
        self.assertEqual(Proposal.objects.filter(counts_against_quota=True).count(), 2)


class QuotaTests(StaffingCase):
    def test_the_refusal_names_the_quota_the_count_and_the_holding_proposals(self) -> None:
        first = self.submitted("jpt_pratama", name="Kepala Dinas Pangan")
        second = self.submitted("jpt_pratama", name="Kepala Badan Keuangan")
        third = self.draft("jpt_pratama", name="Kepala Dinas Sosial")
        entries = LedgerEntry.objects.count()
        with self.assertRaises(ValidationError) as refused:
            services.submit_proposal(third, by=self.bkpsdm, today=DAY)
        message = refused.exception.messages[0]
        self.assertIn("Kuota eselon II periode Masa pra-Pilkada 2024 sudah penuh", message)
        self.assertIn("2 dari 2 usulan terpakai", message)
        self.assertIn("Arahan Kemendagri, Juli 2024", message)
        self.assertIn(f"#{first.pk} Kepala Dinas Pangan (Dinkes)", message)
        self.assertIn(f"#{second.pk} Kepala Badan Keuangan (Dinkes)", message)
        self.assertUnchanged(third, S.DRAFT, steps=0, entries=entries)
        self.assertFalse(Proposal.objects.get(pk=third.pk).counts_against_quota)

    def test_level_groups_count_separately_and_a_level_without_quota_is_free(self) -> None:
        self.submitted("jpt_pratama")
        self.submitted("jpt_pratama")
        for level in ("administrator", "pengawas"):
            proposal = self.submitted(level)
            self.assertEqual((proposal.quota_group, proposal.counts_against_quota), ("eselon_iii_iv", True))
        self.revise(quotas=[QUOTAS[0]])
        free = self.submitted("administrator")
        self.assertEqual((free.quota_group, free.counts_against_quota), ("", False))

    def test_eselon_iii_and_iv_share_one_quota(self) -> None:
        self.revise(quotas=[QUOTAS[0], dict(QUOTAS[1], limit=2)])
        self.submitted("administrator")
        self.submitted("pengawas")
        with self.assertRaisesMessage(ValidationError, "Kuota eselon III dan IV periode"):
            services.submit_proposal(self.draft("pengawas"), by=self.bkpsdm, today=DAY)

    def test_the_quota_of_the_latest_version_applies(self) -> None:
        self.submitted("jpt_pratama")
        self.submitted("jpt_pratama")
        self.revise(quotas=[dict(QUOTAS[0], limit=3), QUOTAS[1]])
        self.submitted("jpt_pratama")
        with self.assertRaisesMessage(ValidationError, "3 dari 3 usulan terpakai"):
            services.submit_proposal(self.draft("jpt_pratama"), by=self.bkpsdm, today=DAY)

    def test_a_withdrawal_frees_the_place_when_the_policy_says_so(self) -> None:
        holder = self.submitted("jpt_pratama")
        self.submitted("jpt_pratama")
        services.withdraw(holder, by=self.bkpsdm, reason="Calon mengundurkan diri", today=DAY)
        holder.refresh_from_db()
        self.assertEqual((holder.status, holder.counts_against_quota), (S.WITHDRAWN, False))
        self.assertEqual(self.submitted("jpt_pratama").status, S.SUBMITTED)

    def test_a_withdrawal_keeps_the_place_when_the_policy_says_so(self) -> None:
        self.revise(frees_on_withdrawal=False)
        holder = self.submitted("jpt_pratama")
        self.submitted("jpt_pratama")
        services.withdraw(holder, by=self.bkpsdm, reason="Calon mengundurkan diri", today=DAY)
        holder.refresh_from_db()
        self.assertEqual((holder.status, holder.counts_against_quota), (S.WITHDRAWN, True))
        with self.assertRaisesMessage(ValidationError, f"#{holder.pk} "):
            services.submit_proposal(self.draft("jpt_pratama"), by=self.bkpsdm, today=DAY)

    def test_a_rejection_keeps_the_place_by_default(self) -> None:
        rejected = self.decide(self.sent("jpt_pratama"), approved=False)
        self.submitted("jpt_pratama")
        self.assertEqual((rejected.status, rejected.counts_against_quota), (S.REJECTED, True))
        with self.assertRaisesMessage(ValidationError, "2 dari 2 usulan terpakai"):
            services.submit_proposal(self.draft("jpt_pratama"), by=self.bkpsdm, today=DAY)

    def test_a_rejection_frees_the_place_when_the_policy_says_so(self) -> None:
        self.revise(frees_on_rejection=True)
        rejected = self.decide(self.sent("jpt_pratama"), approved=False)
        self.submitted("jpt_pratama")
        self.assertEqual((rejected.status, rejected.counts_against_quota), (S.REJECTED, False))
        self.assertEqual(self.submitted("jpt_pratama").counts_against_quota, True)

    def test_a_rejected_proposal_is_never_appointed(self) -> None:
        rejected = self.decide(self.sent("pengawas"), approved=False)
        with self.assertRaisesMessage(ValidationError, "tidak bisa dilakukan sekarang"):
            self.appoint(rejected)
        self.assertIsNone(Vacancy.objects.get(pk=rejected.vacancy_id).filled_on)


class MendagriGateTests(StaffingCase):
    def test_no_appointment_of_an_approval_level_without_an_approved_decision(self) -> None:
        for level in ("jpt_pratama", "administrator"):
            for proposal in (self.up_to_mayor(level), self.sent(level)):
                steps, entries = proposal.steps.count(), LedgerEntry.objects.count()
                with self.subTest(level=level, status=proposal.status):
                    with self.assertRaisesMessage(ValidationError, "perlu persetujuan tertulis Mendagri"):
                        self.appoint(proposal)
                    self.assertUnchanged(proposal, proposal.status, steps=steps, entries=entries)
                    fresh = Proposal.objects.get(pk=proposal.pk)
                    self.assertEqual((fresh.decree_number, fresh.decree_date), ("", None))
                    self.assertIsNone(Vacancy.objects.get(pk=proposal.vacancy_id).filled_on)

    def test_the_refusal_names_the_level_the_period_and_the_law(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            self.appoint(self.up_to_mayor("administrator"))
        message = refused.exception.messages[0]
        self.assertIn("Administrator (eselon III)", message)
        self.assertIn("Masa pra-Pilkada 2024", message)
        self.assertIn("UU 10/2016 Pasal 71 ayat (2); SE Mendagri 100.2.1.3/1575/SJ", message)

    def test_an_approved_decision_with_letter_opens_the_gate_and_fills_the_vacancy(self) -> None:
        proposal = self.appoint(self.decide(self.sent("jpt_pratama")), on=dt.date(2024, 11, 4))
        self.assertEqual(proposal.status, S.APPOINTED)
        vacancy = Vacancy.objects.get(pk=proposal.vacancy_id)
        self.assertEqual(vacancy.filled_on, dt.date(2024, 11, 4))
        self.assertTrue(ledger.verify_ledger().ok)

    def test_a_level_not_needing_approval_is_appointed_right_after_the_mayor(self) -> None:
        proposal = self.appoint(self.up_to_mayor("pengawas"))
        self.assertEqual(proposal.status, S.APPOINTED)
        self.assertEqual(list(proposal.steps.values_list("to_status", flat=True))[-2:], [S.WALI_KOTA, S.APPOINTED])
        self.assertEqual(Vacancy.objects.get(pk=proposal.vacancy_id).filled_on, DAY)

    def test_a_decree_dated_outside_the_period_needs_no_approval(self) -> None:
        after = dt.date(2025, 3, 3)  # the new Wali Kota has taken office
        proposal = self.appoint(self.up_to_mayor("jpt_pratama"), on=after)
        self.assertEqual(proposal.status, S.APPOINTED)
        self.assertEqual(Vacancy.objects.get(pk=proposal.vacancy_id).filled_on, after)

    def test_the_gate_follows_the_data_of_the_latest_version(self) -> None:
        self.revise(approval_levels=["jpt_pratama", "administrator", "pengawas"])
        proposal = self.up_to_mayor("pengawas")
        with self.assertRaisesMessage(ValidationError, "perlu persetujuan tertulis Mendagri"):
            self.appoint(proposal)
        self.revise(approval_levels=["jpt_pratama"])
        self.assertEqual(self.appoint(self.up_to_mayor("administrator")).status, S.APPOINTED)

    def test_a_decree_needs_its_number_and_date(self) -> None:
        proposal = self.decide(self.sent("jpt_pratama"))
        for number, date in (("", DAY), ("SK/1", None)):
            with self.assertRaisesMessage(ValidationError, "Catat nomor dan tanggal SK pengangkatan"):
                services.record_appointment(proposal, by=self.bkpsdm, decree_number=number, decree_date=date)
        self.assertIsNone(Vacancy.objects.get(pk=proposal.vacancy_id).filled_on)
