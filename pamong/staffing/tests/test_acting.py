"""Acting officials (Plt/Plh): who may act, for how long, what they may not do, and how many
vacancies existing officials cover (SE Kepala BKN Nomor 1/SE/I/2021; issue 6, point 2)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase, override_settings

from pamong.core.testing import CastMixin, make_employee, make_user
from pamong.organisation.models import Employee, Position
from pamong.staffing import acting
from pamong.staffing.models import ActingAssignment, Vacancy

PLT, PLH = ActingAssignment.Kind.PLT, ActingAssignment.Kind.PLH
OCT_1, DEC_31 = dt.date(2024, 10, 1), dt.date(2024, 12, 31)


class ActingCase(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        cls.division_post = Position.objects.create(
            opd=cls.health, name="Kepala Bidang Pelayanan Kesehatan", level="administrator", grade="III.b"
        )
        cls.section_post = Position.objects.create(
            opd=cls.health, name="Kepala Seksi Rujukan", level="pengawas", grade="IV.a", superior=cls.division_post
        )
        cls.other_section_post = Position.objects.create(
            opd=cls.health, name="Kepala Seksi Farmasi", level="pengawas", grade="IV.a", superior=cls.division_post
        )
        cls.school_head_post = Position.objects.create(
            opd=cls.schools, name="Kepala Dinas Pendidikan", level="jpt_pratama", grade="II.b", is_head_of_opd=True
        )
        # The officials who could act: a JPT Pratama (the health head, from the cast), an
        # Administrator and a Pengawas of the health office.
        cls.head = Employee.objects.get(user=cls.health_head)
        cls.division_head = make_employee(cls.health, "Kepala Bidang", position=cls.division_post, rank="IV/a")
        cls.section_head = make_employee(cls.health, "Kepala Seksi", position=cls.other_section_post, rank="III/d")
        cls.division_head_user = make_user(cls.division_head)
        # Vacancies: the health secretary (Administrator), the referral section (Pengawas) and the
        # head of the education office (JPT Pratama).
        cls.secretary = Vacancy.objects.create(
            position=cls.health_secretary_post, since=dt.date(2024, 9, 1), reason="pensiun"
        )
        cls.section = Vacancy.objects.create(position=cls.section_post, since=dt.date(2024, 9, 1), reason="mutasi")
        cls.school_head = Vacancy.objects.create(
            position=cls.school_head_post, since=dt.date(2024, 8, 1), reason="promosi"
        )

    def assign(
        self,
        vacancy: Vacancy,
        employee: Employee,
        kind: str = PLT,
        starts_on: dt.date = OCT_1,
        ends_on: dt.date = DEC_31,
        **kwargs: object,
    ) -> ActingAssignment:
        return acting.assign_acting(vacancy, employee, kind, starts_on, ends_on, by=kwargs.get("by", self.bkpsdm))  # type: ignore[arg-type]


class AssignTests(ActingCase):
    def test_an_official_of_the_same_level_becomes_plt_for_three_months(self) -> None:
        assignment = self.assign(self.section, self.section_head)
        self.assertEqual((assignment.kind, assignment.starts_on, assignment.ends_on), (PLT, OCT_1, DEC_31))
        self.assertFalse(assignment.extended)
        self.assertEqual(assignment.created_by, self.bkpsdm)
        # The official keeps the definitive post.
        self.section_head.refresh_from_db()
        self.assertEqual(self.section_head.position, self.other_section_post)

    def test_an_official_one_level_higher_may_act(self) -> None:
        self.assertEqual(self.assign(self.section, self.division_head).employee, self.division_head)
        self.assertEqual(self.assign(self.secretary, self.head, PLH).kind, PLH)

    def test_two_levels_higher_or_a_lower_level_is_refused_naming_the_rule(self) -> None:
        for vacancy, employee in (
            (self.section, self.head),  # JPT Pratama for a Pengawas post
            (self.secretary, self.section_head),  # Pengawas for an Administrator post
            (self.school_head, self.division_head),  # Administrator for a JPT Pratama post
        ):
            with self.subTest(post=vacancy.position.name, official=employee.name):
                with self.assertRaisesMessage(ValidationError, "setingkat atau satu tingkat lebih tinggi"):
                    self.assign(vacancy, employee)
                with self.assertRaisesMessage(ValidationError, "SE Kepala BKN Nomor 1/SE/I/2021"):
                    self.assign(vacancy, employee)
        self.assertFalse(ActingAssignment.objects.exists())

    def test_only_an_active_official_with_a_definitive_structural_post(self) -> None:
        plain = Employee.objects.get(user=self.clerk)  # pelaksana, no structural post
        with self.assertRaisesMessage(ValidationError, "tidak memegang jabatan struktural definitif"):
            self.assign(self.section, plain)
        functional = make_employee(
            self.health,
            "Dokter Ahli Madya",
            position=Position.objects.create(opd=self.health, name="Dokter Ahli Madya", level="fungsional"),
        )
        with self.assertRaisesMessage(ValidationError, "tidak memegang jabatan struktural definitif"):
            self.assign(self.section, functional)
        for status, label in (("cuti", "Cuti"), ("pensiun", "Pensiun"), ("diberhentikan_sementara", "sementara")):
            Employee.objects.filter(pk=self.section_head.pk).update(status=status)
            with self.subTest(status=status), self.assertRaisesMessage(ValidationError, label):
                self.assign(self.section, self.section_head)
        self.assertFalse(ActingAssignment.objects.exists())

    def test_an_official_cannot_act_in_their_own_post(self) -> None:
        own = Vacancy.objects.create(position=self.other_section_post, since=dt.date(2024, 9, 1), reason="lainnya")
        with self.assertRaisesMessage(ValidationError, "jabatannya sendiri"):
            self.assign(own, self.section_head)

    def test_the_term_is_at_most_three_months_by_default(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            self.assign(self.section, self.section_head, ends_on=dt.date(2025, 1, 1))
        message = refused.exception.messages[0]
        self.assertIn("paling lama 3 bulan", message)
        self.assertIn("31 Desember 2024", message)
        self.assertIn("SE Kepala BKN Nomor 1/SE/I/2021", message)
        # A Plh is no longer than a Plt.
        with self.assertRaisesMessage(ValidationError, "paling lama 3 bulan"):
            self.assign(self.section, self.section_head, PLH, ends_on=dt.date(2025, 1, 1))
        self.assertFalse(ActingAssignment.objects.exists())
        # Month ends are kept: 30 November + 3 months ends on 27 February.
        late = self.assign(
            self.section, self.section_head, starts_on=dt.date(2024, 11, 30), ends_on=dt.date(2025, 2, 27)
        )
        self.assertEqual(late.ends_on, dt.date(2025, 2, 27))

    @override_settings(PAMONG_PLT_MAX_MONTHS=1)
    def test_the_term_is_configuration(self) -> None:
        with self.assertRaisesMessage(
            ValidationError, "paling lama 1 bulan, jadi paling lambat berakhir 31 Oktober 2024"
        ):
            self.assign(self.section, self.section_head, ends_on=dt.date(2024, 11, 1))
        self.assertEqual(self.assign(self.section, self.section_head, ends_on=dt.date(2024, 10, 31)).ends_on.month, 10)

    def test_dates_must_make_sense(self) -> None:
        with self.assertRaisesMessage(ValidationError, "tidak boleh sebelum tanggal mulai"):
            self.assign(self.section, self.section_head, ends_on=dt.date(2024, 9, 30))
        with self.assertRaisesMessage(ValidationError, "baru lowong sejak 1 September 2024"):
            self.assign(self.section, self.section_head, starts_on=dt.date(2024, 8, 31), ends_on=dt.date(2024, 10, 31))
        self.assertFalse(ActingAssignment.objects.exists())

    def test_the_database_refuses_an_end_before_the_start(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            ActingAssignment.objects.create(
                vacancy=self.section, employee=self.section_head, kind=PLT, starts_on=OCT_1, ends_on=dt.date(2024, 9, 1)
            )

    def test_an_unknown_kind_a_filled_post_or_a_non_structural_post_is_refused(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Pilih Plt atau Plh"):
            self.assign(self.section, self.section_head, "pj")
        staff_post = Position.objects.create(opd=self.health, name="Pengadministrasi", level="pelaksana")
        staff = Vacancy.objects.create(position=staff_post, since=dt.date(2024, 9, 1), reason="pensiun")
        with self.assertRaisesMessage(ValidationError, "hanya ditugaskan pada jabatan struktural"):
            self.assign(staff, self.section_head)
        Vacancy.objects.filter(pk=self.section.pk).update(filled_on=dt.date(2024, 9, 20))
        with self.assertRaisesMessage(ValidationError, "sudah terisi definitif"):
            self.assign(self.section, self.section_head)
        self.assertFalse(ActingAssignment.objects.exists())

    def test_one_acting_official_at_a_time_per_post(self) -> None:
        self.assign(self.section, self.section_head)
        with self.assertRaisesMessage(ValidationError, "sudah dijabat Pelaksana Tugas (Plt) Kepala Seksi"):
            self.assign(self.section, self.division_head, starts_on=dt.date(2024, 12, 31), ends_on=dt.date(2025, 1, 31))
        following = self.assign(
            self.section, self.division_head, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 3, 31)
        )
        self.assertEqual(following.employee, self.division_head)
        self.assertEqual(ActingAssignment.objects.count(), 2)

    def test_only_bkpsdm_assigns(self) -> None:
        for user in (self.sekda, self.mayor, self.health_head, self.health_operator, self.inspector, self.clerk):
            with (
                self.subTest(user=user.full_name),
                self.assertRaisesMessage(PermissionDenied, "ditetapkan oleh BKPSDM"),
            ):
                self.assign(self.section, self.section_head, by=user)
        self.assertFalse(ActingAssignment.objects.exists())


class ExtendTests(ActingCase):
    def test_a_term_is_extended_once_by_at_most_three_months(self) -> None:
        assignment = self.assign(self.section, self.section_head)
        with self.assertRaisesMessage(ValidationError, "paling lambat berakhir 31 Maret 2025"):
            acting.extend_acting(assignment, dt.date(2025, 4, 1), by=self.bkpsdm, today=dt.date(2024, 12, 20))
        extended = acting.extend_acting(assignment, dt.date(2025, 3, 31), by=self.bkpsdm, today=dt.date(2024, 12, 20))
        self.assertEqual((extended.ends_on, extended.extended), (dt.date(2025, 3, 31), True))
        with self.assertRaisesMessage(ValidationError, "perpanjangan hanya satu kali"):
            acting.extend_acting(assignment, dt.date(2025, 4, 30), by=self.bkpsdm, today=dt.date(2025, 3, 1))
        assignment.refresh_from_db()
        self.assertEqual(assignment.ends_on, dt.date(2025, 3, 31))

    @override_settings(PAMONG_PLT_EXTENSION_MONTHS=1)
    def test_the_extension_is_configuration(self) -> None:
        assignment = self.assign(self.section, self.section_head)
        with self.assertRaisesMessage(
            ValidationError, "paling lama 1 bulan, jadi paling lambat berakhir 31 Januari 2025"
        ):
            acting.extend_acting(assignment, dt.date(2025, 2, 1), by=self.bkpsdm, today=dt.date(2024, 12, 20))
        self.assertEqual(
            acting.extend_acting(assignment, dt.date(2025, 1, 31), by=self.bkpsdm, today=dt.date(2024, 12, 20)).ends_on,
            dt.date(2025, 1, 31),
        )

    def test_no_extension_after_the_end_to_an_earlier_date_or_of_a_filled_post(self) -> None:
        assignment = self.assign(self.section, self.section_head)
        with self.assertRaisesMessage(ValidationError, "sudah berakhir 31 Desember 2024"):
            acting.extend_acting(assignment, dt.date(2025, 3, 31), by=self.bkpsdm, today=dt.date(2025, 1, 1))
        with self.assertRaisesMessage(ValidationError, "harus berakhir sesudah 31 Desember 2024"):
            acting.extend_acting(assignment, DEC_31, by=self.bkpsdm, today=dt.date(2024, 12, 1))
        Vacancy.objects.filter(pk=self.section.pk).update(filled_on=dt.date(2024, 12, 2))
        with self.assertRaisesMessage(ValidationError, "sudah terisi definitif"):
            acting.extend_acting(assignment, dt.date(2025, 1, 31), by=self.bkpsdm, today=dt.date(2024, 12, 5))
        assignment.refresh_from_db()
        self.assertEqual((assignment.ends_on, assignment.extended), (DEC_31, False))

    def test_an_official_who_no_longer_qualifies_is_not_extended(self) -> None:
        assignment = self.assign(self.section, self.section_head)
        Employee.objects.filter(pk=self.section_head.pk).update(status="pensiun")
        with self.assertRaisesMessage(ValidationError, "Pensiun"):
            acting.extend_acting(assignment, dt.date(2025, 1, 31), by=self.bkpsdm, today=dt.date(2024, 12, 5))

    def test_only_bkpsdm_extends(self) -> None:
        assignment = self.assign(self.section, self.section_head)
        for user in (self.sekda, self.mayor, self.health_head):
            with self.assertRaises(PermissionDenied):
                acting.extend_acting(assignment, dt.date(2025, 1, 31), by=user, today=dt.date(2024, 12, 5))
        assignment.refresh_from_db()
        self.assertFalse(assignment.extended)


class PowersTests(ActingCase):
    def test_an_acting_official_may_not_appoint_transfer_dismiss_or_decide_strategically(self) -> None:
        self.assign(self.section, self.division_head)
        for action, words in (
            ("appoint", "mengangkat pegawai"),
            ("transfer", "memindahkan (memutasi) pegawai"),
            ("dismiss", "memberhentikan pegawai"),
            ("strategic", "mengambil keputusan atau tindakan strategis"),
        ):
            for who in (self.division_head_user, self.division_head):
                with self.subTest(action=action, who=type(who).__name__):
                    with self.assertRaises(PermissionDenied) as refused:
                        acting.acting_powers_refused(who, action, on=dt.date(2024, 11, 1))
                    message = str(refused.exception)
                    self.assertIn("Kepala Bidang adalah Pelaksana Tugas (Plt) Kepala Seksi Rujukan", message)
                    self.assertIn("sampai 31 Desember 2024", message)
                    self.assertIn(f"tidak berwenang {words}", message)
                    self.assertIn("SE Kepala BKN Nomor 1/SE/I/2021", message)

    def test_daily_tasks_and_light_discipline_stay_with_the_acting_official(self) -> None:
        self.assign(self.section, self.division_head)
        for action in (
            "daily_tasks",
            "skp",
            "kgb",
            "leave",
            "assignment_letter",
            "light_discipline",
            "propose_mutation",
        ):
            acting.acting_powers_refused(self.division_head, action, on=dt.date(2024, 11, 1))

    def test_outside_the_term_or_without_an_assignment_nothing_is_refused(self) -> None:
        self.assign(self.section, self.division_head)
        for day in (dt.date(2024, 9, 30), dt.date(2025, 1, 1)):
            acting.acting_powers_refused(self.division_head, "appoint", on=day)
        acting.acting_powers_refused(self.section_head, "appoint", on=dt.date(2024, 11, 1))
        acting.acting_powers_refused(self.bkpsdm, "appoint", on=dt.date(2024, 11, 1))
        acting.acting_powers_refused(self.mayor, "appoint", on=dt.date(2024, 11, 1))  # no employee record
        acting.acting_powers_refused(None, "appoint", on=dt.date(2024, 11, 1))

    def test_with_a_post_only_acting_in_that_post_counts(self) -> None:
        self.assign(self.section, self.division_head)
        acting.acting_powers_refused(self.division_head, "dismiss", on=dt.date(2024, 11, 1), post=self.division_post)
        with self.assertRaises(PermissionDenied):
            acting.acting_powers_refused(self.division_head, "dismiss", on=dt.date(2024, 11, 1), post=self.section_post)

    def test_an_unknown_action_is_a_programming_error(self) -> None:
        with self.assertRaises(ValueError):
            acting.acting_powers_refused(self.division_head, "promote", on=dt.date(2024, 11, 1))


class CoverageTests(ActingCase):
    def test_the_report_counts_open_vacancies_covered_per_opd_and_level(self) -> None:
        extra_section = Vacancy.objects.create(
            position=Position.objects.create(opd=self.health, name="Kepala Seksi Gizi", level="pengawas", grade="IV.b"),
            since=dt.date(2024, 9, 1),
            reason="pensiun",
        )
        filled = Vacancy.objects.create(
            position=Position.objects.create(opd=self.health, name="Kepala Seksi Lama", level="pengawas", grade="IV.b"),
            since=dt.date(2024, 6, 1),
            reason="pensiun",
            filled_on=dt.date(2024, 10, 1),
        )
        self.assign(self.section, self.section_head)  # covered through 31 December
        self.assign(self.secretary, self.division_head, starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2024, 10, 31))
        ActingAssignment.objects.create(  # a past term on a post that is now filled: not counted
            vacancy=filled, employee=self.head, kind=PLT, starts_on=dt.date(2024, 6, 1), ends_on=dt.date(2024, 8, 31)
        )
        report = acting.coverage_report(on=dt.date(2024, 11, 15))
        rows = [(r.opd_name, r.level, r.open, r.covered, r.uncovered) for r in report.rows]
        self.assertEqual(
            rows,
            [
                ("Dinas Kesehatan", "administrator", 1, 0, 1),  # the secretary's Plt ended on 31 October
                ("Dinas Kesehatan", "pengawas", 2, 1, 1),
                ("Dinas Pendidikan", "jpt_pratama", 1, 0, 1),
            ],
        )
        self.assertEqual((report.open, report.covered), (4, 1))
        self.assertAlmostEqual(report.share, 0.25)
        self.assertEqual(report.rows[0].level_label, "Administrator (eselon III)")
        self.assertIn(extra_section.position.opd_id, {r.opd_id for r in report.rows})

        october = acting.coverage_report(on=dt.date(2024, 10, 15))
        self.assertEqual((october.open, october.covered), (4, 2))
        # Before the filled post was filled it was open, and on 1 August its Plt covered it.
        august = acting.coverage_report(on=dt.date(2024, 8, 1))
        self.assertEqual((august.open, august.covered), (2, 1))

    def test_an_empty_report(self) -> None:
        report = acting.coverage_report(on=dt.date(2024, 1, 1))
        self.assertEqual((report.rows, report.open, report.covered, report.share), ([], 0, 0, 0.0))
