"""The JSON API: token login, scoped and paginated lists, Indonesian errors, the OpenAPI document."""

from django.test import TestCase

from pamong.core.testing import PASSWORD, CastMixin
from pamong.organisation.models import ApiToken, Kecamatan, Kelurahan
from pamong.organisation.tests.test_auth import current_code


class ApiTests(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        kec = Kecamatan.objects.create(pemda=cls.pemda, code="53.71.01", name="Alak")
        Kelurahan.objects.create(kecamatan=kec, code="53.71.01.1001", name="Namosain")

    def token_for(self, user, **extra) -> str:
        response = self.client.post(
            "/api/v1/auth/token",
            {"identity_number": user.username, "password": PASSWORD, **extra},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()["token"]

    def get(self, url: str, token: str | None = None, **params):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.get(url, params, headers=headers)

    def test_a_token_is_issued_once_and_only_its_hash_is_stored(self) -> None:
        token = self.token_for(self.health_operator)
        self.assertFalse(ApiToken.objects.filter(key_hash=token).exists())
        self.assertEqual(ApiToken.objects.filter(user=self.health_operator).count(), 1)

    def test_a_wrong_password_gets_401_in_indonesian(self) -> None:
        response = self.client.post(
            "/api/v1/auth/token",
            {"identity_number": self.clerk.username, "password": "x"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["detail"], "Nomor identitas atau kata sandi salah.")

    def test_two_factor_roles_must_send_the_code_for_a_token(self) -> None:
        response = self.client.post(
            "/api/v1/auth/token",
            {"identity_number": self.bkpsdm.username, "password": PASSWORD},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 401)
        self.assertIn("otp_token", response.json()["detail"])
        device = self.bkpsdm.totpdevice_set.get()
        self.assertTrue(self.token_for(self.bkpsdm, otp_token=current_code(device)))

    def test_repeated_failures_lock_the_token_endpoint_too(self) -> None:
        for _ in range(5):
            self.client.post(
                "/api/v1/auth/token",
                {"identity_number": self.clerk.username, "password": "x"},
                content_type="application/json",
            )
        response = self.client.post(
            "/api/v1/auth/token",
            {"identity_number": self.clerk.username, "password": PASSWORD},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 429)

    def test_the_employee_list_is_scoped_like_the_pages(self) -> None:
        operator = self.get("/api/v1/employees", self.token_for(self.school_operator)).json()
        self.assertEqual({row["name"] for row in operator["items"]}, {"Operator Dindik", "Guru Dindik"})
        everyone = self.get(
            "/api/v1/employees", self.token_for(self.sekda, otp_token=current_code(self.sekda.totpdevice_set.get()))
        ).json()
        self.assertEqual(everyone["count"], 11)

    def test_the_employee_list_pages_and_filters(self) -> None:
        token = self.token_for(self.health_operator)
        first = self.get("/api/v1/employees", token, page_size=2).json()
        self.assertEqual((first["count"], len(first["items"])), (4, 2))
        ptt = self.get("/api/v1/employees", token, kind="ptt").json()
        self.assertEqual([row["kind"] for row in ptt["items"]], ["ptt"])

    def test_without_a_token_the_employee_list_is_401(self) -> None:
        response = self.get("/api/v1/employees")
        self.assertEqual(response.status_code, 401)
        self.assertIn("Bearer", response.json()["detail"])
        self.assertEqual(self.get("/api/v1/employees", "not-a-token").status_code, 401)

    def test_a_malformed_request_gets_422_naming_the_field(self) -> None:
        token = self.token_for(self.health_operator)
        response = self.get("/api/v1/employees", token, kind="honorer", page=0)
        self.assertEqual(response.status_code, 422)
        body = response.json()
        self.assertIn("Permintaan tidak sah", body["detail"])
        self.assertEqual({e["field"] for e in body["errors"]} >= {"kind"}, True)
        broken = self.client.post("/api/v1/auth/token", "{not json", content_type="application/json")
        self.assertEqual(broken.status_code, 400)
        self.assertEqual(broken.json()["detail"], "Isi permintaan bukan JSON yang sah.")

    def test_kelurahan_and_opd_are_public(self) -> None:
        self.assertEqual(
            self.get("/api/v1/kelurahan").json(),
            [{"code": "53.71.01.1001", "name": "Namosain", "kecamatan_code": "53.71.01", "kecamatan": "Alak"}],
        )
        self.assertIn("Dinas Kesehatan", {row["name"] for row in self.get("/api/v1/opd").json()})

    def test_anonymous_calls_are_rate_limited(self) -> None:
        statuses = [self.get("/api/v1/kelurahan").status_code for _ in range(61)]
        self.assertEqual(statuses[:60], [200] * 60)
        self.assertEqual(statuses[60], 429)

    def test_the_openapi_document_lists_the_endpoints(self) -> None:
        paths = self.get("/api/v1/openapi.json").json()["paths"]
        self.assertLessEqual(
            {"/api/v1/auth/token", "/api/v1/kelurahan", "/api/v1/opd", "/api/v1/employees"}, set(paths)
        )
