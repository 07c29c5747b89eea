"""The neutrality declaration as a service: campaigns, signing, follow-up and who sees what.

Every test class signs the ledger with a key of its own in a temporary directory, and runs on the
declaration day, 17 October 2024 (PAMONG_BUSINESS_DATE), in a campaign open 1–31 October 2024.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any, ClassVar

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import translation

from pamong.core import ledger
from pamong.core.models import LedgerEntry, Notification
from pamong.core.testing import CastMixin, make_employee, make_user
from pamong.neutrality import queries, services
from pamong.neutrality.models import Campaign, Signature, text_sha256
from pamong.organisation.models import Employee, Role, User

DECLARATION_DAY = "2024-10-17"
TEXT = (
    "Kami, Aparatur Sipil Negara dan Pegawai Tidak Tetap Pemerintah Kota Kupang, menyatakan:\n"
    "1. Menjaga netralitas dalam Pemilihan Wali Kota dan Wakil Wali Kota Kupang 2024.\n"
    "2. Tidak memihak, tidak berkampanye, dan tidak memakai fasilitas negara untuk kepentingan pasangan calon.\n"
)
DRAWING = "M10 20 L30 40 Q50 60 70 80 C1.5 2.5 3 4 5 6 Z m-1,-2 l3,4 z"
BAWASLU = "Bawaslu Kota Kupang"


def make_campaign(slug: str = "netralitas-2024", *, by: User, **fields: Any) -> Campaign:
    values: dict[str, Any] = {
        "title": "Deklarasi Netralitas ASN dan PTT 2024",
        "text": TEXT,
        "opens_on": dt.date(2024, 10, 1),
        "closes_on": dt.date(2024, 10, 31),
        "eligible_kinds": ["pns", "pppk", "ptt"],
        "witness_bodies": [BAWASLU],
    }
    values.update(fields)
    return services.create_campaign(by=by, slug=slug, **values)


def sign(campaign: Campaign, user: User, **extra: Any) -> tuple[Signature, bool]:
    extra.setdefault("text_sha256", campaign.text_sha256)
    return services.sign_declaration(campaign, by=user, **extra)


def verify_output() -> str:
    out = StringIO()
    call_command("ledger_verify", stdout=out, stderr=StringIO())
    return out.getvalue()


class NeutralityTestCase(CastMixin, TestCase):
    """The cast, a ledger key of the class's own, and the declaration day as the business date."""

    key_file: ClassVar[Path]
    campaign: ClassVar[Campaign]

    @classmethod
    def setUpClass(cls) -> None:
        key_dir = cls.enterClassContext(tempfile.TemporaryDirectory(prefix="pamong-neutrality-key-"))
        cls.key_file = Path(key_dir) / "ledger-ed25519.pem"
        cls.enterClassContext(
            override_settings(PAMONG_LEDGER_KEY_FILE=cls.key_file, PAMONG_BUSINESS_DATE=DECLARATION_DAY)
        )
        ledger._load_private_key.cache_clear()
        cls.addClassCleanup(ledger._load_private_key.cache_clear)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        cls.campaign = make_campaign(by=cls.bkpsdm)

    def setUp(self) -> None:
        ledger._load_private_key.cache_clear()
        self.addCleanup(ledger._load_private_key.cache_clear)
        self.enterContext(translation.override("id"))
        super().setUp()

    def assertNothingRecorded(self, signatures: int = 0, entries: int = 0) -> None:
        self.assertEqual(Signature.objects.count(), signatures)
        self.assertEqual(LedgerEntry.objects.count(), entries)
        self.assertEqual(ledger.ledger_size(), entries)

    def assertSigningRefused(self, message: str, campaign: Campaign, user: User, **extra: Any) -> None:
        signatures, entries = Signature.objects.count(), LedgerEntry.objects.count()
        with self.assertRaises(ValidationError) as caught:
            sign(campaign, user, **extra)
        self.assertIn(message, " ".join(caught.exception.messages))
        self.assertNothingRecorded(signatures, entries)


# --- signing -----------------------------------------------------------------------------------


