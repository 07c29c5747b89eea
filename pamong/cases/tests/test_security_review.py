"""A security review of the confidential reports (issue 5): each test is an attack that must fail."""

from __future__ import annotations

import json
from unittest import mock

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pamong.cases import keyring, services
from pamong.cases.models import Assignment, Kind, RecoveryKey
from pamong.cases.tests.test_handler_views import HandlerCase, png_bytes
from pamong.cases.tests.test_reporter_views import ReporterTestCase, answers


class CsrfTests(ReporterTestCase):
    """The uploads are csrf_exempt on the outside so the upload handler can be set first; the inner
    csrf_protect must still refuse a forged form."""

    def test_a_forged_report_without_the_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.get("/lapor/kirim/?jenis=tekanan")
        response = client.post("/lapor/kirim/", answers(Kind.TEKANAN))
        self.assertEqual(response.status_code, 403)
        self.assert_nothing_saved()

    def test_a_forged_reply_without_the_token_is_refused(self) -> None:
        report, code = self.report_through_the_form(self.anonymous)
        client = Client(enforce_csrf_checks=True)
        page = client.get("/lapor/lihat/")
        token = page.context["csrf_token"]
        self.assertEqual(
            client.post("/lapor/lihat/", {"kode": code, "csrfmiddlewaretoken": str(token)}).status_code, 302
        )
        response = client.post("/lapor/kasus/balas/", {"body": "palsu"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(report.messages.exists())


class HandlerApiCsrfTests(HandlerCase):
    def test_a_session_post_to_the_handler_api_needs_the_token(self) -> None:
        report = self.submit()
        client = self.web_login(self.inspector)
        client.handler.enforce_csrf_checks = True
        response = client.post(
            f"/api/v1/cases/{report.pk}/messages",
            json.dumps({"body": "palsu"}),
            content_type="application/json",
        )
        self.assertIn(response.status_code, (401, 403))
        self.assertFalse(report.messages.exists())


class LogoutTests(HandlerCase):
    def test_logging_out_deletes_the_key_cookie(self) -> None:
        client = self.web_login(self.inspector)
        self.assertTrue(client.cookies[keyring.HANDLER_COOKIE].value)
        response = client.post(reverse("organisation:logout"))
        self.assertEqual(response.cookies[keyring.HANDLER_COOKIE].value, "")


class RecoveryTests(HandlerCase):
    def test_a_conflicted_inspector_cannot_recover_a_report_about_himself(self) -> None:
        text = services.create_recovery_key(self.chief_inspector)
        report = self.submit(opd=self.inspectorate)
        services.recover_access(text, for_user=self.chief_inspector)
        self.assertFalse(Assignment.objects.filter(report=report, user=self.chief_inspector).exists())

    def test_an_inspector_who_is_not_the_head_cannot_make_a_recovery_key_to_read_other_cases(self) -> None:
        """The recovery key is the Inspektur's: whoever holds its text can share any report with anyone.
        An auditor who could make a new one would read every report after it, assigned or not."""
        services.create_recovery_key(self.chief_inspector)
        client = self.web_login(self.inspector)
        nonce = client.get(reverse("cases:recovery")).context["nonce"]
        response = client.post(reverse("cases:recovery"), {"action": "buat", "nonce": nonce})
        self.assertFalse(response.context and response.context.get("created"))
        self.assertEqual(RecoveryKey.objects.get(active=True).created_by, self.chief_inspector)
        with self.assertRaises(PermissionDenied):
            services.create_recovery_key(self.inspector)
        report = self.submit(handlers=(self.inspector2,))
        self.assertEqual(client.get(self.case_url(report)).status_code, 404)


class QueueConflictTests(HandlerCase):
    """Inspektorat sees the whole queue's metadata to share out work, but not the reports it may never
    handle: a row with a date, a kind and the OPD tells the reported Inspektur that he was reported, and when."""

    def test_the_reported_inspektur_does_not_find_the_report_in_his_queue(self) -> None:
        assert self.chief_inspector.employee is not None
        about_him = self.submit(opd=None, reported_number=self.chief_inspector.employee.identity_number)
        about_his_office = self.submit(Kind.CALO, opd=self.inspectorate)
        about_his_auditor = self.submit(Kind.NETRALITAS, opd=None, reported_number=self.auditor.identity_number)
        elsewhere = self.submit(Kind.CALO, opd=self.health)
        for report in (about_him, about_his_office, about_his_auditor):
            self.assertIsNotNone(services.conflict_of(report, self.chief_inspector))
        page = self.client_for(self.chief_inspector).get(reverse("cases:queue"))
        for report in (about_him, about_his_office, about_his_auditor):
            self.assertNotContains(page, report.number)
        self.assertContains(page, elsewhere.number)
        listed = {row.number for row in services.queue(self.chief_inspector)}
        self.assertEqual(listed, {elsewhere.number})
        # A colleague without a conflict still sees them all, to share them out.
        self.assertEqual(len(services.queue(self.inspector2)), 4)


class HandlerUploadTests(HandlerCase):
    def test_a_forged_message_without_the_token_is_refused(self) -> None:
        report = self.submit()
        client = self.web_login(self.inspector)
        client.handler.enforce_csrf_checks = True
        response = client.post(reverse("cases:message", args=[report.pk]), {"body": "palsu"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(report.messages.exists())

    def test_a_handlers_evidence_never_reaches_a_temporary_file(self) -> None:
        report = self.submit()
        client = self.web_login(self.inspector)
        big = SimpleUploadedFile("foto.png", png_bytes() + b"\0" * (3 * 1024 * 1024), content_type="image/png")
        with mock.patch("django.core.files.uploadhandler.TemporaryUploadedFile") as temporary:
            client.post(reverse("cases:message", args=[report.pk]), {"body": "Bukti foto", "uploads": [big]})
        temporary.assert_not_called()
        self.assertEqual(report.messages.count(), 1)
