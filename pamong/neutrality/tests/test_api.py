"""The declaration API: sign with a bearer token, follow the progress, list the signatures by role."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from pamong.core import ledger
from pamong.core.models import LedgerEntry
from pamong.core.testing import PASSWORD, CastMixin, make_employee, make_user
from pamong.neutrality import services
from pamong.neutrality.models import Campaign, Signature
from pamong.organisation.models import User
from pamong.organisation.services import issue_api_token

TEXT = "Kami menyatakan:\n1. Bersikap netral.\n2. Tidak terlibat politik praktis."


@override_settings(PAMONG_BUSINESS_DATE="2024-10-17")
class DeclarationApiTests(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        cls.campaign = services.create_campaign(
            by=cls.bkpsdm,
            slug="netralitas-2024",
            title="Deklarasi Netralitas ASN dan PTT 2024",
            text=TEXT,
            opens_on=dt.date(2024, 10, 17),
            closes_on=dt.date(2024, 10, 31),
            election_date=dt.date(2024, 11, 27),
            eligible_kinds=["pns", "pppk", "ptt"],
            witness_bodies=["KPU Kota Kupang", "Bawaslu Kota Kupang"],
        )

    def url(self, tail: str, campaign: Campaign | None = None) -> str:
        return f"/api/v1/declarations/{(campaign or self.campaign).pk}/{tail}"

    def bearer(self, user: User) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_api_token(user).token}"}

    def sign(self, user: User | None, text_sha256: str | None = None, **extra: str):
        headers = self.bearer(user) if user is not None else {}
        return self.client.post(
            self.url("signatures"),
            {"text_sha256": text_sha256 or self.campaign.text_sha256, **extra},
            content_type="application/json",
            headers=headers,
        )

    def listing(self, user: User | None, **params: object):
        headers = self.bearer(user) if user is not None else {}
        return self.client.get(self.url("signatures"), params, headers=headers)

    # --- signing ------------------------------------------------------------------------------

    def test_a_clerk_signs_with_a_token_from_the_token_endpoint_and_gets_201(self) -> None:
        token = self.client.post(
            "/api/v1/auth/token",
            {"identity_number": self.clerk.username, "password": PASSWORD},
            content_type="application/json",
        ).json()["token"]
        response = self.client.post(
            self.url("signatures"),
            {"text_sha256": self.campaign.text_sha256},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        signature = Signature.objects.get(campaign=self.campaign, signer=self.clerk)
        code = ledger.format_receipt_code(signature.receipt_code)
        self.assertEqual(body["id"], signature.pk)
        self.assertEqual(body["campaign"], self.campaign.pk)
        self.assertEqual(body["capacity"], "pegawai")
        self.assertEqual(body["signer_name"], "Pelaksana Dinkes")
        self.assertEqual(body["opd"], "Dinas Kesehatan")
        self.assertEqual(body["receipt_code"], code)
        self.assertRegex(code, r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$")
        self.assertEqual(body["verify_url"], f"http://testserver/verifikasi/{code}/")
        self.assertNotIn(self.clerk.username, response.content.decode())
        self.assertIn("***", body["identity_masked"])
        self.assertTrue(LedgerEntry.objects.filter(kind="neutrality.signature", subject_id=str(signature.pk)).exists())

    def test_signing_again_returns_the_same_signature_with_200(self) -> None:
        first = self.sign(self.ptt)
        second = self.sign(self.ptt, drawing="M 1 1 L 5 5")
        self.assertEqual((first.status_code, second.status_code), (201, 200))
        self.assertEqual(first.json(), second.json())
        self.assertEqual(Signature.objects.filter(signer=self.ptt).count(), 1)
        self.assertEqual(LedgerEntry.objects.filter(kind="neutrality.signature").count(), 1)

    def test_a_drawn_signature_is_kept(self) -> None:
        response = self.sign(self.clerk, drawing="M 10 10 L 20 30 L 40 5")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(Signature.objects.get(signer=self.clerk).drawing, "M 10 10 L 20 30 L 40 5")

    def test_a_changed_text_gets_400_in_indonesian_and_nothing_is_recorded(self) -> None:
        response = self.sign(self.clerk, text_sha256="0" * 64)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Teks yang Anda baca bukan teks deklarasi yang berlaku", response.json()["detail"])
        self.assertFalse(Signature.objects.exists())
        self.assertFalse(LedgerEntry.objects.filter(kind="neutrality.signature").exists())

    def test_an_unreadable_drawing_gets_400(self) -> None:
        response = self.sign(self.clerk, drawing="<script>alert(1)</script>")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Gambar tanda tangan tidak dapat dibaca", response.json()["detail"])

    @override_settings(PAMONG_BUSINESS_DATE="2024-11-01")
    def test_signing_after_the_window_gets_400(self) -> None:
        response = self.sign(self.clerk)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Penandatanganan dibuka 17 Oktober 2024 sampai 31 Oktober 2024", response.json()["detail"])
        self.assertFalse(Signature.objects.exists())

    @override_settings(PAMONG_BUSINESS_DATE="2024-10-16")
    def test_signing_before_the_window_gets_400(self) -> None:
        self.assertEqual(self.sign(self.clerk).status_code, 400)

    def test_an_unknown_campaign_gets_404_in_indonesian(self) -> None:
        response = self.client.post(
            "/api/v1/declarations/999999/signatures",
            {"text_sha256": self.campaign.text_sha256},
            content_type="application/json",
            headers=self.bearer(self.clerk),
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["detail"], "Kampanye deklarasi 999999 tidak ada.")

    def test_an_account_without_an_employee_record_or_role_gets_400(self) -> None:
        stranger = make_user(username="tamu.biasa")
        response = self.sign(stranger)
        self.assertEqual(response.status_code, 400)
        self.assertIn("tidak terhubung dengan data pegawai", response.json()["detail"])

    def test_a_witness_signs_for_their_body(self) -> None:
        response = self.sign(self.witness)
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["capacity"], "saksi")
        self.assertEqual(response.json()["witness_body"], "Bawaslu Kota Kupang")
        self.assertIsNone(response.json()["opd"])

    def test_the_mayor_signs_as_official(self) -> None:
        response = self.sign(self.mayor)
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["capacity"], "wali_kota")

    def test_anonymous_signing_gets_401(self) -> None:
        response = self.sign(None)
        self.assertEqual(response.status_code, 401)
        self.assertIn("Bearer", response.json()["detail"])
        self.assertFalse(Signature.objects.exists())

    def test_a_malformed_body_gets_422_in_indonesian(self) -> None:
        response = self.client.post(
            self.url("signatures"), {"drawing": ""}, content_type="application/json", headers=self.bearer(self.clerk)
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("Permintaan tidak sah", response.json()["detail"])

    # --- progress -----------------------------------------------------------------------------

    def test_progress_is_public_and_counts_by_opd_and_status(self) -> None:
        for user in (self.clerk, self.ptt, self.school_operator, self.mayor, self.witness):
            self.assertEqual(self.sign(user).status_code, 201)
        response = self.client.get(self.url("progress"))
        self.assertEqual(response.status_code, 200)
        body = response.json()
        # Eleven employees in the cast; the mayor and the witness are not employees.
        self.assertEqual((body["eligible"], body["signed"], body["percent"]), (11, 3, 27.3))
        by_opd = {row["name"]: (row["eligible"], row["signed"]) for row in body["by_opd"]}
        self.assertEqual(by_opd["Dinas Kesehatan"], (4, 2))
        self.assertEqual(by_opd["Dinas Pendidikan"], (2, 1))
        self.assertEqual(by_opd["Sekretariat Daerah"], (3, 0))
        self.assertTrue(all(isinstance(row["opd_id"], int) for row in body["by_opd"]))
        self.assertEqual(
            body["by_status"],
            [{"kind": "pns", "eligible": 10, "signed": 2}, {"kind": "ptt", "eligible": 1, "signed": 1}],
        )

    def test_progress_of_an_unknown_campaign_gets_404(self) -> None:
        response = self.client.get("/api/v1/declarations/999999/progress")
        self.assertEqual(response.status_code, 404)
        self.assertIn("tidak ada", response.json()["detail"])

    # --- the list -----------------------------------------------------------------------------

    def sign_everyone(self) -> None:
        for user in (
            self.mayor,
            self.sekda,
            self.clerk,
            self.ptt,
            self.health_head,
            self.school_operator,
            self.bkad,
            self.witness,
        ):
            self.assertEqual(self.sign(user).status_code, 201)

    def names_seen_by(self, user: User) -> set[str]:
        response = self.listing(user, page_size=200)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["count"], len(body["items"]))
        return {row["signer_name"] for row in body["items"]}

    def test_citywide_roles_see_every_signature(self) -> None:
        self.sign_everyone()
        for user in (self.mayor, self.sekda, self.bkpsdm, self.inspector):
            with self.subTest(user=user.full_name):
                self.assertEqual(len(self.names_seen_by(user)), 8)

    def test_an_opd_head_and_operator_see_their_opd_and_themselves(self) -> None:
        self.sign_everyone()
        health = {"Pelaksana Dinkes", "Tenaga Kontrak", "Kepala Dinkes"}
        self.assertEqual(self.names_seen_by(self.health_head), health)
        self.assertEqual(self.names_seen_by(self.health_operator), health)
        self.assertEqual(self.names_seen_by(self.school_operator), {"Operator Dindik"})

    def test_a_clerk_and_a_witness_see_only_their_own(self) -> None:
        self.sign_everyone()
        self.assertEqual(self.names_seen_by(self.clerk), {"Pelaksana Dinkes"})
        self.assertEqual(self.names_seen_by(self.witness), {self.witness.full_name})
        self.assertEqual(self.names_seen_by(self.bappeda), set())

    def test_the_list_masks_identity_numbers_and_paginates(self) -> None:
        self.sign_everyone()
        response = self.listing(self.mayor, page_size=3, page=2)
        body = response.json()
        self.assertEqual(body["count"], 8)
        self.assertEqual(len(body["items"]), 3)
        content = response.content.decode()
        for signature in Signature.objects.all():
            self.assertNotIn(signature.identity_number, content)
        self.assertTrue(all(row["receipt_code"] and row["verify_url"] for row in body["items"]))

    def test_the_list_filters_by_opd_and_capacity(self) -> None:
        self.sign_everyone()
        by_opd = self.listing(self.mayor, opd=self.health.pk).json()
        self.assertEqual(by_opd["count"], 3)
        officials = self.listing(self.mayor, capacity="saksi").json()
        self.assertEqual([row["witness_body"] for row in officials["items"]], ["Bawaslu Kota Kupang"])

    def test_the_list_costs_the_same_queries_for_more_signatures(self) -> None:
        self.assertEqual(self.sign(self.clerk).status_code, 201)
        headers = self.bearer(self.mayor)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url("signatures"), headers=headers)
        for number in range(6):
            employee = make_employee(self.health, f"Pegawai Tambahan {number}")
            self.assertEqual(self.sign(make_user(employee)).status_code, 201)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url("signatures"), headers=headers)
        self.assertEqual(response.json()["count"], 7)
        self.assertEqual(len(many), len(few))

    def test_anonymous_listing_gets_401(self) -> None:
        self.assertEqual(self.listing(None).status_code, 401)

    def test_listing_an_unknown_campaign_gets_404(self) -> None:
        response = self.client.get("/api/v1/declarations/999999/signatures", headers=self.bearer(self.mayor))
        self.assertEqual(response.status_code, 404)

    def test_the_openapi_document_lists_the_declaration_endpoints(self) -> None:
        paths = self.client.get("/api/v1/openapi.json").json()["paths"]
        self.assertIn("/api/v1/declarations/{campaign_id}/signatures", paths)
        self.assertIn("/api/v1/declarations/{campaign_id}/progress", paths)