class SigningTests(NeutralityTestCase):
    def test_signing_records_one_signature_and_one_ledger_entry_with_its_receipt(self) -> None:
        signature, created = sign(self.campaign, self.clerk)
        self.assertTrue(created)
        self.assertEqual(Signature.objects.get(), signature)
        entry = LedgerEntry.objects.get()
        self.assertEqual(entry.index, 0)
        self.assertEqual(
            (entry.kind, entry.subject_type, entry.subject_id),
            ("neutrality.signature", "neutrality.signature", str(signature.pk)),
        )
        self.assertEqual(entry.actor_role, "pegawai")
        self.assertEqual(entry.actor, self.clerk)
        self.assertEqual(len(signature.receipt_code), 16)
        self.assertEqual(Signature.objects.get().receipt_code, entry.receipt_code)
        self.assertEqual(ledger.entry_by_receipt(ledger.format_receipt_code(signature.receipt_code)), entry)

    def test_the_signature_keeps_who_signed_where_and_what(self) -> None:
        signature, _ = sign(self.campaign, self.clerk)
        employee = self.clerk.employee
        self.assertEqual(signature.capacity, Signature.Capacity.PEGAWAI)
        self.assertEqual(signature.signer, self.clerk)
        self.assertEqual(signature.employee, employee)
        self.assertEqual(signature.opd, self.health)
        self.assertEqual(signature.employee_kind, "pns")
        self.assertEqual(signature.signer_name, employee.full_name)
        self.assertEqual(signature.identity_number, employee.identity_number)
        self.assertEqual(signature.text_sha256, self.campaign.text_sha256)
        self.assertEqual(signature.text_sha256, hashlib.sha256(TEXT.encode()).hexdigest())
        self.assertEqual(signature.witness_body, "")
        self.assertEqual(signature.drawing, "")

    def test_the_ledger_verifies_after_signing(self) -> None:
        for user in (self.clerk, self.ptt, self.sekda, self.mayor, self.witness):
            sign(self.campaign, user)
        self.assertIn("Buku besar utuh: 5 entri, 0 checkpoint", verify_output())
        self.assertEqual(ledger.issue_checkpoint().size, 5)
        self.assertIn("Buku besar utuh: 5 entri, 1 checkpoint", verify_output())
        self.assertEqual(list(LedgerEntry.objects.order_by("index").values_list("index", flat=True)), list(range(5)))

    def test_the_ledger_notices_a_signature_edited_afterwards(self) -> None:
        signature, _ = sign(self.campaign, self.clerk)
        Signature.objects.filter(pk=signature.pk).update(text_sha256="0" * 64)
        self.assertFalse(ledger.verify_ledger().ok)

    def test_signing_again_returns_the_first_signature(self) -> None:
        first, created = sign(self.campaign, self.clerk)
        again, created_again = sign(self.campaign, self.clerk)
        self.assertTrue(created)
        self.assertFalse(created_again)
        self.assertEqual(again, first)
        self.assertEqual(again.receipt_code, first.receipt_code)
        self.assertNothingRecorded(signatures=1, entries=1)

    def test_a_second_device_gets_the_first_signature_even_with_a_drawing(self) -> None:
        first, _ = sign(self.campaign, self.clerk)
        other_device = User.objects.get(pk=self.clerk.pk)
        again, created = sign(self.campaign, other_device, drawing=DRAWING)
        self.assertFalse(created)
        self.assertEqual(again, first)
        self.assertEqual(again.drawing, "")
        self.assertNothingRecorded(signatures=1, entries=1)

    def test_a_ptt_signs_with_their_internal_number(self) -> None:
        signature, _ = sign(self.campaign, self.ptt)
        self.assertEqual(signature.capacity, Signature.Capacity.PEGAWAI)
        self.assertEqual(signature.employee_kind, "ptt")
        self.assertTrue(signature.identity_number.startswith("PTT-"))
        self.assertEqual(signature.identity_number, self.ptt.employee.identity_number)

    def test_the_sekda_signs_as_sekda(self) -> None:
        signature, _ = sign(self.campaign, self.sekda)
        self.assertEqual(signature.capacity, "sekda")
        self.assertEqual(signature.opd, self.setda)
        self.assertEqual(LedgerEntry.objects.get().actor_role, "sekda")

    def test_the_mayor_signs_as_wali_kota(self) -> None:
        signature, _ = sign(self.campaign, self.mayor)
        self.assertEqual(signature.capacity, "wali_kota")
        self.assertIsNone(signature.employee)
        self.assertIsNone(signature.opd)
        self.assertEqual(signature.signer_name, self.mayor.full_name)
        self.assertEqual(signature.identity_number, self.mayor.username)
        self.assertEqual(LedgerEntry.objects.get().actor_role, "wali_kota")

    def test_officials_sign_even_when_their_status_is_not_among_those_who_must(self) -> None:
        campaign = make_campaign("ptt-saja", by=self.bkpsdm, eligible_kinds=["ptt"])
        self.assertEqual(sign(campaign, self.sekda)[0].capacity, "sekda")
        self.assertEqual(sign(campaign, self.mayor)[0].capacity, "wali_kota")

    def test_a_bawaslu_witness_signs_as_witness_for_bawaslu(self) -> None:
        signature, _ = sign(self.campaign, self.witness)
        self.assertEqual(signature.capacity, "saksi")
        self.assertEqual(signature.witness_body, BAWASLU)
        self.assertIsNone(signature.employee)
        self.assertEqual(LedgerEntry.objects.get().actor_role, "saksi")
        self.assertEqual(LedgerEntry.objects.get().payload["witness_body"], BAWASLU)

    def test_a_witness_of_another_body_is_refused(self) -> None:
        kpu = make_user(username="saksi.kpu", roles=((Role.SAKSI, None),), witness_body="KPU Kota Kupang")
        self.assertSigningRefused("Lembaga Anda (KPU Kota Kupang) bukan saksi deklarasi ini", self.campaign, kpu)

    def test_a_witness_of_a_body_the_campaign_does_not_name_is_refused(self) -> None:
        campaign = make_campaign("saksi-kpu", by=self.bkpsdm, witness_bodies=["KPU Kota Kupang"])
        self.assertSigningRefused("Lembaga Anda (Bawaslu Kota Kupang) bukan saksi", campaign, self.witness)

    def test_an_account_without_an_employee_record_or_official_role_is_refused(self) -> None:
        guest = make_user(username="tamu")
        self.assertSigningRefused("tidak terhubung dengan data pegawai", self.campaign, guest)

    def test_a_status_that_need_not_sign_is_refused(self) -> None:
        campaign = make_campaign("asn-saja", by=self.bkpsdm, eligible_kinds=["pns", "pppk"])
        self.assertSigningRefused("tidak termasuk pegawai yang wajib menandatangani", campaign, self.ptt)
        self.assertTrue(sign(campaign, self.clerk)[1])

    def test_an_opd_that_need_not_sign_is_refused(self) -> None:
        campaign = services.create_campaign(
            by=self.sekda,
            slug="dinkes-saja",
            title="Deklarasi Dinkes",
            text=TEXT,
            opens_on=dt.date(2024, 10, 1),
            closes_on=dt.date(2024, 10, 31),
            eligible_kinds=["pns", "pppk", "ptt"],
            eligible_opds=[self.health],
            witness_bodies=[BAWASLU],
        )
        self.assertSigningRefused("tidak termasuk pegawai yang wajib", campaign, self.school_operator)
        self.assertSigningRefused("tidak termasuk pegawai yang wajib", campaign, self.bkad)
        self.assertTrue(sign(campaign, self.clerk)[1])
        self.assertTrue(sign(campaign, self.health_head)[1])

    def test_an_employee_no_longer_in_service_is_refused(self) -> None:
        for status in (Employee.Status.PENSIUN, Employee.Status.BERHENTI, Employee.Status.DIBERHENTIKAN_SEMENTARA):
            with self.subTest(status=status):
                Employee.objects.filter(pk=self.clerk.employee_id).update(status=status)
                self.assertSigningRefused("tidak termasuk pegawai yang wajib", self.campaign, self.clerk)
        Employee.objects.filter(pk=self.clerk.employee_id).update(status=Employee.Status.CUTI)
        self.assertTrue(sign(self.campaign, self.clerk)[1])

    def test_the_first_and_last_days_of_the_window_are_open(self) -> None:
        with override_settings(PAMONG_BUSINESS_DATE="2024-10-01"):
            self.assertTrue(sign(self.campaign, self.clerk)[1])
        with override_settings(PAMONG_BUSINESS_DATE="2024-10-31"):
            self.assertTrue(sign(self.campaign, self.ptt)[1])
        self.assertNothingRecorded(signatures=2, entries=2)

    def test_the_days_before_and_after_the_window_are_closed(self) -> None:
        for day in ("2024-09-30", "2024-11-01", "2025-10-17"):
            with self.subTest(day=day), override_settings(PAMONG_BUSINESS_DATE=day):
                self.assertSigningRefused("Penandatanganan dibuka", self.campaign, self.clerk)

    def test_the_window_message_names_the_window_and_today(self) -> None:
        with override_settings(PAMONG_BUSINESS_DATE="2024-11-01"), self.assertRaises(ValidationError) as caught:
            sign(self.campaign, self.clerk)
        message = caught.exception.messages[0]
        for day in ("1 Oktober 2024", "31 Oktober 2024", "1 November 2024"):
            self.assertIn(day, message)

    def test_a_signature_made_in_the_window_is_returned_after_it_closes(self) -> None:
        first, _ = sign(self.campaign, self.clerk)
        with override_settings(PAMONG_BUSINESS_DATE="2024-11-05"):
            self.assertEqual(sign(self.campaign, self.clerk), (first, False))

    def test_a_changed_text_is_refused(self) -> None:
        for wrong in (
            text_sha256(TEXT + "3. Tambahan."),
            "0" * 64,
            "",
            self.campaign.text_sha256.upper(),
            "' OR 1=1 --",
        ):
            with self.subTest(wrong=wrong):
                self.assertSigningRefused(
                    "bukan teks deklarasi yang berlaku", self.campaign, self.clerk, text_sha256=wrong
                )

    def test_the_hash_ignores_windows_line_endings(self) -> None:
        self.assertEqual(text_sha256(TEXT.replace("\n", "\r\n")), self.campaign.text_sha256)

    def test_a_drawing_that_is_not_a_plain_path_is_refused(self) -> None:
        for drawing in (
            "<script>alert(1)</script>",
            'M0 0 L1 1"/><script>alert(1)</script>',
            "M0 0\nL1 1",
            "M0 0 A 1 1 0 0 0 2 2",
            "javascript:alert(1)",
            "M0 0 L" + "1 " * services.MAX_DRAWING,
        ):
            with self.subTest(drawing=drawing[:40]):
                self.assertSigningRefused(
                    "Gambar tanda tangan tidak dapat dibaca", self.campaign, self.clerk, drawing=drawing
                )

    def test_a_drawn_path_is_kept_and_its_hash_is_in_the_ledger(self) -> None:
        signature, _ = sign(self.campaign, self.clerk, drawing=f"  {DRAWING}\n")
        self.assertEqual(signature.drawing, DRAWING)
        payload = LedgerEntry.objects.get().payload
        self.assertEqual(payload["drawing_sha256"], hashlib.sha256(DRAWING.encode()).hexdigest())
        self.assertNotIn(DRAWING, str(payload))
        self.assertIn("Buku besar utuh: 1 entri", verify_output())

    def test_no_drawing_leaves_an_empty_hash(self) -> None:
        sign(self.campaign, self.clerk)
        self.assertEqual(LedgerEntry.objects.get().payload["drawing_sha256"], "")

    def test_the_ledger_never_holds_a_full_identity_number(self) -> None:
        # The cast's mayor has no employee record and is named by his NIP; give him a name, as the city does.
        User.objects.filter(pk=self.mayor.pk).update(full_name="Wali Kota Kupang")
        mayor = User.objects.get(pk=self.mayor.pk)
        for user in (self.clerk, self.ptt, self.sekda, mayor):
            sign(self.campaign, user)
        numbers = [self.clerk.employee.identity_number, self.ptt.employee.identity_number]
        numbers += [self.sekda.employee.identity_number, self.mayor.username]
        for entry in LedgerEntry.objects.order_by("index"):
            text = f"{entry.payload} {entry.leaf_input} {entry.subject_id}"
            for number in numbers:
                self.assertNotIn(number, text)
        payload = LedgerEntry.objects.get(subject_id=str(Signature.objects.get(signer=self.clerk).pk)).payload
        nip = self.clerk.employee.identity_number
        self.assertEqual(payload["identity_masked"], f"{nip[0:2]}****** {nip[8:12]}** {nip[14]} ***")
        self.assertEqual(payload["campaign"], self.campaign.slug)
        self.assertEqual(payload["text_sha256"], self.campaign.text_sha256)

    def test_a_refusal_for_one_person_does_not_stop_the_next(self) -> None:
        with override_settings(PAMONG_BUSINESS_DATE="2024-11-01"), self.assertRaises(ValidationError):
            sign(self.campaign, self.clerk)
        self.assertTrue(sign(self.campaign, self.ptt)[1])
        self.assertEqual(LedgerEntry.objects.get().index, 0)

    def test_a_signer_holding_an_older_copy_of_the_campaign_cannot_sign_a_text_changed_since(self) -> None:
        # A view loads the campaign at the start of the request; a manager may change the text
        # (nobody has signed yet) before the signature is written. The hash and the window must be
        # checked against the stored campaign, not the caller's copy, or the signature would be
        # recorded for a text the campaign no longer has. (Failed before dba3d2b.)
        held_by_the_request = Campaign.objects.get(pk=self.campaign.pk)
        changed = services.update_campaign(self.campaign, by=self.bkpsdm, text=TEXT + "3. Teks baru.\n")
        self.assertNotEqual(changed.text_sha256, held_by_the_request.text_sha256)
        with self.assertRaises(ValidationError):
            services.sign_declaration(held_by_the_request, by=self.clerk, text_sha256=held_by_the_request.text_sha256)
        self.assertNothingRecorded()


