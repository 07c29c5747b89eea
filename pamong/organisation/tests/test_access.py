"""Who may see and change people records: every role, the ones that may and the ones that get 404."""

from django.test import TestCase
from django.urls import reverse

from pamong.core.testing import CastMixin
from pamong.organisation.models import Employee


class EmployeeListAccessTests(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()

    def names_seen_by(self, user) -> set[str]:
        response = self.client_for(user).get(reverse("organisation:employee_list"), {"q": ""})
        self.assertEqual(response.status_code, 200)
        return {e.name for e in response.context["page"].object_list}

    def test_anonymous_visitor_is_sent_to_login(self) -> None:
        response = self.client_for(None).get(reverse("organisation:employee_list"))
        self.assertRedirects(
            response, reverse("organisation:login") + "?next=/organisasi/pegawai/", fetch_redirect_response=False
        )

    def test_citywide_roles_see_every_opd(self) -> None:
        for user in (self.mayor, self.sekda, self.inspector, self.bkpsdm):
            with self.subTest(user=user.full_name):
                self.assertIn("Guru Dindik", self.names_seen_by(user))
                self.assertIn("Pelaksana Dinkes", self.names_seen_by(user))

    def test_opd_head_and_operator_see_only_their_own_opd(self) -> None:
        for user in (self.health_head, self.health_operator):
            with self.subTest(user=user.full_name):
                seen = self.names_seen_by(user)
                self.assertIn("Pelaksana Dinkes", seen)
                self.assertNotIn("Guru Dindik", seen)
        self.assertEqual(self.names_seen_by(self.school_operator), {"Operator Dindik", "Guru Dindik"})

    def test_a_plain_employee_sees_only_themself(self) -> None:
        self.assertEqual(self.names_seen_by(self.clerk), {"Pelaksana Dinkes"})
        self.assertEqual(self.names_seen_by(self.ptt), {"Tenaga Kontrak"})

    def test_finance_and_planning_roles_see_only_themselves(self) -> None:
        self.assertEqual(self.names_seen_by(self.bkad), {"Analis Keuangan"})
        self.assertEqual(self.names_seen_by(self.bappeda), {"Perencana"})

    def test_a_witness_sees_no_employees(self) -> None:
        self.assertEqual(self.names_seen_by(self.witness), set())

    def test_the_opd_filter_is_offered_only_to_those_who_see_several_opds(self) -> None:
        url = reverse("organisation:employee_list")
        self.assertContains(self.client_for(self.bkpsdm).get(url), 'name="opd"')
        self.assertNotContains(self.client_for(self.health_operator).get(url), 'name="opd"')

    def test_the_list_runs_the_same_number_of_queries_for_few_and_many_rows(self) -> None:
        client = self.client_for(self.bkpsdm)
        url = reverse("organisation:employee_list")
        client.get(url)  # warm the session
        with self.assertNumQueries(9) as few:  # 8, and the unread-notification badge in the menu
            client.get(url, {"q": "Kepala"})
        for i in range(40):
            Employee.objects.create(
                kind="ptt",
                identity_number=f"PTT-2020-{i + 1:05d}",
                name=f"Kepala Regu {i}",
                sex="L",
                start_date="2020-01-01",
                opd=self.health,
            )
        with self.assertNumQueries(len(few.captured_queries)):
            response = client.get(url, {"q": "Kepala"})
        self.assertGreater(len(response.context["page"].object_list), 40)


class EmployeeDetailAccessTests(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()

    def status_for(self, user, employee: Employee, name: str = "organisation:employee_detail") -> int:
        return self.client_for(user).get(reverse(name, args=[employee.pk])).status_code

    def test_other_opd_operator_gets_404_for_a_health_employee(self) -> None:
        self.assertEqual(self.status_for(self.school_operator, self.clerk.employee), 404)

    def test_a_missing_employee_and_a_forbidden_one_look_the_same(self) -> None:
        missing = self.client_for(self.school_operator).get(reverse("organisation:employee_detail", args=[999999]))
        self.assertEqual(missing.status_code, 404)
        self.assertEqual(self.status_for(self.school_operator, self.clerk.employee), 404)

    def test_who_may_open_a_health_employee(self) -> None:
        expected = {
            "mayor": 200,
            "sekda": 200,
            "inspector": 200,
            "bkpsdm": 200,
            "health_head": 200,
            "health_operator": 200,
            "clerk": 200,
            "school_operator": 404,
            "ptt": 404,
            "bkad": 404,
            "bappeda": 404,
            "witness": 404,
        }
        for attr, status in expected.items():
            with self.subTest(role=attr):
                self.assertEqual(self.status_for(getattr(self, attr), self.clerk.employee), status)

    def test_who_may_open_the_edit_form(self) -> None:
        expected = {
            "bkpsdm": 200,
            "health_head": 200,
            "health_operator": 200,
            "mayor": 404,
            "sekda": 404,
            "inspector": 404,
            "clerk": 404,
            "school_operator": 404,
            "witness": 404,
        }
        for attr, status in expected.items():
            with self.subTest(role=attr):
                self.assertEqual(
                    self.status_for(getattr(self, attr), self.clerk.employee, "organisation:employee_edit"), status
                )

    def test_who_may_open_the_create_form(self) -> None:
        expected = {
            "bkpsdm": 200,
            "health_operator": 200,
            "school_operator": 200,
            "mayor": 404,
            "clerk": 404,
            "witness": 404,
        }
        for attr, status in expected.items():
            with self.subTest(role=attr):
                response = self.client_for(getattr(self, attr)).get(reverse("organisation:employee_create"))
                self.assertEqual(response.status_code, status)

    def test_anonymous_visitor_cannot_post_an_edit(self) -> None:
        url = reverse("organisation:employee_edit", args=[self.clerk.employee.pk])
        response = self.client_for(None).post(url, {"name": "Diubah"})
        self.assertEqual(response.status_code, 302)
        self.clerk.employee.refresh_from_db()
        self.assertEqual(self.clerk.employee.name, "Pelaksana Dinkes")

    def test_the_opd_list_and_regions_are_public(self) -> None:
        for name in ("organisation:opd_list", "organisation:region_list"):
            with self.subTest(page=name):
                self.assertEqual(self.client_for(None).get(reverse(name)).status_code, 200)


class AnonymousVisitorTests(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()

    def test_every_staff_page_sends_an_anonymous_visitor_to_login(self) -> None:
        pk = self.clerk.employee.pk
        for url in (
            reverse("organisation:employee_list"),
            reverse("organisation:employee_create"),
            reverse("organisation:employee_detail", args=[pk]),
            reverse("organisation:employee_edit", args=[pk]),
            reverse("organisation:password_change"),
            reverse("organisation:otp_verify"),
            reverse("organisation:otp_enrol"),
        ):
            with self.subTest(url=url):
                response = self.client_for(None).get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("organisation:login")))
