"""The handlers' pages under /kasus/, view by view: who may see the queue and open a case, every step
of the legal flow with its permission, messages and internal notes, assignment and its exclusions,
identifying the reported employee, the export package, attachments and recovery.

Handlers log in through the real login form, so the password unlocks their key and the key cookie
is set exactly as in a browser; the second factor is then marked passed in the session."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

from django.db import connection
from django.test import Client, RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from nacl.public import PrivateKey
from PIL import Image

from pamong.cases import handler_views, keyring, services
from pamong.cases.models import (
    Assignment,
    Attachment,
    Examiner,
    HandlerKey,
    Kind,
    Message,
    Outcome,
    RecoveryKey,
    Report,
    Stage,
    Track,
    Transition,
)
from pamong.core import ledger
from pamong.core.models import LedgerEntry
from pamong.core.testing import PASSWORD, CastMixin, login, make_employee, make_user
from pamong.organisation.identity import format_identity_number
from pamong.organisation.models import Position, Role, User

TODAY = dt.date(2024, 10, 17)
PRESSURE = {
    "what": "Kabid meminta saya mengumpulkan KTP untuk calon X.",
    "who": "Kabid Y",
    "pressure_form": "kumpul_dukungan",
}
BROKER = {
    "what": "Seseorang menjanjikan kelulusan PPPK.",
    "who": "Oknum Z",
    "selection": "pppk",
    "promise": "Lulus PPPK 2024",
    "amount": "50000000",
    "contact_method": "pesan",
}
NEUTRALITY = {
    "what": "Mengunggah foto bersama calon.",
    "who": "Staf Dinkes",
    "act": "foto_calon",
    "candidate": "Calon X",
}


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@override_settings(PAMONG_BUSINESS_DATE=TODAY.isoformat())
class HandlerCase(CastMixin, TestCase):
    """The cast, their case keys, a second inspector, and the Inspektorat's own head (who has a
    conflict with any report about the Inspektorat)."""

    keys: ClassVar[dict[int, PrivateKey]]
    inspector2: ClassVar[User]
    chief_inspector: ClassVar[User]
    auditor: ClassVar[Any]

    @classmethod
    def setUpClass(cls) -> None:
        key_dir = cls.enterClassContext(tempfile.TemporaryDirectory(prefix="pamong-cases-key-"))
        cls.enterClassContext(override_settings(PAMONG_LEDGER_KEY_FILE=Path(key_dir) / "ledger.pem"))
        ledger._load_private_key.cache_clear()
        cls.addClassCleanup(ledger._load_private_key.cache_clear)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        head_post = Position.objects.create(
            opd=cls.inspectorate, name="Inspektur", level="jpt_pratama", grade="II.b", is_head_of_opd=True
        )
        auditor_post = Position.objects.create(
            opd=cls.inspectorate, name="Auditor", level="fungsional", superior=head_post
        )
        cls.chief_inspector = make_user(
            make_employee(cls.inspectorate, "Inspektur Kota", position=head_post),
            roles=((Role.INSPEKTORAT, None),),
            totp=True,
        )
        cls.auditor = make_employee(cls.inspectorate, "Auditor Muda", position=auditor_post)
        cls.inspector2 = make_user(
            make_employee(cls.inspectorate, "Inspektur Pembantu Dua"), roles=((Role.INSPEKTORAT, None),), totp=True
        )
        cls.keys = {}
        for user in (cls.inspector, cls.inspector2, cls.chief_inspector, cls.bkpsdm, cls.mayor):
            key = keyring.key_for_password(user, PASSWORD)
            assert key is not None
            cls.keys[user.pk] = key

    # --- helpers ---------------------------------------------------------------------------------------

    def web_login(self, user: User) -> Client:
        """The password through the real login view (which unlocks the key and sets its cookie)."""
        client = Client()
        response = client.post(reverse("organisation:login"), {"username": user.username, "password": PASSWORD})
        self.assertEqual(response.status_code, 302)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    def submit(
        self,
        kind: str = Kind.TEKANAN,
        *,
        handlers: tuple[User, ...] | None = None,
        today: dt.date = TODAY,
        answers: dict[str, Any] | None = None,
        **extra: Any,
    ) -> Report:
        """A report handled by exactly ``handlers`` (the inspector unless told otherwise)."""
        answers = answers or {Kind.TEKANAN: PRESSURE, Kind.CALO: BROKER, Kind.NETRALITAS: NEUTRALITY}[kind]
        extra.setdefault("opd", self.health)
        report = services.submit_report(kind=kind, answers=answers, today=today, **extra).report
        wanted = list(handlers if handlers is not None else (self.inspector,))
        first = report.assignments.filter(role=Assignment.Role.PETUGAS).first()
        assert first is not None
        access = self.access(report, first.user)
        for user in wanted:
            if not report.assignments.filter(user=user).exists():
                services.assign(access, user, today=today)
        Assignment.objects.filter(report=report, role=Assignment.Role.PETUGAS).exclude(user__in=wanted).delete()
        return report

    def access(self, report: Report, user: User) -> services.HandlerAccess:
        return services.open_as_handler(report.pk, user, self.keys[user.pk])

    def to_stage(self, report: Report, stage: str, *, track: str = Track.DISIPLIN) -> Report:
        """Walk a report forward with the services, as the inspector."""
        access = self.access(report, self.inspector)
        if report.stage == Stage.DITERIMA:
            services.start_verification(access)
        if stage == Stage.VERIFIKASI:
            return access.report
        if access.report.reported_employee is None:
            services.identify(access, employee=self.clerk.employee, opd=None)
        services.begin_examination(access, Examiner.INSPEKTORAT)
        if stage == Stage.PEMERIKSAAN:
            return access.report
        services.recommend(
            access,
            track=track,
            discipline_sanction="teguran_tertulis" if track != Track.ETIK else "",
            ethics_sanction="tertutup" if track != Track.DISIPLIN else "",
            election_stage="sesudah_penetapan" if access.report.kind == Kind.NETRALITAS else "",
        )
        return access.report

    def case_url(self, report: Report) -> str:
        return reverse("cases:case", args=[report.pk])

    def step_url(self, report: Report, action: str) -> str:
        return reverse("cases:step", args=[report.pk, action])

    def stage_of(self, report: Report) -> str:
        return Report.objects.get(pk=report.pk).stage


class KeyCookieTests(HandlerCase):
    def test_a_private_key_holding_the_separator_byte_survives_the_cookie(self) -> None:
        # One key in eight holds a 0x7C ("|") byte; the cookie once split on the last one.
        key = PrivateKey(b"|" * 32)
        request = RequestFactory().get("/kasus/")
        request.user = self.inspector
        request.COOKIES[keyring.HANDLER_COOKIE] = keyring._seal_for_cookie(self.inspector, key)
        opened = keyring.private_key(request)
        self.assertIsNotNone(opened)
        self.assertEqual(bytes(opened), bytes(key))  # type: ignore[arg-type]


# --- the queue --------------------------------------------------------------------------------------------


class QueueTests(HandlerCase):
    def test_anonymous_visitor_is_sent_to_login(self) -> None:
        response = Client().get(reverse("cases:queue"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("organisation:login"), response["Location"])

    def test_employees_operators_opd_heads_and_others_get_404(self) -> None:
        for user in (self.clerk, self.ptt, self.health_operator, self.school_operator, self.health_head, self.sekda):
            with self.subTest(user=user.full_name):
                self.assertEqual(self.client_for(user).get(reverse("cases:queue")).status_code, 404)
                self.assertEqual(self.client_for(user).get(reverse("cases:recovery")).status_code, 404)

    def test_the_inspector_sees_every_report_but_opens_only_assigned_ones(self) -> None:
        mine = self.submit(handlers=(self.inspector,))
        theirs = self.submit(Kind.CALO, handlers=(self.inspector2,))
        client = self.web_login(self.inspector)
        response = client.get(reverse("cases:queue"))
        self.assertContains(response, mine.number)
        self.assertContains(response, theirs.number)
        self.assertContains(response, f'href="{self.case_url(mine)}"')
        self.assertNotContains(response, f'href="{self.case_url(theirs)}"')
        self.assertContains(response, "tidak ditugaskan")
        self.assertEqual(client.get(self.case_url(mine)).status_code, 200)
        self.assertEqual(client.get(self.case_url(theirs)).status_code, 404)

    def test_bkpsdm_sees_only_the_reports_assigned_to_them(self) -> None:
        assigned = self.submit(Kind.CALO, handlers=(self.inspector, self.bkpsdm))
        other = self.submit(Kind.CALO, handlers=(self.inspector,))
        response = self.web_login(self.bkpsdm).get(reverse("cases:queue"))
        self.assertContains(response, assigned.number)
        self.assertNotContains(response, other.number)
        self.assertNotContains(response, "tidak ditugaskan")

    def test_the_mayor_sees_the_pressure_reports_shared_with_them_first(self) -> None:
        broker = self.to_stage(self.submit(Kind.CALO), Stage.REKOMENDASI)
        pressure = self.submit(Kind.TEKANAN)
        unrelated = self.submit(Kind.CALO)
        content = self.web_login(self.mayor).get(reverse("cases:queue")).content.decode()
        self.assertIn(pressure.number, content)
        self.assertIn(broker.number, content)  # shared for the decision
        self.assertNotIn(unrelated.number, content)
        self.assertLess(content.index(pressure.number), content.index(broker.number))

    def test_the_filters_by_stage_kind_mine_and_overdue(self) -> None:
        late = self.submit(Kind.CALO, today=dt.date(2024, 10, 1), handlers=(self.inspector2,))
        verifying = self.to_stage(self.submit(Kind.TEKANAN), Stage.VERIFIKASI)
        fresh = self.submit(Kind.NETRALITAS)
        client = self.web_login(self.inspector)
        queue = reverse("cases:queue")

        def numbers(**query: str) -> set[str]:
            content = client.get(queue, query).content.decode()
            return {r.number for r in (late, verifying, fresh) if r.number in content}

        self.assertEqual(numbers(), {late.number, verifying.number, fresh.number})
        self.assertEqual(numbers(stage="verifikasi"), {verifying.number})
        self.assertEqual(numbers(kind="netralitas"), {fresh.number})
        self.assertEqual(numbers(mine="on"), {verifying.number, fresh.number})
        self.assertEqual(numbers(late="on"), {late.number})
        response = client.get(queue)
        self.assertContains(response, "<strong data-overdue>1</strong>", html=False)
        self.assertContains(response, "terlambat")

    def test_opening_the_queue_puts_new_intakes_in_the_ledger(self) -> None:
        report = self.submit()
        self.assertFalse(LedgerEntry.objects.filter(kind="cases.transition").exists())
        self.web_login(self.inspector).get(reverse("cases:queue"))
        intake = Transition.objects.get(report=report, from_stage="")
        self.assertTrue(LedgerEntry.objects.filter(kind="cases.transition", subject_id=str(intake.pk)).exists())
        self.assertFalse(Report.objects.get(pk=report.pk).awaiting_ledger)

    def test_the_statistics_hide_small_cells(self) -> None:
        self.submit()
        response = self.web_login(self.inspector).get(reverse("cases:queue"))
        self.assertContains(response, "&lt;5")

    def test_the_queue_costs_the_same_queries_for_more_rows(self) -> None:
        client = self.web_login(self.inspector)
        for _ in range(2):
            self.submit()
        client.get(reverse("cases:queue"))  # flush the intake entries first

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(client.get(reverse("cases:queue")).status_code, 200)
            return len(queries)

        few = count()
        for kind in (Kind.CALO, Kind.NETRALITAS, Kind.TEKANAN):
            self.submit(kind)
        client.get(reverse("cases:queue"))
        self.assertEqual(count(), few)

    def test_the_queue_is_paginated(self) -> None:
        for _ in range(3):
            self.submit()
        client = self.web_login(self.inspector)
        with mock.patch.object(handler_views, "PER_PAGE", 2):
            first = client.get(reverse("cases:queue"), {"stage": "diterima"})
            second = client.get(reverse("cases:queue"), {"stage": "diterima", "page": "2"})
        self.assertContains(first, "Halaman 1 dari 2")
        self.assertContains(first, "stage=diterima&amp;page=2")
        self.assertEqual(len(first.context["items"]), 2)
        self.assertEqual(len(second.context["items"]), 1)

    def test_a_flagged_superior_shows_in_the_queue(self) -> None:
        report = self.submit()
        Report.objects.filter(pk=report.pk).update(superior_flagged_on=TODAY)
        self.assertContains(self.web_login(self.inspector).get(reverse("cases:queue")), "PP 94/2021 Ps. 26/28")


# --- the case page ---------------------------------------------------------------------------------------------


class CasePageTests(HandlerCase):
    def test_the_assigned_inspector_reads_the_report_and_it_is_not_cached(self) -> None:
        report = self.submit(
            Kind.CALO,
            reporter=self.clerk,
            contact="WA 0812-0000-1111",
            reported_number="19800101 200501 1 001",
            files=[("bukti.png", png_bytes())],
        )
        response = self.web_login(self.inspector).get(self.case_url(report))
        self.assertContains(response, report.number)
        self.assertContains(response, "Seseorang menjanjikan kelulusan PPPK.")
        self.assertContains(response, "Rp 50.000.000")
        self.assertContains(response, "Pelaksana Dinkes")  # named reporter
        self.assertContains(response, "WA 0812-0000-1111")
        self.assertContains(response, "19800101 200501 1 001")
        file_row = Attachment.objects.get(report=report)
        self.assertContains(response, reverse("cases:attachment", args=[report.pk, file_row.pk]))
        self.assertIn("no-store", response["Cache-Control"])

    def test_an_anonymous_report_says_so(self) -> None:
        report = self.submit()
        self.assertContains(self.web_login(self.inspector).get(self.case_url(report)), "anonim")

    def test_unassigned_people_get_404_including_the_reported_opds_head(self) -> None:
        report = self.submit(opd=self.health)
        for user in (self.inspector2, self.bkpsdm, self.chief_inspector):
            with self.subTest(user=user.full_name):
                self.assertEqual(self.web_login(user).get(self.case_url(report)).status_code, 404)
        head = self.client_for(self.health_head)
        for url in (
            self.case_url(report),
            reverse("cases:export", args=[report.pk]),
            self.step_url(report, "verifikasi"),
        ):
            self.assertEqual(head.get(url).status_code, 404 if "langkah" not in url else 405)
        self.assertEqual(head.post(self.step_url(report, "verifikasi")).status_code, 404)
        self.assertEqual(self.stage_of(report), Stage.DITERIMA)

    def test_a_report_past_its_retention_stays_in_the_queue_but_opens_no_more(self) -> None:
        report = self.submit(files=[("a.png", png_bytes())])
        services.reject(self.access(report, self.inspector), reason="Di luar wewenang.")
        services.purge(report)
        client = self.web_login(self.inspector)
        self.assertEqual(client.get(self.case_url(report)).status_code, 404)
        self.assertEqual(client.get(reverse("cases:export", args=[report.pk])).status_code, 404)
        queue = client.get(reverse("cases:queue"), {"stage": "ditolak"})
        self.assertContains(queue, report.number)
        self.assertNotContains(queue, f'href="{self.case_url(report)}"')

    def test_a_report_that_does_not_exist_is_404(self) -> None:
        client = self.web_login(self.inspector)
        self.assertEqual(client.get("/kasus/00000000-0000-0000-0000-000000000000/").status_code, 404)

    def test_a_session_without_the_unlocked_key_gets_403_with_what_to_do(self) -> None:
        report = self.submit()
        response = login(Client(), self.inspector).get(self.case_url(report))  # no password typed: no key
        self.assertContains(response, "keluar lalu masuk lagi", status_code=403)
        self.assertContains(response, "Keluar sekarang", status_code=403)

    def test_a_report_shared_with_an_old_key_gets_403_asking_a_colleague(self) -> None:
        report = self.submit()
        keyring.key_for_password(self.inspector, "kata-sandi-lain-999")  # as if reset by an administrator
        response = self.web_login(self.inspector).get(self.case_url(report))
        self.assertContains(response, "Minta rekan petugas", status_code=403)

    def test_an_attachment_downloads_as_an_attachment(self) -> None:
        report = self.submit(files=[("foto ancaman.png", png_bytes())])
        row = Attachment.objects.get(report=report)
        response = self.web_login(self.inspector).get(reverse("cases:attachment", args=[report.pk, row.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Type"], "image/png")
        _meta, data = services.read_attachment(report, self.access(report, self.inspector).key, row.pk)
        self.assertEqual(response.content, data)

    def test_another_reports_attachment_is_404(self) -> None:
        report = self.submit(files=[("a.png", png_bytes())])
        other = self.submit()
        row = Attachment.objects.get(report=report)
        client = self.web_login(self.inspector)
        self.assertEqual(client.get(reverse("cases:attachment", args=[other.pk, row.pk])).status_code, 404)
        self.assertEqual(client.get(reverse("cases:attachment", args=[report.pk, row.pk + 999])).status_code, 404)

    def test_the_page_offers_only_the_steps_of_the_stage_and_role(self) -> None:
        report = self.submit()
        inspector = self.web_login(self.inspector).get(self.case_url(report))
        self.assertContains(inspector, self.step_url(report, "verifikasi"))
        self.assertContains(inspector, self.step_url(report, "tolak"))
        self.assertNotContains(inspector, self.step_url(report, "putus"))
        self.assertNotContains(inspector, self.step_url(report, "rekomendasi"))
        mayor = self.web_login(self.mayor).get(self.case_url(report))  # a pressure report: shared with the mayor
        self.assertEqual(mayor.status_code, 200)
        self.assertNotContains(mayor, self.step_url(report, "verifikasi"))


# --- the steps -------------------------------------------------------------------------------------------------


class StepTests(HandlerCase):
    def assert_stage(self, report: Report, stage: str) -> None:
        self.assertEqual(self.stage_of(report), stage)

    def assert_ledgered(self, report: Report) -> None:
        for transition in Transition.objects.filter(report=report).exclude(from_stage=""):
            self.assertTrue(
                LedgerEntry.objects.filter(kind="cases.transition", subject_id=str(transition.pk)).exists(),
                transition,
            )

    def test_the_whole_flow_through_the_web_each_step_by_its_holder(self) -> None:
        report = self.submit(Kind.NETRALITAS)
        inspector = self.web_login(self.inspector)
        response = inspector.post(self.step_url(report, "verifikasi"), follow=True)
        self.assertRedirects(response, self.case_url(report))
        self.assertContains(response, "masuk tahap verifikasi")
        self.assert_stage(report, Stage.VERIFIKASI)

        number = format_identity_number(self.clerk.employee.identity_number)
        inspector.post(reverse("cases:identify", args=[report.pk]), {"number": number, "opd": ""})
        self.assertEqual(Report.objects.get(pk=report.pk).reported_employee, self.clerk.employee)

        inspector.post(self.step_url(report, "periksa"), {"examiner": "inspektorat", "note": "Tim dibentuk."})
        self.assert_stage(report, Stage.PEMERIKSAAN)
        inspector.post(
            self.step_url(report, "rekomendasi"),
            {
                "track": "keduanya",
                "ethics_sanction": "terbuka",
                "discipline_sanction": "potong_tpp_6",
                "election_stage": "sebelum_penetapan",
                "note": "Terbukti mengunggah foto.",
            },
        )
        self.assert_stage(report, Stage.REKOMENDASI)

        mayor = self.web_login(self.mayor)
        page = mayor.get(self.case_url(report))
        self.assertContains(page, self.step_url(report, "putus"))
        response = mayor.post(self.step_url(report, "putus"), {"decision": "setujui", "note": "Laksanakan."})
        self.assertRedirects(response, self.case_url(report))
        decided = Report.objects.get(pk=report.pk)
        self.assertEqual(
            (decided.stage, decided.outcome, decided.ethics_sanction, decided.discipline_sanction),
            (Stage.DIPUTUS, Outcome.SANKSI, "terbuka", "potong_tpp_6"),
        )

        inspector.post(self.step_url(report, "tutup"), {"note": "SK hukuman disampaikan."})
        self.assert_stage(report, Stage.SELESAI)
        self.assert_ledgered(report)
        self.assertEqual(
            list(Transition.objects.filter(report=report).values_list("to_stage", flat=True)),
            ["diterima", "verifikasi", "pemeriksaan", "rekomendasi", "diputus", "selesai"],
        )
        history = inspector.get(self.case_url(report))
        self.assertContains(history, "Laksanakan.")  # the decision's note, decrypted for the handler
        self.assertContains(history, "Pemotongan TPP 25 persen selama 6 bulan")

    def test_the_inspector_cannot_decide(self) -> None:
        report = self.to_stage(self.submit(), Stage.REKOMENDASI)
        response = self.web_login(self.inspector).post(self.step_url(report, "putus"), {"decision": "setujui"})
        self.assertContains(response, "bukan wewenang peran Anda", status_code=403)
        self.assert_stage(report, Stage.REKOMENDASI)

    def test_the_mayor_cannot_take_the_handlers_steps(self) -> None:
        report = self.submit()  # pressure: the mayor holds it
        response = self.web_login(self.mayor).post(self.step_url(report, "verifikasi"))
        self.assertContains(response, "bukan wewenang peran Anda", status_code=403)
        self.assert_stage(report, Stage.DITERIMA)

    def test_a_step_out_of_order_says_so_and_changes_nothing(self) -> None:
        report = self.submit()
        before = Transition.objects.count()
        response = self.web_login(self.inspector).post(
            self.step_url(report, "rekomendasi"), {"track": "disiplin", "discipline_sanction": "teguran_lisan"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tidak ada yang diubah.")
        self.assertContains(response, "Tetapkan dulu pegawai terlapor")
        self.assert_stage(report, Stage.DITERIMA)
        self.assertEqual(Transition.objects.count(), before)

        self.to_stage(report, Stage.PEMERIKSAAN)
        response = self.web_login(self.inspector).post(self.step_url(report, "verifikasi"))
        self.assertContains(response, "sedang pada tahap Pemeriksaan")
        self.assert_stage(report, Stage.PEMERIKSAAN)

    def test_rejecting_needs_a_reason(self) -> None:
        report = self.submit()
        client = self.web_login(self.inspector)
        response = client.post(self.step_url(report, "tolak"), {"reason": "  "})
        self.assertContains(response, "Tuliskan alasannya")
        self.assert_stage(report, Stage.DITERIMA)
        client.post(self.step_url(report, "tolak"), {"reason": "Bukan wewenang Pemkot; laporkan ke SP4N-LAPOR!."})
        rejected = Report.objects.get(pk=report.pk)
        self.assertEqual((rejected.stage, rejected.outcome), (Stage.DITOLAK, Outcome.DITOLAK))
        self.assert_ledgered(report)

    def test_closing_from_examination_is_not_proven_and_needs_a_reason(self) -> None:
        report = self.to_stage(self.submit(), Stage.PEMERIKSAAN)
        client = self.web_login(self.inspector)
        self.assertContains(client.post(self.step_url(report, "tutup"), {"note": ""}), "Tuliskan alasannya")
        self.assert_stage(report, Stage.PEMERIKSAAN)
        client.post(self.step_url(report, "tutup"), {"note": "Saksi tidak menguatkan."})
        closed = Report.objects.get(pk=report.pk)
        self.assertEqual((closed.stage, closed.outcome), (Stage.SELESAI, Outcome.TIDAK_TERBUKTI))

    def test_a_recommendation_must_fit_its_track_and_a_neutrality_case_its_election_stage(self) -> None:
        report = self.to_stage(self.submit(Kind.NETRALITAS), Stage.PEMERIKSAAN)
        client = self.web_login(self.inspector)
        response = client.post(self.step_url(report, "rekomendasi"), {"track": "disiplin"})
        self.assertContains(response, "Pilih hukuman disiplin menurut PP 94/2021 Pasal 8.")
        self.assertContains(response, "sebelum atau sesudah penetapan calon")
        self.assert_stage(report, Stage.PEMERIKSAAN)
        # The discipline sanctions are grouped by level, as in Pasal 8.
        self.assertContains(response, '<optgroup label="Berat">', html=False)

    def test_the_mayor_returns_a_case_only_with_a_reason(self) -> None:
        report = self.to_stage(self.submit(), Stage.REKOMENDASI)
        mayor = self.web_login(self.mayor)
        response = mayor.post(self.step_url(report, "putus"), {"decision": "kembalikan", "note": ""})
        self.assertContains(response, "Tuliskan alasannya")
        self.assert_stage(report, Stage.REKOMENDASI)
        mayor.post(self.step_url(report, "putus"), {"decision": "kembalikan", "note": "Periksa saksi kedua."})
        self.assert_stage(report, Stage.PEMERIKSAAN)
        self.assertEqual(Transition.objects.filter(report=report).last().facts, {"returned": True})

    def test_the_mayor_may_impose_another_sanction_on_the_same_track(self) -> None:
        report = self.to_stage(self.submit(), Stage.REKOMENDASI)
        mayor = self.web_login(self.mayor)
        page = mayor.get(self.case_url(report))
        self.assertNotContains(page, 'name="ethics_sanction"')  # discipline track only
        mayor.post(self.step_url(report, "putus"), {"decision": "setujui", "discipline_sanction": "tidak_puas"})
        decided = Report.objects.get(pk=report.pk)
        self.assertEqual((decided.stage, decided.discipline_sanction), (Stage.DIPUTUS, "tidak_puas"))

    def test_a_decision_must_be_chosen(self) -> None:
        report = self.to_stage(self.submit(), Stage.REKOMENDASI)
        response = self.web_login(self.mayor).post(self.step_url(report, "putus"), {})
        self.assertContains(response, "Pilih: tetapkan sanksi atau kembalikan")
        self.assert_stage(report, Stage.REKOMENDASI)

    def test_forwarding_records_the_target_and_links_the_package(self) -> None:
        report = self.submit(Kind.CALO)
        client = self.web_login(self.inspector)
        self.assertContains(client.get(self.case_url(report)), reverse("cases:export", args=[report.pk]))
        page = client.post(
            self.step_url(report, "teruskan"), {"to": "polisi", "note": "Ada unsur pidana."}, follow=True
        )
        self.assertRedirects(page, self.case_url(report))
        forwarded = Report.objects.get(pk=report.pk)
        self.assertEqual((forwarded.stage, forwarded.forwarded_to), (Stage.DITERUSKAN, "polisi"))
        self.assertContains(page, "Unduh paket ekspornya")
        self.assertContains(page, reverse("cases:export", args=[report.pk]))

    def test_forwarding_needs_a_target(self) -> None:
        report = self.submit(Kind.CALO)
        response = self.web_login(self.inspector).post(self.step_url(report, "teruskan"), {"to": ""})
        self.assertContains(response, "Pilih tujuan: BKN, Bawaslu, atau Kepolisian.")
        self.assert_stage(report, Stage.DITERIMA)

    def test_an_unknown_step_is_404_and_a_get_is_refused(self) -> None:
        report = self.submit()
        client = self.web_login(self.inspector)
        self.assertEqual(client.post(self.step_url(report, "hapus")).status_code, 404)
        self.assertEqual(client.get(self.step_url(report, "verifikasi")).status_code, 405)
        self.assert_stage(report, Stage.DITERIMA)


# --- messages and notes -----------------------------------------------------------------------------------------


class MessageTests(HandlerCase):
    def test_a_message_reaches_the_reporter_and_a_note_does_not(self) -> None:
        report = self.submit()
        client = self.web_login(self.inspector)
        url = reverse("cases:message", args=[report.pk])
        response = client.post(url, {"body": "Terima kasih, kami sedang memeriksa."})
        self.assertRedirects(response, self.case_url(report) + "#percakapan")
        client.post(url, {"body": "Saksi kunci: Kasubag umum.", "internal": "on"})
        key = self.access(report, self.inspector).key
        for_reporter = [m.body for m in services.thread(report, key, internal=False)]
        self.assertEqual(for_reporter, ["Terima kasih, kami sedang memeriksa."])
        for_handlers = [(m.author, m.body) for m in services.thread(report, key, internal=True)]
        self.assertIn((Message.Author.CATATAN, "Saksi kunci: Kasubag umum."), for_handlers)
        page = client.get(self.case_url(report))
        self.assertContains(page, "Saksi kunci: Kasubag umum.")
        self.assertContains(page, "tidak dikirim ke pelapor")

    def test_a_message_may_carry_evidence(self) -> None:
        report = self.submit()
        upload = io.BytesIO(png_bytes())
        upload.name = "surat.png"
        self.web_login(self.inspector).post(
            reverse("cases:message", args=[report.pk]), {"body": "Mohon periksa surat ini.", "uploads": [upload]}
        )
        message = Message.objects.get(report=report)
        self.assertEqual(message.attachments.count(), 1)
        self.assertFalse(message.attachments.get().from_reporter)

    def test_an_empty_message_script_or_disguised_file_is_refused_with_nothing_saved(self) -> None:
        report = self.submit()
        client = self.web_login(self.inspector)
        url = reverse("cases:message", args=[report.pk])
        self.assertContains(client.post(url, {"body": ""}), "Tulis pesan atau lampirkan berkas.")
        self.assertContains(client.post(url, {"body": "<script>alert(1)</script>"}), "kode HTML atau skrip")
        fake = io.BytesIO(b"MZ\x90\x00 not really a photo")
        fake.name = "foto.jpg"
        response = client.post(url, {"body": "Lihat foto", "uploads": [fake]})
        self.assertContains(response, "foto.jpg")
        self.assertEqual(Message.objects.filter(report=report).count(), 0)
        self.assertEqual(Attachment.objects.filter(report=report).count(), 0)


# --- assignment and identification ----------------------------------------------------------------------------


class AssignmentTests(HandlerCase):
    def test_an_eligible_handler_is_assigned_and_can_open_the_case(self) -> None:
        report = self.submit(Kind.CALO)
        client = self.web_login(self.inspector)
        page = client.get(self.case_url(report))
        self.assertContains(page, f'<option value="{self.bkpsdm.pk}">', html=False)
        response = client.post(reverse("cases:assign", args=[report.pk]), {"user": self.bkpsdm.pk})
        self.assertRedirects(response, self.case_url(report) + "#petugas")
        self.assertTrue(Assignment.objects.filter(report=report, user=self.bkpsdm).exists())
        self.assertEqual(self.web_login(self.bkpsdm).get(self.case_url(report)).status_code, 200)

    def test_the_head_of_the_reported_opd_can_never_be_assigned(self) -> None:
        report = self.submit(opd=self.health)
        client = self.web_login(self.inspector)
        self.assertNotContains(client.get(self.case_url(report)), f'<option value="{self.health_head.pk}">')
        response = client.post(reverse("cases:assign", args=[report.pk]), {"user": self.health_head.pk})
        self.assertContains(response, "Hanya pegawai Inspektorat atau BKPSDM")
        self.assertFalse(Assignment.objects.filter(report=report, user=self.health_head).exists())
        self.assertEqual(self.client_for(self.health_head).get(self.case_url(report)).status_code, 404)

    def test_a_handler_in_the_chain_of_command_is_refused(self) -> None:
        report = self.submit(opd=self.inspectorate)
        client = self.web_login(self.inspector)
        self.assertNotContains(client.get(self.case_url(report)), f'<option value="{self.chief_inspector.pk}">')
        response = client.post(reverse("cases:assign", args=[report.pk]), {"user": self.chief_inspector.pk})
        self.assertContains(response, "tidak boleh menangani laporan ini (pimpinan OPD terlapor)")
        self.assertFalse(Assignment.objects.filter(report=report, user=self.chief_inspector).exists())

    def test_a_handler_without_a_key_must_log_in_once_first(self) -> None:
        newcomer = make_user(make_employee(self.inspectorate, "Auditor Baru"), roles=((Role.INSPEKTORAT, None),))
        report = self.submit()
        response = self.web_login(self.inspector).post(reverse("cases:assign", args=[report.pk]), {"user": newcomer.pk})
        self.assertContains(response, "belum punya kunci laporan")
        self.assertFalse(HandlerKey.objects.filter(user=newcomer).exists())

    def test_unassigning_a_colleague_and_never_the_last_handler(self) -> None:
        report = self.submit(handlers=(self.inspector, self.inspector2))
        client = self.web_login(self.inspector)
        url = reverse("cases:unassign", args=[report.pk])
        client.post(url, {"user": self.inspector2.pk})
        self.assertFalse(Assignment.objects.filter(report=report, user=self.inspector2).exists())
        response = client.post(url, {"user": self.inspector.pk})
        self.assertContains(response, "Tugaskan petugas lain dulu")
        self.assertTrue(Assignment.objects.filter(report=report, user=self.inspector).exists())

    def test_leaving_a_case_goes_back_to_the_queue(self) -> None:
        report = self.submit(handlers=(self.inspector, self.inspector2))
        client = self.web_login(self.inspector)
        response = client.post(reverse("cases:unassign", args=[report.pk]), {"user": self.inspector.pk})
        self.assertRedirects(response, reverse("cases:queue"))
        self.assertEqual(client.get(self.case_url(report)).status_code, 404)


class IdentifyTests(HandlerCase):
    def test_identifying_the_reported_employee_removes_a_conflicted_handler(self) -> None:
        report = self.submit(opd=self.health, handlers=(self.inspector, self.chief_inspector))
        client = self.web_login(self.inspector)
        response = client.post(
            reverse("cases:identify", args=[report.pk]),
            {"number": format_identity_number(self.auditor.identity_number), "opd": ""},
            follow=True,
        )
        self.assertContains(response, "Akses dicabut dari Inspektur Kota")
        identified = Report.objects.get(pk=report.pk)
        self.assertEqual((identified.reported_employee, identified.opd), (self.auditor, self.inspectorate))
        self.assertFalse(Assignment.objects.filter(report=report, user=self.chief_inspector).exists())
        self.assertEqual(self.web_login(self.chief_inspector).get(self.case_url(report)).status_code, 404)

    def test_an_unknown_number_or_nothing_at_all_is_refused(self) -> None:
        report = self.submit(opd=None)
        client = self.web_login(self.inspector)
        url = reverse("cases:identify", args=[report.pk])
        self.assertContains(client.post(url, {"number": "199001012015011999", "opd": ""}), "Tidak ada pegawai")
        self.assertContains(client.post(url, {"number": "", "opd": ""}), "pilih OPD-nya")
        self.assertIsNone(Report.objects.get(pk=report.pk).reported_employee)

    def test_only_the_opd_may_be_recorded(self) -> None:
        report = self.submit(opd=None)
        self.web_login(self.inspector).post(reverse("cases:identify", args=[report.pk]), {"opd": self.schools.pk})
        self.assertEqual(Report.objects.get(pk=report.pk).opd, self.schools)

    def test_a_handler_in_the_chain_cannot_identify_themself_into_it(self) -> None:
        report = self.submit(opd=self.health, handlers=(self.inspector, self.chief_inspector))
        response = self.web_login(self.chief_inspector).post(
            reverse("cases:identify", args=[report.pk]), {"number": self.auditor.identity_number}
        )
        self.assertContains(response, "Anda sendiri berada dalam garis komando terlapor")
        unchanged = Report.objects.get(pk=report.pk)
        self.assertEqual((unchanged.reported_employee, unchanged.opd), (None, self.health))
        self.assertTrue(Assignment.objects.filter(report=report, user=self.chief_inspector).exists())


# --- export --------------------------------------------------------------------------------------------------


class ExportTests(HandlerCase):
    def test_the_package_is_a_zip_with_the_report_and_the_evidence_but_no_internal_notes(self) -> None:
        report = self.submit(Kind.CALO, files=[("transfer.png", png_bytes())])
        access = self.access(report, self.inspector)
        services.post_message(access, "Pesan untuk pelapor.")
        services.post_message(access, "CATATAN-RAHASIA-INTERNAL", internal=True, files=[("memo.png", png_bytes())])
        response = self.web_login(self.inspector).get(reverse("cases:export", args=[report.pk]))
        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertIn("no-store", response["Cache-Control"])
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            names = archive.namelist()
            self.assertIn("laporan.json", names)
            evidence = [n for n in names if n.startswith("bukti/")]
            self.assertEqual(len(evidence), 1)  # the internal note's file stays out
            self.assertTrue(evidence[0].endswith(".png") and "transfer" in evidence[0])
            Image.open(io.BytesIO(archive.read(evidence[0]))).verify()
            summary = json.loads(archive.read("laporan.json"))
        self.assertEqual(summary["nomor"], report.number)
        self.assertIn("Pesan untuk pelapor.", json.dumps(summary))
        self.assertNotIn("CATATAN-RAHASIA-INTERNAL", json.dumps(summary))

    def test_people_not_assigned_cannot_export(self) -> None:
        report = self.submit()
        self.assertEqual(
            self.web_login(self.inspector2).get(reverse("cases:export", args=[report.pk])).status_code, 404
        )


# --- recovery ------------------------------------------------------------------------------------------------


class RecoveryTests(HandlerCase):
    def test_only_the_inspektorat_opens_the_recovery_page(self) -> None:
        for user in (self.bkpsdm, self.mayor):
            self.assertEqual(self.client_for(user).get(reverse("cases:recovery")).status_code, 404)
        self.assertEqual(self.client_for(self.inspector).get(reverse("cases:recovery")).status_code, 200)

    def test_a_new_key_is_shown_once_and_a_reload_does_not_replace_it(self) -> None:
        client = self.client_for(self.chief_inspector)
        page = client.get(reverse("cases:recovery"))
        nonce = page.context["nonce"]
        response = client.post(reverse("cases:recovery"), {"action": "buat", "nonce": nonce})
        text = response.context["created"]
        self.assertTrue(text)
        self.assertContains(response, text)
        self.assertContains(response, "brankas")
        self.assertIn("no-store", response["Cache-Control"])
        key = RecoveryKey.objects.get(active=True)
        self.assertEqual(key.created_by, self.chief_inspector)
        self.assertNotIn(text.encode(), bytes(key.public_key))
        again = client.post(reverse("cases:recovery"), {"action": "buat", "nonce": nonce})
        self.assertContains(again, "kunci tidak dibuat dua kali")
        self.assertNotContains(again, text)
        self.assertEqual(RecoveryKey.objects.count(), 1)
        self.assertNotContains(client.get(reverse("cases:recovery")), text)

    def test_the_recovery_key_restores_access_for_a_chosen_handler(self) -> None:
        text = services.create_recovery_key(self.chief_inspector)
        report = self.submit(Kind.CALO, opd=self.health)
        self.assertFalse(Assignment.objects.filter(report=report, user=self.bkpsdm).exists())
        client = self.client_for(self.inspector)
        response = client.post(
            reverse("cases:recovery"), {"action": "pulihkan", "text": text.lower(), "user": self.bkpsdm.pk}, follow=True
        )
        self.assertContains(response, "1 laporan kini dibagikan kepada Analis Kepegawaian")
        self.assertTrue(Assignment.objects.filter(report=report, user=self.bkpsdm).exists())
        self.assertEqual(self.web_login(self.bkpsdm).get(self.case_url(report)).status_code, 200)

    def test_a_mistyped_recovery_key_is_refused_in_words(self) -> None:
        services.create_recovery_key(self.chief_inspector)
        response = self.client_for(self.inspector).post(
            reverse("cases:recovery"), {"action": "pulihkan", "text": "bukan-kunci", "user": self.bkpsdm.pk}
        )
        self.assertContains(response, "Kunci pemulihan tidak sah")

    def test_a_reported_opds_head_is_not_offered_as_a_recipient(self) -> None:
        response = self.client_for(self.inspector).get(reverse("cases:recovery"))
        self.assertNotContains(response, f'<option value="{self.health_head.pk}">')
        self.assertContains(response, f'<option value="{self.bkpsdm.pk}">')