# --- campaigns ---------------------------------------------------------------------------------


class CampaignTests(NeutralityTestCase):
    def campaign_fields(self, **fields: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "title": "Deklarasi Baru",
            "text": TEXT,
            "opens_on": dt.date(2024, 10, 1),
            "closes_on": dt.date(2024, 10, 31),
            "eligible_kinds": ["pns", "pppk", "ptt"],
            "witness_bodies": [BAWASLU],
        }
        values.update(fields)
        return values

    def test_bkpsdm_and_the_sekda_create_campaigns(self) -> None:
        for user in (self.bkpsdm, self.sekda):
            with self.subTest(user=user.full_name):
                campaign = services.create_campaign(by=user, slug=f"baru-{user.pk}", **self.campaign_fields())
                self.assertEqual(campaign.created_by, user)
                self.assertEqual(campaign.text_sha256, text_sha256(TEXT))

    def test_the_system_creates_a_campaign_without_a_person(self) -> None:
        # create_campaign(by=None) is the system's (the demo seeding, a management command): nobody
        # is recorded as creator. (Failed before dba3d2b: created_by was not blank=True, so
        # full_clean() refused None.)
        campaign = services.create_campaign(by=None, slug="sistem", **self.campaign_fields())
        self.assertIsNone(campaign.created_by)
        changed = services.update_campaign(campaign, by=None, title="Judul Sistem")
        self.assertEqual(changed.title, "Judul Sistem")

    def test_nobody_else_creates_campaigns(self) -> None:
        others = (self.mayor, self.inspector, self.bkad, self.bappeda, self.health_head, self.health_operator)
        for user in (*others, self.school_operator, self.clerk, self.ptt, self.witness):
            with self.subTest(user=user.full_name), self.assertRaises(ValidationError) as caught:
                services.create_campaign(by=user, slug=f"tolak-{user.pk}", **self.campaign_fields())
            self.assertIn("Hanya BKPSDM dan Sekda", caught.exception.messages[0])
        self.assertEqual(Campaign.objects.count(), 1)

    def test_an_inactive_manager_creates_nothing(self) -> None:
        User.objects.filter(pk=self.bkpsdm.pk).update(is_active=False)
        with self.assertRaises(ValidationError):
            services.create_campaign(by=User.objects.get(pk=self.bkpsdm.pk), slug="x", **self.campaign_fields())
        self.assertEqual(Campaign.objects.count(), 1)

    def test_the_text_is_stored_with_unix_line_endings(self) -> None:
        campaign = services.create_campaign(
            by=self.bkpsdm, slug="crlf", **self.campaign_fields(text=TEXT.replace("\n", "\r\n"))
        )
        self.assertEqual(campaign.text, TEXT)
        self.assertEqual(campaign.text_sha256, text_sha256(TEXT))

    def test_bad_campaigns_are_refused_with_nothing_saved(self) -> None:
        cases = [
            ({"eligible_kinds": []}, "eligible_kinds", "Pilih siapa yang wajib menandatangani"),
            ({"eligible_kinds": ["pns", "honorer"]}, "eligible_kinds", "Pilih siapa yang wajib menandatangani"),
            (
                {"opens_on": dt.date(2024, 10, 31), "closes_on": dt.date(2024, 10, 1)},
                "closes_on",
                "Batas penandatanganan tidak boleh sebelum tanggal mulai",
            ),
            ({"text": "  \n "}, "text", "Teks deklarasi wajib diisi"),
        ]
        for fields, field, message in cases:
            with self.subTest(field=field, fields=fields), self.assertRaises(ValidationError) as caught:
                services.create_campaign(by=self.bkpsdm, slug="buruk", **self.campaign_fields(**fields))
            self.assertIn(message, " ".join(caught.exception.message_dict[field]))
        with self.assertRaises(ValidationError):
            services.create_campaign(by=self.bkpsdm, slug=self.campaign.slug, **self.campaign_fields())
        self.assertEqual(Campaign.objects.count(), 1)

    def test_managers_change_the_text_before_anyone_signs(self) -> None:
        new_text = TEXT + "3. Melaporkan pelanggaran netralitas kepada Bawaslu.\n"
        for user in (self.bkpsdm, self.sekda):
            with self.subTest(user=user.full_name):
                changed = services.update_campaign(self.campaign, by=user, text=new_text + user.username)
                self.assertEqual(changed.text_sha256, text_sha256(new_text + user.username))
                self.assertEqual(Campaign.objects.get(pk=self.campaign.pk).text, new_text + user.username)
        changed = services.update_campaign(self.campaign, by=self.bkpsdm, text_version="2")
        self.assertEqual(changed.text_version, "2")

    def test_the_text_is_fixed_once_anyone_has_signed(self) -> None:
        sign(self.campaign, self.clerk)
        for fields in ({"text": TEXT + "3. Tambahan.\n"}, {"text_version": "2"}, {"text": "Lain", "title": "Lain"}):
            with self.subTest(fields=fields), self.assertRaises(ValidationError) as caught:
                services.update_campaign(self.campaign, by=self.bkpsdm, **fields)
            self.assertIn("Teks sudah ditandatangani dan tidak dapat diubah lagi", caught.exception.messages[0])
        stored = Campaign.objects.get(pk=self.campaign.pk)
        self.assertEqual((stored.text, stored.text_version, stored.title), (TEXT, "1", self.campaign.title))
        self.assertEqual(stored.text_sha256, text_sha256(TEXT))

    def test_an_official_signature_also_fixes_the_text(self) -> None:
        sign(self.campaign, self.mayor)
        with self.assertRaises(ValidationError):
            services.update_campaign(self.campaign, by=self.sekda, text="Teks lain")

    def test_other_fields_still_change_after_signing(self) -> None:
        sign(self.campaign, self.clerk)
        changed = services.update_campaign(
            self.campaign,
            by=self.sekda,
            title="Judul Baru",
            closes_on=dt.date(2024, 11, 15),
            text=TEXT.replace("\n", "\r\n"),  # the same text, as a browser sends it
            eligible_opds=[self.health],
        )
        self.assertEqual(changed.title, "Judul Baru")
        self.assertEqual(changed.closes_on, dt.date(2024, 11, 15))
        self.assertEqual(changed.text_sha256, text_sha256(TEXT))
        self.assertEqual(list(changed.eligible_opds.all()), [self.health])

    def test_nobody_else_changes_campaigns(self) -> None:
        for user in (self.mayor, self.inspector, self.health_head, self.health_operator, self.clerk, self.witness):
            with self.subTest(user=user.full_name), self.assertRaises(ValidationError) as caught:
                services.update_campaign(self.campaign, by=user, title="Diubah", text="Diubah")
            self.assertIn("Hanya BKPSDM dan Sekda", caught.exception.messages[0])
        stored = Campaign.objects.get(pk=self.campaign.pk)
        self.assertEqual((stored.title, stored.text), (self.campaign.title, TEXT))

    def test_a_bad_change_saves_nothing(self) -> None:
        with self.assertRaises(ValidationError):
            services.update_campaign(self.campaign, by=self.bkpsdm, title="Baru", closes_on=dt.date(2024, 9, 1))
        stored = Campaign.objects.get(pk=self.campaign.pk)
        self.assertEqual((stored.title, stored.closes_on), (self.campaign.title, dt.date(2024, 10, 31)))

    def test_only_managers_may_manage(self) -> None:
        self.assertTrue(queries.can_manage_campaigns(self.bkpsdm))
        self.assertTrue(queries.can_manage_campaigns(self.sekda))
        for user in (self.mayor, self.inspector, self.health_head, self.health_operator, self.clerk, self.witness):
            self.assertFalse(queries.can_manage_campaigns(user))
        self.assertFalse(queries.can_manage_campaigns(None))


