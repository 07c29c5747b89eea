"""The demo city (seed_kupang) and the demo one-time codes (demo_otp)."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.test import TestCase, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from pamong.organisation.demo import CATALOGUE
from pamong.organisation.identity import parse_identity_number
from pamong.organisation.models import (
    OPD,
    OPD_SCOPED_ROLES,
    Employee,
    Kecamatan,
    Kelurahan,
    Position,
    Role,
    RoleGrant,
    Unit,
    User,
)
from pamong.organisation.ranks import pns_rank_order

SCALE = "0.02"
STRUCTURAL = list(Position.STRUCTURAL_LEVELS)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_kupang", "--scale", SCALE, *args, stdout=out)
    return out.getvalue()


def account_table(output: str) -> str:
    """The printed demo accounts, without the line that reports the elapsed time."""
    return output[output.index("Akun demo:") :]


def people() -> list[tuple[str, str, str, str, str]]:
    return list(
        Employee.objects.order_by("identity_number").values_list(
            "identity_number", "name", "front_title", "back_title", "opd__code"
        )
    )


class DemoCityTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.output = seed()

    def test_it_imports_the_six_kecamatan_and_51_kelurahan_from_the_data_folder(self) -> None:
        self.assertEqual(Kecamatan.objects.count(), 6)
        self.assertEqual(Kelurahan.objects.count(), 51)
        self.assertTrue(Kelurahan.objects.filter(code="53.71.01.1001", name="Namosain").exists())

    def test_every_kecamatan_and_kelurahan_has_its_office(self) -> None:
        for kecamatan in Kecamatan.objects.all():
            office = OPD.objects.get(kind=OPD.Kind.KECAMATAN, kecamatan=kecamatan)
            self.assertTrue(Position.objects.filter(opd=office, is_head_of_opd=True, grade="III.a").exists())
        for kelurahan in Kelurahan.objects.select_related("kecamatan"):
            office = OPD.objects.select_related("parent").get(kind=OPD.Kind.KELURAHAN, kelurahan=kelurahan)
            self.assertEqual(office.parent.kind, OPD.Kind.KECAMATAN)
            self.assertEqual(office.parent.kecamatan_id, kelurahan.kecamatan_id)
            lurah = Position.objects.get(opd=office, is_head_of_opd=True)
            self.assertEqual(lurah.grade, "IV.a")
            self.assertEqual(lurah.superior.opd_id, office.parent_id)

    def test_it_uses_the_real_agency_names_cleaned_and_adds_the_usual_others(self) -> None:
        names = set(OPD.objects.values_list("name", flat=True))
        self.assertIn("Badan Kepegawaian, Pendidikan dan Pelatihan Daerah Kota Kupang", names)
        self.assertIn("Dinas Tenaga Kerja dan Transmigrasi Kota Kupang", names)
        self.assertIn("Inspektorat Daerah Kota Kupang", names)
        self.assertIn("Dinas Pendidikan dan Kebudayaan Kota Kupang", names)
        self.assertIn("RSUD S.K. Lerik Kota Kupang", names)
        self.assertFalse([n for n in names if "(" in n or "source" in n])
        self.assertEqual(OPD.objects.get(code="inspektorat").kind, OPD.Kind.INSPEKTORAT)
        self.assertEqual(OPD.objects.get(code="satpolpp").kind, OPD.Kind.SATPOL_PP)
        self.assertEqual(OPD.objects.get(code="p2kb").abbreviation, "P2KB")
        self.assertEqual(OPD.objects.exclude(kind__in=["kecamatan", "kelurahan"]).count(), len(CATALOGUE))

    def test_every_agency_has_one_head_and_a_chain_of_command(self) -> None:
        self.assertFalse(
            OPD.objects.annotate(heads=Count("positions", filter=Q(positions__is_head_of_opd=True)))
            .exclude(heads=1)
            .exists()
        )
        sekda = Position.objects.get(opd__code="setda", is_head_of_opd=True)
        self.assertEqual((sekda.grade, sekda.superior), ("II.a", None))
        self.assertEqual(Position.objects.filter(opd__code="setda", level="jpt_pratama", superior=sekda).count(), 3)
        health_head = Position.objects.get(opd__code="dinkes", is_head_of_opd=True)
        self.assertEqual((health_head.level, health_head.grade, health_head.superior), ("jpt_pratama", "II.b", sekda))
        # Every structural post other than the Sekda and the Inspektur answers to someone.
        orphans = Position.objects.filter(level__in=STRUCTURAL, superior__isnull=True)
        self.assertEqual(set(orphans.values_list("opd__code", flat=True)), {"setda", "inspektorat"})
        self.assertTrue(Unit.objects.filter(opd__code="dinkes", kind=Unit.Kind.BIDANG).count() >= 3)

    def test_the_workforce_follows_the_scale(self) -> None:
        counts = dict(Employee.objects.values_list("kind").annotate(n=Count("id")))
        self.assertEqual(counts, {"pns": 86, "pppk": 14, "ptt": 48})

    def test_every_identity_number_parses_and_matches_the_record(self) -> None:
        numbers = set()
        for employee in Employee.objects.all():
            parsed = parse_identity_number(employee.identity_number)
            self.assertEqual(parsed.number, employee.identity_number)
            self.assertEqual(parsed.kind, employee.kind)
            self.assertEqual(parsed.start_date, employee.start_date)
            if parsed.kind != "ptt":
                self.assertEqual(parsed.birth_date, employee.birth_date)
                self.assertEqual(parsed.sex, employee.sex)
                self.assertTrue(1966 <= employee.birth_date.year <= 2001)
            numbers.add(employee.identity_number)
        self.assertEqual(len(numbers), Employee.objects.count())

    def test_ranks_fit_the_kind_and_the_post(self) -> None:
        self.assertFalse(Employee.objects.filter(kind="ptt").exclude(rank="").exists())
        self.assertEqual(
            set(Employee.objects.filter(kind="pppk").values_list("rank", flat=True)) - {"V", "VII", "IX", "X", "XI"},
            set(),
        )
        bounds = {
            "II.a": ("IV/c", "IV/d"),
            "II.b": ("IV/b", "IV/c"),
            "III.a": ("III/d", "IV/b"),
            "III.b": ("III/d", "IV/b"),
            "IV.a": ("III/b", "III/d"),
            "IV.b": ("III/b", "III/d"),
        }
        for rank, grade in Employee.objects.filter(position__level__in=STRUCTURAL).values_list(
            "rank", "position__grade"
        ):
            low, high = bounds[grade]
            self.assertTrue(pns_rank_order(low) <= pns_rank_order(rank) <= pns_rank_order(high), (rank, grade))

    def test_some_structural_posts_are_vacant_and_none_has_two_holders(self) -> None:
        active = Q(holders__status__in=list(Employee.ACTIVE_STATUSES))
        posts = Position.objects.filter(level__in=STRUCTURAL).annotate(n=Count("holders", filter=active))
        self.assertTrue(posts.filter(n=0).exists())
        self.assertFalse(posts.filter(n__gt=1).exists())
        self.assertFalse(Employee.objects.filter(position__level__in=STRUCTURAL).exclude(kind="pns").exists())
        self.assertGreaterEqual(posts.filter(level="jpt_pratama", n=0).count(), 4)

    def test_every_employee_has_an_account_named_by_identity_number(self) -> None:
        matching = User.objects.filter(employee__identity_number=F("username"))
        self.assertEqual(matching.count(), Employee.objects.count())
        employee = Employee.objects.select_related("user").first()
        self.assertEqual(employee.user.full_name, employee.full_name)
        self.assertTrue(employee.user.check_password(settings.PAMONG_DEMO_PASSWORD))

    def test_every_role_but_pegawai_has_a_demo_account(self) -> None:
        for role in Role:
            if role == Role.PEGAWAI:
                continue
            self.assertTrue(RoleGrant.objects.filter(role=role).exists(), role)
        self.assertFalse(RoleGrant.objects.filter(role__in=list(OPD_SCOPED_ROLES), opd__isnull=True).exists())
        health = OPD.objects.get(code="dinkes")
        head = Position.objects.get(opd=health, is_head_of_opd=True).holders.get()
        self.assertTrue(RoleGrant.objects.filter(user__employee=head, role=Role.KEPALA_OPD, opd=health).exists())
        operators = RoleGrant.objects.filter(role=Role.OPERATOR_OPD)
        self.assertEqual(set(operators.values_list("opd__code", flat=True)), {"dinkes", "dikbud"})
        for grant in operators.select_related("user__employee"):
            self.assertEqual(grant.user.employee.opd_id, grant.opd_id)

    def test_the_mayor_and_the_witnesses_have_no_employee_record(self) -> None:
        mayor = User.objects.get(role_grants__role=Role.WALI_KOTA)
        self.assertIsNone(mayor.employee_id)
        self.assertEqual(parse_identity_number(mayor.username).kind, "pns")
        witnesses = dict(RoleGrant.objects.filter(role=Role.SAKSI).values_list("user__username", "witness_body"))
        self.assertEqual(witnesses, {"saksi.kpu": "KPU Kota Kupang", "saksi.bawaslu": "Bawaslu Kota Kupang"})
        self.assertFalse(User.objects.filter(username__startswith="saksi.", employee__isnull=False).exists())
        sekda = User.objects.get(role_grants__role=Role.SEKDA)
        self.assertEqual(sekda.employee.position.opd.code, "setda")
        self.assertTrue(sekda.employee.position.is_head_of_opd)

    def test_the_two_factor_roles_have_a_confirmed_authenticator(self) -> None:
        for role in settings.PAMONG_TWO_FACTOR_ROLES:
            users = User.objects.filter(role_grants__role=role)
            self.assertTrue(users.exists(), role)
            for user in users:
                self.assertTrue(TOTPDevice.objects.filter(user=user, confirmed=True).exists(), role)

    def test_it_prints_the_demo_accounts_with_plain_usernames(self) -> None:
        table = account_table(self.output)
        for username in User.objects.filter(role_grants__role__in=[Role.SEKDA, Role.WALI_KOTA]).values_list(
            "username", flat=True
        ):
            self.assertRegex(username, r"^\d{18}$")
            self.assertIn(username, table)
        self.assertIn("saksi.kpu", table)
        self.assertIn("PTT-", table)
        self.assertIn(settings.PAMONG_DEMO_PASSWORD, table)
        self.assertIn("demo_otp", table)
        self.assertRegex(self.output, r"PNS 86, PPPK 14, PTT 48")

    def test_the_same_seed_builds_the_same_city(self) -> None:
        before = people()
        again = seed("--reset")
        self.assertEqual(people(), before)
        self.assertEqual(account_table(again), account_table(self.output))

    def test_another_seed_builds_other_people(self) -> None:
        before = people()
        seed("--reset", "--seed", "7")
        self.assertNotEqual(people(), before)
        self.assertEqual(Kelurahan.objects.count(), 51)

    def test_if_empty_leaves_an_existing_city_alone(self) -> None:
        before = people()
        output = seed("--if-empty")
        self.assertIn("sudah ada", output)
        self.assertEqual(people(), before)

    def test_it_refuses_to_build_over_existing_data_without_reset(self) -> None:
        with self.assertRaisesMessage(CommandError, "--reset"):
            seed()
        self.assertEqual(Employee.objects.count(), 148)

    def test_reset_keeps_superusers(self) -> None:
        admin = User.objects.create_superuser("admin.kota", "kata-sandi-panjang", full_name="Admin")
        seed("--reset")
        self.assertTrue(User.objects.filter(pk=admin.pk).exists())

    @override_settings(DEMO_MODE=False)
    def test_it_refuses_in_production(self) -> None:
        for args in ((), ("--reset",), ("--if-empty",)):
            with self.assertRaisesMessage(CommandError, "produksi"):
                seed(*args)
        self.assertEqual(Employee.objects.count(), 148)

    def test_demo_otp_prints_a_code_the_device_accepts(self) -> None:
        user = User.objects.get(role_grants__role=Role.SEKDA)
        out = StringIO()
        call_command("demo_otp", user.username, stdout=out)
        code = out.getvalue().strip()
        self.assertRegex(code, r"^\d{6}$")
        self.assertTrue(TOTPDevice.objects.get(user=user).verify_token(code))

    def test_demo_otp_accepts_a_spaced_identity_number(self) -> None:
        user = User.objects.get(role_grants__role=Role.BKAD)
        spaced = f"{user.username[:8]} {user.username[8:14]} {user.username[14]} {user.username[15:]}"
        out = StringIO()
        call_command("demo_otp", spaced, stdout=out)
        self.assertTrue(re.fullmatch(r"\d{6}", out.getvalue().strip()))

    def test_demo_otp_explains_when_the_user_has_no_authenticator(self) -> None:
        with self.assertRaisesMessage(CommandError, "tidak memiliki perangkat TOTP"):
            call_command("demo_otp", "saksi.kpu", stdout=StringIO())
        with self.assertRaisesMessage(CommandError, "tidak ditemukan"):
            call_command("demo_otp", "tidak.ada", stdout=StringIO())

    def test_a_visitor_signs_in_as_the_sekda_with_the_demo_password_and_a_demo_otp_code(self) -> None:
        user = User.objects.get(role_grants__role=Role.SEKDA)
        response = self.client.post(
            reverse("organisation:login"), {"username": user.username, "password": settings.PAMONG_DEMO_PASSWORD}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("organisation:otp_verify")))
        out = StringIO()
        call_command("demo_otp", user.username, stdout=out)
        response = self.client.post(reverse("organisation:otp_verify"), {"token": out.getvalue().strip()})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get(reverse("organisation:employee_list")).status_code, 200)

    def test_a_ptt_signs_in_with_the_printed_number_and_no_second_factor(self) -> None:
        ptt = Employee.objects.filter(kind="ptt").order_by("identity_number").first()
        response = self.client.post(
            reverse("organisation:login"),
            {"username": ptt.identity_number, "password": settings.PAMONG_DEMO_PASSWORD},
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(response["Location"].startswith(reverse("organisation:otp_verify")))

    @override_settings(DEMO_MODE=False)
    def test_demo_otp_refuses_in_production(self) -> None:
        user = User.objects.get(role_grants__role=Role.SEKDA)
        with self.assertRaisesMessage(CommandError, "mode demo"):
            call_command("demo_otp", user.username, stdout=StringIO())


class MissingDataFolderTests(TestCase):
    def test_it_warns_and_builds_the_agencies_without_areas(self) -> None:
        missing = Path(settings.BASE_DIR) / "var" / "tidak-ada-folder-ini"
        output = seed("--data-dir", str(missing))
        self.assertIn("tidak ditemukan; kecamatan dan kelurahan tidak dimuat", output)
        self.assertEqual(Kecamatan.objects.count(), 0)
        self.assertFalse(OPD.objects.filter(kind__in=["kecamatan", "kelurahan"]).exists())
        self.assertEqual(OPD.objects.count(), len(CATALOGUE))
        self.assertTrue(OPD.objects.filter(name="Inspektorat Daerah Kota Kupang").exists())
        self.assertTrue(RoleGrant.objects.filter(role=Role.KEPALA_OPD, opd__code="dinkes").exists())
