"""The demo's 2024 declaration: officials and witnesses signed, a realistic share of staff, the
demo accounts left for visitors, the ledger whole, the same history for the same seed."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

from django.test import TestCase

from pamong.core import ledger
from pamong.core.models import Checkpoint, LedgerEntry
from pamong.neutrality import queries
from pamong.neutrality.demo import CAMPAIGN_SLUG, DECLARATION_TEXT
from pamong.neutrality.models import Campaign, Signature, text_sha256
from pamong.organisation.demo import build_demo_city, reset_demo_city
from pamong.organisation.models import Role

WITA = ZoneInfo("Asia/Makassar")
SEED = 17
SCALE = 0.05


def history() -> list[tuple[str, str, dt.datetime]]:
    return list(Signature.objects.order_by("identity_number").values_list("identity_number", "capacity", "signed_at"))


class DemoCampaignTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.out = StringIO()
        cls.summary = build_demo_city(seed=SEED, scale=SCALE, stdout=cls.out)
        cls.campaign = Campaign.objects.get(slug=CAMPAIGN_SLUG)

    def test_the_2024_campaign_is_there_with_its_window_and_witnesses(self) -> None:
        campaign = self.campaign
        self.assertEqual(campaign.title, "Deklarasi Komitmen Netralitas ASN dan PTT — Pilkada Serentak 2024")
        self.assertEqual((campaign.opens_on, campaign.closes_on), (dt.date(2024, 10, 17), dt.date(2024, 10, 31)))
        self.assertEqual(campaign.election_date, dt.date(2024, 11, 27))
        self.assertEqual(sorted(campaign.eligible_kinds), ["pns", "pppk", "ptt"])
        self.assertEqual(campaign.witness_bodies, ["KPU Kota Kupang", "Bawaslu Kota Kupang"])
        self.assertEqual(campaign.text_sha256, text_sha256(DECLARATION_TEXT))
        self.assertIn("Peraturan Pemerintah Nomor 94 Tahun 2021", campaign.legal_basis)
        self.assertIn("Pasal 71", campaign.legal_basis)
        self.assertIn("1447.1/PM.01/K.1/09/2022", campaign.legal_basis)
        numbered = [line for line in campaign.text.splitlines() if line[:2] in {f"{n}." for n in range(1, 10)}]
        self.assertTrue(5 <= len(numbered) <= 7)

    def test_officials_signed_first_and_witnesses_after_the_assembly(self) -> None:
        officials = {
            s.capacity: (s.witness_body, s.signed_at.astimezone(WITA).strftime("%H.%M"))
            for s in queries.official_signatures(self.campaign)
            if s.capacity != Signature.Capacity.SAKSI
        }
        self.assertEqual(officials, {"wali_kota": ("", "07.05"), "sekda": ("", "07.06")})
        witnesses = [
            (s.witness_body, s.signed_at.astimezone(WITA).strftime("%d/%m/%Y %H.%M"))
            for s in Signature.objects.filter(capacity=Signature.Capacity.SAKSI).order_by("signed_at")
        ]
        self.assertEqual(
            witnesses, [("KPU Kota Kupang", "17/10/2024 09.30"), ("Bawaslu Kota Kupang", "17/10/2024 09.32")]
        )

    def test_staff_signed_that_morning_between_0710_and_0830(self) -> None:
        staff = Signature.objects.filter(capacity=Signature.Capacity.PEGAWAI)
        self.assertTrue(staff.exists())
        start = dt.datetime(2024, 10, 17, 7, 10, tzinfo=WITA)
        end = dt.datetime(2024, 10, 17, 8, 30, tzinfo=WITA)
        self.assertFalse(staff.exclude(signed_at__range=(start, end)).exists())
        self.assertFalse(staff.filter(receipt_code="").exists())

    def test_about_three_in_five_have_signed_and_opd_differ(self) -> None:
        progress = queries.progress(self.campaign)
        self.assertTrue(50 <= progress["percent"] <= 75, progress["percent"])
        shares = [row["signed"] / row["eligible"] for row in progress["by_opd"] if row["eligible"] >= 8]
        self.assertLess(min(shares), 0.55)
        self.assertGreater(max(shares), 0.75)
        self.assertIn(f"{progress['signed']} dari {progress['eligible']} pegawai wajib", self.out.getvalue())

    def test_no_demo_account_but_the_officials_and_witnesses_has_signed(self) -> None:
        signing_roles = {Role.WALI_KOTA, Role.SEKDA, Role.SAKSI}
        others = [a.username for a in self.summary.accounts if a.role not in signing_roles]
        self.assertGreaterEqual(len(others), 8)
        self.assertFalse(Signature.objects.filter(signer__username__in=others).exists())
        signers = [a.username for a in self.summary.accounts if a.role in signing_roles]
        self.assertEqual(Signature.objects.filter(signer__username__in=signers).count(), 4)

    def test_every_signature_is_in_the_ledger_and_the_ledger_is_whole(self) -> None:
        signatures = list(Signature.objects.all())
        entries = {
            e.subject_id: e.receipt_code
            for e in LedgerEntry.objects.filter(kind="neutrality.signature").only("subject_id", "receipt_code")
        }
        self.assertEqual(len(entries), len(signatures))
        self.assertTrue(all(entries[str(s.pk)] == s.receipt_code for s in signatures))
        latest = Checkpoint.objects.order_by("-size").first()
        self.assertEqual(latest.size, ledger.ledger_size())
        self.assertEqual(latest.cosignatures.count(), 3)
        report = ledger.verify_ledger()
        self.assertTrue(report.ok, report.problems)

    def test_the_same_seed_gives_the_same_history_and_another_seed_another(self) -> None:
        before = history()
        reset_demo_city()
        self.assertFalse(Signature.objects.exists() or Campaign.objects.exists())
        build_demo_city(seed=SEED, scale=SCALE)
        self.assertEqual(history(), before)
        reset_demo_city()
        build_demo_city(seed=SEED + 1, scale=SCALE)
        self.assertNotEqual(history(), before)
