"""Candidate eligibility (issue 6, point 4): each requirement passes for a qualified official and
fails, alone, when one fact changes; an ineligible candidate is refused naming the rule and its
source, and nothing is recorded; the appointee is checked again on the decree's date."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings

from pamong.cases.models import Kind, Report, Stage
from pamong.core.testing import CastMixin
from pamong.organisation.models import Employee, Position
from pamong.staffing import eligibility, services
from pamong.staffing.models import DisciplineRecord, PerformanceRating, Proposal, ProposalCandidate, ServiceRecord
from pamong.staffing.testing import pre_election_period, qualified_official

DAY = dt.date(2024, 10, 17)
S = Proposal.Status


class EligibilityCase(CastMixin, TestCase):
    head_post: Position
    division_post: Position

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        pre_election_period(cls.bkpsdm, quotas=[])
        cls.head_post = Position.objects.create(
            opd=cls.schools, name="Kepala Dinas Pendidikan", level="jpt_pratama", grade="II.b"
        )
        cls.division_post = Position.objects.create(
            opd=cls.schools, name="Kepala Bidang SD", level="administrator", grade="III.b"
        )

    def proposal(self, post: Position | None = None) -> Proposal:
        vacancy = services.open_vacancy(
            post or self.head_post, by=self.bkpsdm, since=dt.date(2024, 9, 1), reason="pensiun", field="pendidikan"
        )
        return services.draft_proposal(
            vacancy, by=self.bkpsdm, urgency=["pa_kpa"], justification="PA kosong", today=DAY
        )

    def official(self, name: str = "Calon", **extra: object) -> Employee:
        extra.setdefault("field", "pendidikan")
        return qualified_official(self.schools, name, on=DAY, **extra)  # type: ignore[arg-type]

    def checks(self, employee: Employee, post: Position | None = None) -> dict[str, eligibility.Check]:
        employee = eligibility.prefetch(Employee.objects.filter(pk=employee.pk)).get()
        found = eligibility.check_candidate(employee, post or self.head_post, "pendidikan", on=DAY)
        return {check.code: check for check in found}


class JptPratamaRuleTests(EligibilityCase):
    def test_a_qualified_official_passes_every_check_with_its_source(self) -> None:
        checks = self.checks(self.official())
        self.assertEqual(
            set(checks),
            {"status", "education", "related_years", "prior_post", "age", "performance", "discipline", "neutrality"},
        )
        self.assertTrue(all(check.passed for check in checks.values()), checks)
        self.assertIn("Pasal 107", checks["education"].source)
        self.assertIn("Pasal 107", checks["age"].source)

    def test_each_requirement_fails_alone_when_its_fact_changes(self) -> None:
        cases: dict[str, dict[str, object]] = {
            "education": {"education": "d3"},
            "age": {"birth_date": dt.date(1967, 10, 16)},  # 57 on 17 October 2024
        }
        for code, extra in cases.items():
            with self.subTest(code):
                checks = self.checks(self.official(f"Calon {code}", **extra))
                self.assertEqual([c for c, check in checks.items() if not check.passed], [code])

    def test_age_56_is_allowed_until_the_57th_birthday(self) -> None:
        self.assertTrue(self.checks(self.official("Lima enam", birth_date=dt.date(1967, 10, 18)))["age"].passed)
        self.assertFalse(self.checks(self.official("Lima tujuh", birth_date=dt.date(1967, 10, 17)))["age"].passed)

    def test_five_years_in_the_related_field_are_counted_once_across_overlaps(self) -> None:
        employee = self.official("Bidang lain", field="kesehatan")
        checks = self.checks(employee)
        self.assertFalse(checks["related_years"].passed)
        self.assertIn("0.0 tahun", checks["related_years"].detail)
        # Two overlapping records of 3 years each in the field, 2021-2024: 3.8 years, not 6.
        for name in ("Plt Kepala Bidang", "Kepala Bidang"):
            ServiceRecord.objects.create(
                employee=employee,
                position_name=name,
                level="administrator",
                field="pendidikan",
                starts_on=dt.date(2021, 1, 1),
                ends_on=dt.date(2024, 1, 1) if name.startswith("Plt") else None,
            )
        self.assertFalse(self.checks(employee)["related_years"].passed)
        ServiceRecord.objects.create(
            employee=employee,
            position_name="Kepala Seksi",
            level="pengawas",
            field="pendidikan",
            starts_on=dt.date(2019, 1, 1),
            ends_on=dt.date(2020, 12, 31),
        )
        self.assertTrue(self.checks(employee)["related_years"].passed)

    def test_two_years_as_administrator_or_jf_ahli_madya(self) -> None:
        employee = self.official("Baru Administrator")
        ServiceRecord.objects.filter(employee=employee, level="administrator").update(starts_on=dt.date(2023, 1, 2))
        self.assertFalse(self.checks(employee)["prior_post"].passed)
        ServiceRecord.objects.create(
            employee=employee,
            position_name="Pengawas Sekolah Ahli Madya",
            level="fungsional",
            functional_grade="ahli_madya",
            field="pendidikan",
            starts_on=dt.date(2020, 1, 1),
            ends_on=dt.date(2022, 12, 31),
        )
        self.assertTrue(self.checks(employee)["prior_post"].passed)

    def test_performance_of_each_of_the_last_two_years_must_be_good_and_recorded(self) -> None:
        employee = self.official("Kinerja")
        PerformanceRating.objects.filter(employee=employee, year=2023).update(rating="butuh_perbaikan")
        check = self.checks(employee)["performance"]
        self.assertFalse(check.passed)
        self.assertIn("2023: Butuh perbaikan", check.detail)
        PerformanceRating.objects.filter(employee=employee, year=2023).delete()
        self.assertIn("2023: belum tercatat", self.checks(employee)["performance"].detail)

    def test_a_discipline_sanction_in_force_blocks_and_an_ended_one_does_not(self) -> None:
        employee = self.official("Disiplin")
        record = DisciplineRecord.objects.create(
            employee=employee,
            level="sedang",
            sanction="Pemotongan TPP 25 persen selama 6 bulan",
            decree_number="800/12/BKPPD/2024",
            starts_on=dt.date(2024, 7, 1),
            ends_on=dt.date(2024, 12, 31),
        )
        check = self.checks(employee)["discipline"]
        self.assertFalse(check.passed)
        self.assertIn("800/12/BKPPD/2024", check.detail)
        record.ends_on = dt.date(2024, 10, 16)
        record.save()
        self.assertTrue(self.checks(employee)["discipline"].passed)

    def test_a_neutrality_case_under_examination_blocks_but_an_unverified_report_does_not(self) -> None:
        employee = self.official("Netralitas")
        report = Report.objects.create(
            kind=Kind.NETRALITAS, received_on=DAY, stage_since=DAY, reported_employee=employee
        )
        self.assertTrue(self.checks(employee)["neutrality"].passed)
        for stage, blocks in ((Stage.PEMERIKSAAN, True), (Stage.DIPUTUS, True), (Stage.SELESAI, False)):
            Report.objects.filter(pk=report.pk).update(stage=stage)
            with self.subTest(stage):
                self.assertEqual(self.checks(employee)["neutrality"].passed, not blocks)
        Report.objects.filter(pk=report.pk).update(stage=Stage.PEMERIKSAAN, kind=Kind.INTEGRITAS)
        self.assertTrue(self.checks(employee)["neutrality"].passed)

    def test_a_ptt_or_an_inactive_official_is_not_eligible(self) -> None:
        employee = self.official("Cuti panjang")
        Employee.objects.filter(pk=employee.pk).update(status=Employee.Status.DIBERHENTIKAN_SEMENTARA)
        self.assertFalse(self.checks(employee)["status"].passed)


class ConfiguredLevelTests(EligibilityCase):
    def test_administrator_defaults_need_three_years_as_pengawas_and_no_age_limit(self) -> None:
        employee = self.official("Pengawas lama", level="administrator", birth_date=dt.date(1960, 1, 1))
        checks = self.checks(employee, self.division_post)
        self.assertNotIn("age", checks)
        self.assertTrue(all(c.passed for c in checks.values()), checks)
        self.assertIn("konfigurasi", checks["education"].source)

    @override_settings(PAMONG_STAFFING_REQUIREMENTS={"administrator": {"min_rank": "IV/a", "max_age": 55}})
    def test_a_pemda_may_configure_a_minimum_rank_and_an_age_limit(self) -> None:
        employee = self.official("Penata", level="administrator", rank="III/d")
        checks = self.checks(employee, self.division_post)
        self.assertFalse(checks["rank"].passed)
        self.assertTrue(checks["age"].passed)  # 50 years old
        Employee.objects.filter(pk=employee.pk).update(rank="IV/a")
        self.assertTrue(self.checks(employee, self.division_post)["rank"].passed)

    @override_settings(PAMONG_STAFFING_REQUIREMENTS={"jpt_pratama": {"max_age": 60}})
    def test_the_law_for_jpt_pratama_is_not_configuration(self) -> None:
        employee = self.official("Lima delapan", birth_date=dt.date(1966, 1, 1))
        self.assertFalse(self.checks(employee)["age"].passed)


class CandidateServiceTests(EligibilityCase):
    def test_an_eligible_candidate_is_added_with_the_checks_as_they_stood(self) -> None:
        proposal = self.proposal()
        candidate = services.add_candidate(proposal, self.official(), by=self.bkpsdm, today=DAY)
        self.assertTrue(candidate.eligible)
        self.assertEqual(candidate.checked_on, DAY)
        self.assertEqual(len(candidate.checks), 8)
        self.assertTrue(all(check["passed"] for check in candidate.checks))

    def test_an_ineligible_candidate_is_refused_naming_the_rule_and_its_source_and_nothing_is_saved(self) -> None:
        proposal = self.proposal()
        employee = self.official("Terlalu tua", birth_date=dt.date(1960, 5, 5))
        with self.assertRaises(ValidationError) as caught:
            services.add_candidate(proposal, employee, by=self.bkpsdm, today=DAY)
        message = caught.exception.message_dict["employee"][0]
        self.assertIn("Usia paling tinggi 56 tahun", message)
        self.assertIn("64 tahun", message)
        self.assertIn("PP 11/2017 jo. PP 17/2020 Pasal 107", message)
        self.assertFalse(ProposalCandidate.objects.exists())

    def test_a_candidate_is_added_once_and_only_by_bkpsdm(self) -> None:
        proposal = self.proposal()
        employee = self.official()
        services.add_candidate(proposal, employee, by=self.bkpsdm, today=DAY)
        with self.assertRaisesMessage(ValidationError, "sudah menjadi calon"):
            services.add_candidate(proposal, employee, by=self.bkpsdm, today=DAY)
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            services.add_candidate(proposal, self.official("Lain"), by=self.sekda, today=DAY)
        self.assertEqual(ProposalCandidate.objects.count(), 1)

    def appointable(self) -> Proposal:
        proposal = self.proposal()
        services.submit_proposal(proposal, by=self.bkpsdm, today=DAY)
        services.approve_by_sekda(proposal, by=self.sekda, today=DAY)
        services.approve_by_mayor(proposal, by=self.mayor, today=DAY)
        services.send_to_kemendagri(proposal, by=self.bkpsdm, letter_number="800/99/BKPPD/2024", today=DAY)
        return services.record_decision(
            proposal, by=self.bkpsdm, approved=True, letter_number="100.2.2.6/7001/SJ", letter_date=DAY, today=DAY
        )

    def test_candidates_may_come_after_the_ministers_approval_as_for_an_open_selection(self) -> None:
        proposal = self.appointable()
        with self.assertRaisesMessage(ValidationError, "belum punya calon"):
            services.record_appointment(proposal, by=self.bkpsdm, decree_number="SK/1", decree_date=DAY)
        first, second = self.official("Pertama"), self.official("Kedua")
        services.add_candidate(proposal, first, by=self.bkpsdm, today=DAY)
        services.add_candidate(proposal, second, by=self.bkpsdm, today=DAY)
        with self.assertRaisesMessage(ValidationError, "Pilih calon yang diangkat"):
            services.record_appointment(proposal, by=self.bkpsdm, decree_number="SK/1", decree_date=DAY)
        with self.assertRaisesMessage(ValidationError, "salah satu calon"):
            services.record_appointment(
                proposal, by=self.bkpsdm, decree_number="SK/1", decree_date=DAY, appointee=self.official("Luar")
            )
        services.record_appointment(
            proposal, by=self.bkpsdm, decree_number="SK/1", decree_date=DAY, appointee=second, today=DAY
        )
        self.assertEqual(
            list(
                ProposalCandidate.objects.filter(proposal=proposal, appointed=True).values_list("employee", flat=True)
            ),
            [second.pk],
        )
        step = proposal.steps.get(to_status=S.APPOINTED)
        self.assertEqual(step.facts["appointee"], second.full_name)
        self.assertNotIn(first.full_name, str(list(proposal.steps.values_list("facts", flat=True))))

    def test_the_appointee_is_checked_again_on_the_decree_date(self) -> None:
        proposal = self.appointable()
        employee = self.official("Berubah")
        services.add_candidate(proposal, employee, by=self.bkpsdm, today=DAY)
        DisciplineRecord.objects.create(
            employee=employee, level="berat", sanction="Penurunan jabatan", decree_number="800/1", starts_on=DAY
        )
        with self.assertRaisesMessage(ValidationError, "hukuman disiplin"):
            services.record_appointment(proposal, by=self.bkpsdm, decree_number="SK/1", decree_date=DAY)
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, S.APPROVED)
        self.assertFalse(ProposalCandidate.objects.filter(appointed=True).exists())

    def test_no_candidate_change_on_a_finished_proposal(self) -> None:
        proposal = self.proposal()
        candidate = services.add_candidate(proposal, self.official(), by=self.bkpsdm, today=DAY)
        services.withdraw(proposal, by=self.bkpsdm, reason="Batal", today=DAY)
        with self.assertRaisesMessage(ValidationError, "berstatus Ditarik"):
            services.add_candidate(proposal, self.official("Lain"), by=self.bkpsdm, today=DAY)
        with self.assertRaisesMessage(ValidationError, "berstatus Ditarik"):
            services.remove_candidate(candidate, by=self.bkpsdm)
        self.assertTrue(ProposalCandidate.objects.filter(pk=candidate.pk).exists())
