"""Registering and changing employees: the rules, the Indonesian messages, and nothing half-saved."""

import datetime as dt
from io import StringIO

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from pamong.core.testing import CastMixin, make_nip
from pamong.organisation import services
from pamong.organisation.identity import Sex
from pamong.organisation.models import Employee


class EmployeeFormTests(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()

    def post_new(self, user, **overrides):
        data = {
            "identity_number": "19900115 201501 2 007",
            "name": "Maria Ndun",
            "status": "aktif",
            "opd": self.health.pk,
            "rank": "III/a",
            "education": "s1",
            "phone": "+62 812 3456 7890",
        }
        data.update(overrides)
        return self.client_for(user).post(reverse("organisation:employee_create"), data)

    def test_an_operator_registers_a_pns_and_the_number_decides_birth_date_and_sex(self) -> None:
        response = self.post_new(self.health_operator)
        employee = Employee.objects.get(identity_number="199001152015012007")
        self.assertRedirects(response, reverse("organisation:employee_detail", args=[employee.pk]))
        self.assertEqual((employee.kind, employee.sex, employee.birth_date), ("pns", "P", dt.date(1990, 1, 15)))
        self.assertEqual(employee.start_date, dt.date(2015, 1, 1))

    def test_an_invalid_number_is_explained_in_indonesian_and_nothing_is_saved(self) -> None:
        response = self.post_new(self.health_operator, identity_number="19900115 201501 7 007")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Digit 15 harus jenis kelamin")
        self.assertFalse(Employee.objects.filter(name="Maria Ndun").exists())

    def test_a_duplicate_employee_is_refused_with_advice(self) -> None:
        existing = self.clerk.employee.identity_number
        response = self.post_new(self.health_operator, identity_number=existing)
        self.assertContains(response, "sudah terdaftar")
        self.assertEqual(Employee.objects.filter(identity_number=existing).count(), 1)

    def test_an_operator_cannot_register_into_another_opd(self) -> None:
        response = self.post_new(self.school_operator, opd=self.health.pk)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["opd"])
        self.assertFalse(Employee.objects.filter(name="Maria Ndun").exists())

    def test_a_ptt_must_give_sex_and_has_no_rank(self) -> None:
        response = self.post_new(self.health_operator, identity_number="PTT-2021-00077", rank="", sex="")
        self.assertContains(response, "jenis kelamin wajib diisi")
        response = self.post_new(self.health_operator, identity_number="PTT-2021-00077", rank="III/a", sex="L")
        self.assertContains(response, "PTT tidak memiliki golongan")
        self.assertFalse(Employee.objects.filter(identity_number="PTT-2021-00077").exists())

    def test_an_opd_head_editing_another_opds_employee_gets_404_and_nothing_changes(self) -> None:
        teacher = self.teacher
        url = reverse("organisation:employee_edit", args=[teacher.pk])
        response = self.client_for(self.health_head).post(
            url, {"name": "Diubah", "opd": self.health.pk, "status": "aktif"}
        )
        self.assertEqual(response.status_code, 404)
        teacher.refresh_from_db()
        self.assertEqual((teacher.name, teacher.opd_id), ("Guru Dindik", self.schools.pk))

    def test_an_operator_cannot_move_an_employee_out_to_an_opd_they_do_not_run(self) -> None:
        employee = self.clerk.employee
        url = reverse("organisation:employee_edit", args=[employee.pk])
        response = self.client_for(self.health_operator).post(
            url, {"name": employee.name, "opd": self.schools.pk, "status": "aktif", "rank": "III/b"}
        )
        self.assertEqual(response.status_code, 200)
        employee.refresh_from_db()
        self.assertEqual(employee.opd_id, self.health.pk)

    def test_bkpsdm_edits_and_the_audit_trail_keeps_who_and_what(self) -> None:
        employee = self.clerk.employee
        url = reverse("organisation:employee_edit", args=[employee.pk])
        response = self.client_for(self.bkpsdm).post(
            url, {"name": "Pelaksana Dinkes", "opd": self.health.pk, "status": "cuti", "rank": "III/c"}
        )
        self.assertRedirects(response, reverse("organisation:employee_detail", args=[employee.pk]))
        entry = LogEntry.objects.get_for_object(employee).latest("timestamp")
        self.assertEqual(entry.actor, self.bkpsdm)
        self.assertEqual(entry.changes_dict["status"], ["aktif", "cuti"])
        self.assertEqual(entry.changes_dict["rank"], ["III/b", "III/c"])


class EmployeeServiceTests(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()

    def test_a_structural_post_cannot_have_two_active_holders(self) -> None:
        with self.assertRaises(ValidationError) as error:
            services.create_employee(
                identity_number=make_nip(sex=Sex.FEMALE),
                by=self.bkpsdm,
                name="Calon Kadis",
                opd=self.health,
                position=self.health_head_post,
                rank="IV/a",
                status="aktif",
            )
        self.assertIn("sudah dijabat oleh Kepala Dinkes", error.exception.message_dict["position"][0])
        self.assertFalse(Employee.objects.filter(name="Calon Kadis").exists())

    def test_a_post_of_another_opd_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as error:
            services.update_employee(self.teacher, by=self.bkpsdm, position=self.health_secretary_post)
        self.assertIn("bukan jabatan di OPD", error.exception.message_dict["position"][0])
        self.teacher.refresh_from_db()
        self.assertIsNone(self.teacher.position_id)

    def test_a_ptt_cannot_hold_a_structural_post(self) -> None:
        with self.assertRaises(ValidationError):
            services.update_employee(self.ptt.employee, by=self.bkpsdm, position=self.health_secretary_post)

    def test_a_pns_rank_must_be_a_real_golongan(self) -> None:
        with self.assertRaises(ValidationError) as error:
            services.update_employee(self.clerk.employee, by=self.bkpsdm, rank="III/f")
        self.assertIn("I/a sampai IV/e", error.exception.message_dict["rank"][0])

    def test_the_database_refuses_a_grade_that_does_not_belong_to_the_level(self) -> None:
        from django.db import IntegrityError, transaction

        from pamong.organisation.models import Position

        with self.assertRaises(IntegrityError), transaction.atomic():
            Position.objects.create(opd=self.health, name="Salah", level="pengawas", grade="II.a")


class GrantRoleTests(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()

    def test_a_grant_is_recorded_in_the_ledger_and_given_once(self) -> None:
        from django.core.management import call_command

        from pamong.core.models import LedgerEntry

        call_command("grant_role", self.clerk.username, "operator_opd", "--opd", "dinkes", stdout=StringIO())
        call_command("grant_role", self.clerk.username, "operator_opd", "--opd", "dinkes", stdout=StringIO())
        grant = self.clerk.role_grants.get(role="operator_opd")
        entries = LedgerEntry.objects.filter(kind="organisation.role_granted", subject_id=str(grant.pk))
        self.assertEqual(entries.count(), 1)
        self.assertEqual(entries.get().payload["role"], "operator_opd")

    def test_an_opd_role_without_an_opd_is_refused(self) -> None:
        from django.core.management import CommandError, call_command

        with self.assertRaisesMessage(CommandError, "sebutkan --opd"):
            call_command("grant_role", self.clerk.username, "kepala_opd", stdout=StringIO())
