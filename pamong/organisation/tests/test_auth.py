"""Logging in with an identity number, the lockout, the second factor, logout and password change."""

from django.contrib.auth import SESSION_KEY
from django.test import TestCase, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pamong.core.testing import PASSWORD, CastMixin, make_employee, make_user
from pamong.organisation.identity import format_identity_number
from pamong.organisation.models import Role


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


class LoginTests(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()

    def login(self, username: str, password: str = PASSWORD, **extra):
        return self.client.post(reverse("organisation:login"), {"username": username, "password": password, **extra})

    def test_an_employee_logs_in_with_the_nip_written_with_spaces(self) -> None:
        typed = format_identity_number(self.clerk.username)
        self.assertIn(" ", typed)
        response = self.login(typed)
        self.assertRedirects(response, reverse("core:home"))
        self.assertEqual(int(self.client.session[SESSION_KEY]), self.clerk.pk)

    def test_a_ptt_logs_in_with_the_internal_number_in_lower_case(self) -> None:
        response = self.login(self.ptt.username.lower().replace("-", ""))
        self.assertRedirects(response, reverse("core:home"))

    def test_a_wrong_password_gets_one_plain_message_for_both_wrong_parts(self) -> None:
        response = self.login(self.clerk.username, "salah-sekali")
        self.assertContains(response, "Nomor identitas atau kata sandi salah.")
        response = self.login("199901012020011999", "salah-sekali")
        self.assertContains(response, "Nomor identitas atau kata sandi salah.")
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_five_failures_lock_the_account_even_for_the_right_password(self) -> None:
        for _ in range(5):
            self.login(self.clerk.username, "salah-sekali")
        response = self.login(self.clerk.username)
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Akun dikunci sementara", status_code=429)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_the_lockout_counts_the_account_however_the_number_is_typed(self) -> None:
        for typed in [self.clerk.username, format_identity_number(self.clerk.username)] * 3:
            self.login(typed, "salah-sekali")
        self.assertEqual(self.login(self.clerk.username).status_code, 429)

    def test_a_lockout_of_one_account_does_not_lock_a_colleague_behind_the_same_address(self) -> None:
        for _ in range(6):
            self.login(self.clerk.username, "salah-sekali")
        self.assertRedirects(self.login(self.health_operator.username), reverse("core:home"))

    def test_logout_needs_a_post(self) -> None:
        self.login(self.clerk.username)
        self.assertEqual(self.client.get(reverse("organisation:logout")).status_code, 405)
        self.client.post(reverse("organisation:logout"))
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_a_password_change_keeps_the_session_and_the_new_password_works(self) -> None:
        self.login(self.clerk.username)
        response = self.client.post(
            reverse("organisation:password_change"),
            {"old_password": PASSWORD, "new_password1": "Sasando-Kupang-77", "new_password2": "Sasando-Kupang-77"},
        )
        self.assertRedirects(response, reverse("core:home"))
        self.assertEqual(self.client.get(reverse("organisation:employee_list")).status_code, 200)
        self.clerk.refresh_from_db()
        self.assertTrue(self.clerk.check_password("Sasando-Kupang-77"))
        self.assertTrue(self.clerk.password.startswith("argon2"))

    def test_a_weak_new_password_is_refused_in_indonesian(self) -> None:
        self.login(self.clerk.username)
        response = self.client.post(
            reverse("organisation:password_change"),
            {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "terlalu")  # Django's own Indonesian: "Kata sandi terlalu pendek/umum"
        self.clerk.refresh_from_db()
        self.assertTrue(self.clerk.check_password(PASSWORD))


class TwoFactorTests(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        cls.new_sekda = make_user(make_employee(cls.setda, "Sekda Baru"), roles=((Role.SEKDA, None),))

    def password_login(self, user):
        return self.client.post(reverse("organisation:login"), {"username": user.username, "password": PASSWORD})

    def test_the_mayor_is_asked_for_a_code_and_reaches_nothing_before_it(self) -> None:
        response = self.password_login(self.mayor)
        self.assertRedirects(response, reverse("organisation:otp_verify") + "?next=/", fetch_redirect_response=False)
        blocked = self.client.get(reverse("organisation:employee_list"))
        self.assertEqual(blocked.status_code, 302)
        self.assertTrue(blocked["Location"].startswith(reverse("organisation:otp_verify")))
        self.assertEqual(self.client.get("/api/v1/employees").status_code, 401)

    def test_a_right_code_opens_the_way_and_a_wrong_one_does_not(self) -> None:
        self.password_login(self.mayor)
        device = TOTPDevice.objects.get(user=self.mayor)
        wrong = self.client.post(
            reverse("organisation:otp_verify"), {"token": "000000" if current_code(device) != "000000" else "111111"}
        )
        self.assertContains(wrong, "Kode salah")
        device.refresh_from_db()
        device.throttling_failure_count = 0
        device.throttling_failure_timestamp = None
        device.save()
        ok = self.client.post(
            reverse("organisation:otp_verify") + "?next=/organisasi/pegawai/", {"token": current_code(device)}
        )
        self.assertRedirects(ok, reverse("organisation:employee_list"))
        self.assertEqual(self.client.get(reverse("organisation:employee_list")).status_code, 200)

    def test_a_new_sekda_without_a_device_enrols_first(self) -> None:
        response = self.password_login(self.new_sekda)
        self.assertTrue(response["Location"].startswith(reverse("organisation:otp_enrol")))
        page = self.client.get(reverse("organisation:otp_enrol"))
        self.assertContains(page, "<svg")
        device = TOTPDevice.objects.get(user=self.new_sekda, confirmed=False)
        done = self.client.post(reverse("organisation:otp_enrol"), {"token": current_code(device)})
        self.assertRedirects(done, reverse("core:home"))
        device.refresh_from_db()
        self.assertTrue(device.confirmed)

    def test_the_page_asked_for_survives_the_second_factor_whole(self) -> None:
        wanted = "/organisasi/pegawai/?q=ani&kind=pns"
        response = self.client.post(
            reverse("organisation:login") + "?next=" + wanted.replace("?", "%3F").replace("&", "%26"),
            {"username": self.mayor.username, "password": PASSWORD, "next": wanted},
        )
        device = TOTPDevice.objects.get(user=self.mayor)
        verify = self.client.post(response["Location"], {"token": current_code(device)})
        self.assertRedirects(verify, wanted, fetch_redirect_response=False)

    def test_an_operator_needs_no_second_factor(self) -> None:
        self.assertRedirects(self.password_login(self.health_operator), reverse("core:home"))

    @override_settings(PAMONG_TWO_FACTOR_ROLES=["wali_kota"])
    def test_which_roles_need_the_second_factor_is_configuration(self) -> None:
        self.assertRedirects(self.password_login(self.new_sekda), reverse("core:home"))

    def test_the_admin_has_no_password_only_door(self) -> None:
        response = self.client.get("/admin/login/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("organisation:login")))