# --- progress and follow-up --------------------------------------------------------------------


class ProgressTests(NeutralityTestCase):
    """The cast's employees: Setda 3 (Sekda, BKAD, Bappeda), Dinkes 4 (head, operator, clerk, PTT),
    Dindik 2 (operator, the teacher without an account), Inspektorat 1, BKPPD 1: 10 PNS and 1 PTT."""

    def by_opd(self, progress: dict[str, Any]) -> dict[str, tuple[int, int]]:
        return {row["name"]: (row["eligible"], row["signed"]) for row in progress["by_opd"]}

    def test_before_anyone_signs(self) -> None:
        progress = queries.progress(self.campaign)
        self.assertEqual((progress["eligible"], progress["signed"], progress["percent"]), (11, 0, 0.0))
        self.assertEqual(
            self.by_opd(progress),
            {
                "Sekretariat Daerah": (3, 0),
                "Dinas Kesehatan": (4, 0),
                "Dinas Pendidikan": (2, 0),
                "Inspektorat Daerah": (1, 0),
                "BKPPD": (1, 0),
            },
        )
        self.assertEqual(
            progress["by_kind"],
            [{"kind": "pns", "eligible": 10, "signed": 0}, {"kind": "ptt", "eligible": 1, "signed": 0}],
        )
        self.assertEqual(progress["officials"], [])

    def test_counts_follow_the_signatures(self) -> None:
        for user in (self.clerk, self.ptt, self.school_operator, self.sekda, self.mayor, self.witness):
            sign(self.campaign, user)
        progress = queries.progress(self.campaign)
        # The mayor and the witness have no employee record: they are officials, not counted staff.
        self.assertEqual((progress["eligible"], progress["signed"], progress["percent"]), (11, 4, 36.4))
        self.assertEqual(
            self.by_opd(progress),
            {
                "Sekretariat Daerah": (3, 1),
                "Dinas Kesehatan": (4, 2),
                "Dinas Pendidikan": (2, 1),
                "Inspektorat Daerah": (1, 0),
                "BKPPD": (1, 0),
            },
        )
        self.assertEqual(
            progress["by_kind"],
            [{"kind": "pns", "eligible": 10, "signed": 3}, {"kind": "ptt", "eligible": 1, "signed": 1}],
        )
        self.assertEqual(
            [(o["capacity"], o["witness_body"]) for o in progress["officials"]],
            [("sekda", ""), ("wali_kota", ""), ("saksi", BAWASLU)],
        )

    def test_only_the_chosen_statuses_and_opd_count(self) -> None:
        campaign = services.create_campaign(
            by=self.sekda,
            slug="dinkes-asn",
            title="Dinkes ASN",
            text=TEXT,
            opens_on=dt.date(2024, 10, 1),
            closes_on=dt.date(2024, 10, 31),
            eligible_kinds=["pns", "pppk"],
            eligible_opds=[self.health],
            witness_bodies=[BAWASLU],
        )
        sign(campaign, self.clerk)
        progress = queries.progress(campaign)
        self.assertEqual((progress["eligible"], progress["signed"], progress["percent"]), (3, 1, 33.3))
        self.assertEqual(self.by_opd(progress), {"Dinas Kesehatan": (3, 1)})
        self.assertEqual(progress["by_kind"], [{"kind": "pns", "eligible": 3, "signed": 1}])

    def test_people_no_longer_in_service_are_not_counted(self) -> None:
        Employee.objects.filter(pk=self.teacher.pk).update(status=Employee.Status.PENSIUN)
        Employee.objects.filter(pk=self.clerk.employee_id).update(status=Employee.Status.CUTI)
        progress = queries.progress(self.campaign)
        self.assertEqual(progress["eligible"], 10)
        self.assertEqual(self.by_opd(progress)["Dinas Pendidikan"], (1, 0))
        self.assertEqual(self.by_opd(progress)["Dinas Kesehatan"], (4, 0))

    def test_an_empty_campaign_has_no_percentage_to_divide(self) -> None:
        empty = make_campaign("kosong", by=self.bkpsdm, eligible_kinds=["pppk"])
        self.assertEqual(queries.progress(empty)["eligible"], 0)
        self.assertEqual(queries.progress(empty)["percent"], 0.0)

    def test_the_counts_take_a_fixed_number_of_queries(self) -> None:
        sign(self.campaign, self.clerk)
        with self.assertNumQueries(4):
            queries.progress(self.campaign)
        for n in range(30):
            make_employee(self.health, f"Pegawai Tambahan {n}")
        with self.assertNumQueries(4):
            self.assertEqual(queries.progress(self.campaign)["eligible"], 41)

    def test_unsigned_employees_leaves_out_those_who_signed(self) -> None:
        def unsigned() -> list[str]:
            return [e.name for e in queries.unsigned_employees(self.campaign, self.health)]

        self.assertEqual(unsigned(), ["Kepala Dinkes", "Operator Dinkes", "Pelaksana Dinkes", "Tenaga Kontrak"])
        sign(self.campaign, self.clerk)
        sign(self.campaign, self.ptt)
        self.assertEqual(unsigned(), ["Kepala Dinkes", "Operator Dinkes"])
        sign(self.campaign, self.sekda)  # another OPD: changes nothing here
        self.assertEqual(unsigned(), ["Kepala Dinkes", "Operator Dinkes"])
        self.assertEqual(
            [e.name for e in queries.unsigned_employees(self.campaign, self.schools)],
            ["Guru Dindik", "Operator Dindik"],
        )

    def test_a_signature_in_another_campaign_does_not_count(self) -> None:
        other = make_campaign("lain", by=self.bkpsdm)
        sign(other, self.clerk)
        self.assertIn("Pelaksana Dinkes", [e.name for e in queries.unsigned_employees(self.campaign, self.health)])
        self.assertEqual(queries.progress(self.campaign)["signed"], 0)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class ReminderTests(NeutralityTestCase):
    def test_the_head_reminds_the_unsigned_of_their_opd(self) -> None:
        Employee.objects.filter(pk=self.clerk.employee_id).update(email="pelaksana@dinkes.kupang.go.id")
        sign(self.campaign, self.ptt)
        reminded = services.remind_unsigned(self.campaign, self.health, by=self.health_head)
        self.assertEqual(reminded, 3)
        notified = set(Notification.objects.values_list("user__username", flat=True))
        self.assertEqual(notified, {self.health_head.username, self.health_operator.username, self.clerk.username})
        notification = Notification.objects.get(user=self.clerk)
        self.assertIn(self.campaign.title, notification.title)
        self.assertEqual(notification.url, f"/deklarasi/{self.campaign.slug}/tandatangan/")
        self.assertIn("31 Oktober 2024", notification.body)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["pelaksana@dinkes.kupang.go.id"])
        self.assertIn(self.campaign.title, mail.outbox[0].subject)

    def test_those_who_signed_are_not_reminded(self) -> None:
        for user in (self.clerk, self.ptt, self.health_head, self.health_operator):
            sign(self.campaign, user)
        self.assertEqual(services.remind_unsigned(self.campaign, self.health, by=self.health_head), 0)
        self.assertEqual(Notification.objects.count(), 0)

    def test_the_head_may_remind_chosen_people_only(self) -> None:
        chosen = [self.clerk.employee_id, self.teacher.pk]  # the teacher is not of this OPD: ignored
        self.assertEqual(
            services.remind_unsigned(self.campaign, self.health, by=self.health_head, employee_ids=chosen), 1
        )
        self.assertEqual(list(Notification.objects.values_list("user", flat=True)), [self.clerk.pk])

    def test_people_without_an_account_are_not_counted_as_reminded(self) -> None:
        # The teacher has no account; the school operator has one.
        self.assertEqual(services.remind_unsigned(self.campaign, self.schools, by=self.school_operator), 1)

    def test_the_head_of_another_opd_is_refused(self) -> None:
        for user, opd in (
            (self.health_head, self.schools),
            (self.health_operator, self.schools),
            (self.school_operator, self.health),
        ):
            with self.subTest(user=user.full_name), self.assertRaises(ValidationError) as caught:
                services.remind_unsigned(self.campaign, opd, by=user)
            self.assertIn("hanya dapat mengingatkan pegawai OPD Anda sendiri", caught.exception.messages[0])
        self.assertEqual(Notification.objects.count(), 0)
        self.assertEqual(len(mail.outbox), 0)

    def test_staff_without_a_follow_up_role_are_refused(self) -> None:
        for user in (self.clerk, self.ptt, self.bkad, self.bappeda, self.witness):
            with self.subTest(user=user.full_name), self.assertRaises(ValidationError):
                services.remind_unsigned(self.campaign, self.health, by=user)
        self.assertEqual(Notification.objects.count(), 0)

    def test_citywide_roles_remind_any_opd(self) -> None:
        for user in (self.mayor, self.sekda, self.bkpsdm, self.inspector):
            with self.subTest(user=user.full_name):
                self.assertEqual(services.remind_unsigned(self.campaign, self.schools, by=user), 1)

    def test_follow_up_opds_per_role(self) -> None:
        everything = {self.setda, self.health, self.schools, self.inspectorate, self.personnel}
        for user in (self.mayor, self.sekda, self.bkpsdm, self.inspector):
            self.assertEqual(set(queries.follow_up_opds(user)), everything)
        self.assertEqual(set(queries.follow_up_opds(self.health_head)), {self.health})
        self.assertEqual(set(queries.follow_up_opds(self.health_operator)), {self.health})
        self.assertEqual(set(queries.follow_up_opds(self.school_operator)), {self.schools})
        for user in (self.clerk, self.ptt, self.bkad, self.bappeda, self.witness, None):
            self.assertEqual(set(queries.follow_up_opds(user)), set())


# --- who sees which signatures -----------------------------------------------------------------


class VisibilityTests(NeutralityTestCase):
    signers: ClassVar[tuple[str, ...]] = ("clerk", "ptt", "school_operator", "sekda", "mayor", "witness")

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ledger._load_private_key.cache_clear()
        for name in cls.signers:
            sign(cls.campaign, getattr(cls, name))

    def seen_by(self, user: object) -> set[str]:
        rows = queries.signatures_visible_to(user, self.campaign)
        return {User.objects.get(pk=pk).full_name for pk in rows.values_list("signer", flat=True)}

    def names(self, *attributes: str) -> set[str]:
        return {getattr(self, a).full_name for a in attributes}

    def test_citywide_roles_see_every_signature(self) -> None:
        for user in (self.mayor, self.sekda, self.bkpsdm, self.inspector):
            with self.subTest(user=user.full_name):
                self.assertEqual(self.seen_by(user), self.names(*self.signers))

    def test_opd_heads_and_operators_see_their_opd(self) -> None:
        self.assertEqual(self.seen_by(self.health_head), self.names("clerk", "ptt"))
        self.assertEqual(self.seen_by(self.health_operator), self.names("clerk", "ptt"))
        self.assertEqual(self.seen_by(self.school_operator), self.names("school_operator"))

    def test_everyone_else_sees_their_own_signature_only(self) -> None:
        self.assertEqual(self.seen_by(self.clerk), self.names("clerk"))
        self.assertEqual(self.seen_by(self.ptt), self.names("ptt"))
        self.assertEqual(self.seen_by(self.witness), self.names("witness"))
        self.assertEqual(self.seen_by(self.bkad), set())
        self.assertEqual(self.seen_by(self.bappeda), set())

    def test_anonymous_and_deactivated_users_see_nothing(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        self.assertEqual(self.seen_by(AnonymousUser()), set())
        self.assertEqual(self.seen_by(None), set())
        User.objects.filter(pk=self.bkpsdm.pk).update(is_active=False)
        self.assertEqual(self.seen_by(User.objects.get(pk=self.bkpsdm.pk)), set())

    def test_signatures_of_another_campaign_are_not_shown(self) -> None:
        other = make_campaign("lain", by=self.bkpsdm)
        self.assertEqual(set(queries.signatures_visible_to(self.bkpsdm, other)), set())

    def test_own_signature(self) -> None:
        self.assertEqual(queries.own_signature(self.clerk, self.campaign).signer, self.clerk)
        self.assertIsNone(queries.own_signature(self.bkad, self.campaign))
        self.assertIsNone(queries.own_signature(None, self.campaign))
