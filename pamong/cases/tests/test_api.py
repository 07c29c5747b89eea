"""The reports API: anonymous intake, follow-up by receipt in a header, and the handlers' endpoints."""

import base64
import io
import json
import logging
import time

from django.apps import apps
from django.core.cache import cache
from django.test import TestCase
from PIL import Image

from pamong.cases import api, crypto, keyring, services
from pamong.cases.models import Assignment, Attachment, Message, Report, Stage, Transition
from pamong.core.testing import PASSWORD, CastMixin, make_employee, make_user
from pamong.organisation.models import Role
from pamong.organisation.tests.test_auth import current_code

INTAKE = "/api/v1/reports"
STATUS = "/api/v1/reports/status"
REPLY = "/api/v1/reports/messages"


def png(color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(out, "PNG")
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def database_bytes() -> bytes:
    """Every value of every row of every table, as a dump would hold it."""
    chunks: list[bytes] = []
    for model in apps.get_models(include_auto_created=True):
        for row in model.objects.values_list():
            for value in row:
                if isinstance(value, bytes | memoryview):
                    chunks.append(bytes(value))
                elif value is not None:
                    chunks.append(str(value).encode())
    return b"\n".join(chunks)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.getMessage()} {record.__dict__}")


class ReportApiTestCase(CastMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_cast()
        # Handlers hold keys once they have logged in; intake shares each report with them.
        for user in (cls.inspector, cls.bkpsdm, cls.mayor):
            keyring.key_for_password(user, PASSWORD)

    def intake(self, kind: str = "integritas", answers: dict | None = None, **extra):
        meta = {key: extra.pop(key) for key in list(extra) if key.isupper()}
        body = {"kind": kind, "answers": answers or {"what": "Pungutan liar di loket MARKER-FAKTA"}, **extra}
        return self.client.post(INTAKE, body, content_type="application/json", **meta)

    def submit(self, **extra) -> dict:
        response = self.intake(**extra)
        self.assertEqual(response.status_code, 201, response.content)
        return response.json()

    def status(self, code: str | None):
        headers = {"X-Receipt": code} if code is not None else {}
        return self.client.get(STATUS, headers=headers)

    def handler(self, report: Report, user=None) -> services.HandlerAccess:
        user = user or self.inspector
        return services.open_as_handler(report.pk, user, keyring.key_for_password(user, PASSWORD))


class IntakeTests(ReportApiTestCase):
    def test_it_returns_a_receipt_of_80_bits_that_is_stored_nowhere_in_clear(self) -> None:
        body = self.submit()
        code = body["receipt"]
        cleaned = crypto.normalise_receipt(code)
        self.assertEqual(len(cleaned), 22)  # 22 base-32 characters: 110 bits, 80 of them never stored
        self.assertEqual(body["stage"], {"code": "diterima", "label": "Diterima"})
        self.assertNotIn(code, body["status_url"])
        report = Report.objects.get(number=body["number"])
        secret = cleaned[crypto.LOCATOR_CHARS :]
        for value in Report.objects.filter(pk=report.pk).values_list().get():
            raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
            self.assertNotIn(secret.encode(), raw)
            self.assertNotIn(code.encode(), raw)
        dump = database_bytes()
        self.assertNotIn(secret.encode(), dump)
        self.assertNotIn(b"MARKER-FAKTA", dump)
        # The receipt opens the report.
        self.assertEqual(services.open_with_receipt(code).report, report)

    def test_it_keeps_no_address_or_browser_of_the_reporter(self) -> None:
        collected = _Collect()
        loggers = [logging.getLogger(name) for name in ("", "django.request", "django.security", "axes")]
        levels = [logger.level for logger in loggers]
        for logger in loggers:
            logger.addHandler(collected)
            logger.setLevel(logging.DEBUG)
        try:
            self.submit(
                answers={"what": "Ditawari lulus PPPK"},
                REMOTE_ADDR="203.0.113.77",
                HTTP_USER_AGENT="PenandaPeramban/7.31 (marker-ua)",
                HTTP_X_FORWARDED_FOR="203.0.113.78",
            )
            self.intake(answers={}, REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="PenandaPeramban/7.31 (marker-ua)")
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.removeHandler(collected)
                logger.setLevel(level)
        dump = database_bytes()
        logs = "\n".join(collected.lines)
        for marker in ("203.0.113.77", "203.0.113.78", "PenandaPeramban", "marker-ua"):
            self.assertNotIn(marker.encode(), dump)
            self.assertNotIn(marker, logs)

    def test_it_shares_the_report_with_the_inspectorate_at_once(self) -> None:
        body = self.submit(opd_code="dinkes", contact="Telepon umum MARKER-KONTAK")
        report = Report.objects.get(number=body["number"])
        self.assertEqual(report.opd, self.health)
        self.assertEqual(set(report.assignments.values_list("user", flat=True)), {self.inspector.pk})
        self.assertNotIn(b"MARKER-KONTAK", database_bytes())

    def test_a_pressure_report_reaches_the_mayor_unless_he_is_involved(self) -> None:
        answers = {"what": "Diminta ikut kampanye", "who": "Kabid", "pressure_form": "wajib_hadir"}
        shared = Report.objects.get(number=self.submit(kind="tekanan", answers=answers)["number"])
        self.assertTrue(shared.assignments.filter(user=self.mayor, role=Assignment.Role.PPK).exists())
        kept = self.submit(kind="tekanan", answers=answers, keep_from_mayor=True)
        self.assertFalse(Assignment.objects.filter(report__number=kept["number"], user=self.mayor).exists())

    def test_it_accepts_evidence_in_base64(self) -> None:
        body = self.submit(attachments=[{"name": "bukti.png", "content_base64": b64(png())}])
        report = Report.objects.get(number=body["number"])
        self.assertEqual(report.attachments.count(), 1)

    def assertRefused(self, response, field: str, words: str) -> None:
        self.assertEqual(response.status_code, 422, response.content)
        body = response.json()
        self.assertIn("periksa isian", body["detail"])
        messages = {e["field"]: e["message"] for e in body["errors"]}
        self.assertIn(field, messages, messages)
        self.assertIn(words, messages[field])
        self.assertEqual(Report.objects.count(), 0)
        self.assertEqual(Attachment.objects.count(), 0)

    def test_missing_facts_are_named_in_indonesian(self) -> None:
        response = self.intake(kind="tekanan", answers={"what": "Saya ditekan"})
        self.assertRefused(response, "answers.who", "wajib diisi")
        self.assertIn("answers.pressure_form", {e["field"] for e in response.json()["errors"]})

    def test_an_unknown_kind_is_refused(self) -> None:
        self.assertRefused(self.intake(kind="gosip"), "kind", "Pilih jenis laporan")

    def test_script_in_a_text_field_is_refused(self) -> None:
        response = self.intake(answers={"what": "Lihat <script>alert(1)</script>"})
        self.assertRefused(response, "answers.what", "skrip")

    def test_an_unknown_opd_is_refused(self) -> None:
        self.assertRefused(self.intake(opd_code="tidak-ada"), "opd_code", "Tidak ada OPD")

    def test_a_file_that_is_not_base64_is_refused(self) -> None:
        response = self.intake(attachments=[{"name": "a.png", "content_base64": "bukan base64!!"}])
        self.assertRefused(response, "attachments.0.content_base64", "base64")

    def test_a_disguised_file_is_refused(self) -> None:
        fake = b"MZ\x90\x00\x03\x00\x00\x00 program Windows, bukan foto"
        response = self.intake(attachments=[{"name": "foto.jpg", "content_base64": b64(fake)}])
        self.assertRefused(response, "attachments", "foto.jpg")

    def test_too_many_files_are_refused(self) -> None:
        files = [{"name": f"{i}.png", "content_base64": b64(png())} for i in range(services.MAX_FILES + 1)]
        self.assertRefused(self.intake(attachments=files), "attachments", "Paling banyak 5 berkas")

    def test_a_body_that_is_not_json_gets_an_indonesian_400(self) -> None:
        response = self.client.post(INTAKE, "{bukan json", content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["detail"], "Isi permintaan bukan JSON yang sah.")
        self.assertEqual(Report.objects.count(), 0)

    def test_a_body_over_the_upload_limit_gets_an_indonesian_413(self) -> None:
        big = {"kind": "integritas", "answers": {"what": "x" * (3 * 1024 * 1024)}}
        response = self.client.post(INTAKE, json.dumps(big), content_type="application/json")
        self.assertEqual(response.status_code, 413)
        self.assertIn("terlalu besar", response.json()["detail"])
        self.assertEqual(Report.objects.count(), 0)

    def test_intake_is_limited_for_everyone_together(self) -> None:
        throttle = api.INTAKE_THROTTLE
        cache.set(throttle.get_cache_key(None), [time.time()] * (throttle.num_requests - 1), throttle.duration)
        self.submit(REMOTE_ADDR="198.51.100.1")
        # Another address gets no budget of its own: the limit is shared.
        response = self.intake(REMOTE_ADDR="198.51.100.2")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Terlalu banyak permintaan", response.json()["detail"])
        self.assertEqual(Report.objects.count(), 1)

    def test_the_throttle_reads_the_settings_format(self) -> None:
        # settings.py writes rates as django-ratelimit does ("30/m"); ninja reads the same strings.
        self.assertEqual(
            (api.GlobalRateThrottle("x", "30/m").num_requests, api.GlobalRateThrottle("x", "30/m").duration), (30, 60)
        )
        self.assertEqual(api.GlobalRateThrottle("x", "120/min").parse_rate("2/5m"), (2, 300))


class FollowUpTests(ReportApiTestCase):
    def setUp(self) -> None:
        body = self.submit(answers={"what": "Diminta setor uang untuk lulus"})
        self.code = body["receipt"]
        self.report = Report.objects.get(number=body["number"])

    def test_the_receipt_shows_the_status_and_the_handlers_messages_only(self) -> None:
        access = self.handler(self.report)
        services.start_verification(access)
        services.post_message(access, "Terima kasih, laporan Anda kami periksa.")
        services.post_message(access, "Catatan: cek daftar hadir MARKER-INTERNAL", internal=True)
        response = self.status(self.code)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["number"], self.report.number)
        self.assertEqual(body["kind"]["code"], "integritas")
        self.assertEqual(body["stage"], {"code": "verifikasi", "label": "Verifikasi"})
        self.assertEqual([step["stage"]["code"] for step in body["history"]], ["diterima", "verifikasi"])
        self.assertEqual(set(body["history"][0]), {"stage", "on", "reason"})
        self.assertEqual(
            [(m["author_label"], m["body"]) for m in body["messages"]],
            [("Petugas", "Terima kasih, laporan Anda kami periksa.")],
        )
        self.assertNotIn("MARKER-INTERNAL", response.content.decode())
        self.assertNotIn(self.inspector.full_name, response.content.decode())
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_the_reason_of_a_rejection_is_shown_to_the_reporter(self) -> None:
        services.reject(self.handler(self.report), reason="Bukan wewenang Pemda; laporkan ke Bawaslu.")
        body = self.status(self.code).json()
        self.assertEqual(body["history"][-1]["reason"], "Bukan wewenang Pemda; laporkan ke Bawaslu.")

    def test_the_code_may_be_typed_in_lower_case_without_dashes(self) -> None:
        self.assertEqual(self.status(crypto.normalise_receipt(self.code).lower()).status_code, 200)

    def test_without_the_header_it_is_401(self) -> None:
        response = self.status(None)
        self.assertEqual(response.status_code, 401)
        self.assertIn("X-Receipt", response.json()["detail"])
        # A code in the address is ignored, never read.
        self.assertEqual(self.client.get(STATUS, {"receipt": self.code}).status_code, 401)

    def test_a_wrong_code_is_refused(self) -> None:
        wrong = self.code[:-1] + ("A" if self.code[-1] != "A" else "B")
        response = self.status(wrong)
        self.assertEqual(response.status_code, 403)
        self.assertIn("tidak dikenali", response.json()["detail"])
        self.assertEqual(self.status("bukan-kode").status_code, 403)
        self.report.refresh_from_db()
        self.assertEqual(self.report.receipt_failures, 1)

    def test_repeated_wrong_codes_lock_the_receipt(self) -> None:
        wrong = self.code[:-1] + ("A" if self.code[-1] != "A" else "B")
        for _ in range(services.RECEIPT_SLOW_AFTER):
            self.assertEqual(self.status(wrong).status_code, 403)
        response = self.status(self.code)  # even the right code waits now
        self.assertEqual(response.status_code, 429)
        self.assertIn("Tunggu", response.json()["detail"])
        Report.objects.filter(pk=self.report.pk).update(receipt_locked_until=None)
        self.assertEqual(self.status(self.code).status_code, 200)

    def test_receipt_checks_are_limited_for_everyone_before_any_work(self) -> None:
        throttle = api.RECEIPT_THROTTLE
        cache.set(throttle.get_cache_key(None), [time.time()] * throttle.num_requests, throttle.duration)
        wrong = self.code[:-1] + ("A" if self.code[-1] != "A" else "B")
        self.assertEqual(self.status(wrong).status_code, 429)
        self.report.refresh_from_db()
        self.assertEqual(self.report.receipt_failures, 0)  # never checked

    def test_a_reply_reaches_the_handlers(self) -> None:
        response = self.client.post(
            REPLY,
            {
                "body": "Saya punya foto kuitansinya.",
                "attachments": [{"name": "kuitansi.png", "content_base64": b64(png())}],
            },
            content_type="application/json",
            headers={"X-Receipt": self.code},
        )
        self.assertEqual(response.status_code, 201, response.content)
        access = self.handler(self.report)
        thread = services.thread(self.report, access.key, internal=True)
        self.assertEqual([(m.author, m.body) for m in thread], [("pelapor", "Saya punya foto kuitansinya.")])
        self.assertEqual(len(thread[0].attachments), 1)
        self.assertTrue(Attachment.objects.get(message_id=thread[0].id).from_reporter)

    def test_an_empty_reply_is_refused(self) -> None:
        response = self.client.post(
            REPLY, {"body": ""}, content_type="application/json", headers={"X-Receipt": self.code}
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("Tulis pesan", response.json()["errors"][0]["message"])
        self.assertFalse(Message.objects.exists())
        refused = self.client.post(REPLY, {"body": "Halo"}, content_type="application/json")
        self.assertEqual(refused.status_code, 401)

    def test_the_reporter_downloads_the_handlers_files_but_not_those_of_internal_notes(self) -> None:
        access = self.handler(self.report)
        shared = services.post_message(access, "Mohon cek formulir ini.", files=[("formulir.png", png("blue"))])
        internal = services.post_message(access, "Foto lapangan", internal=True, files=[("lapangan.png", png())])
        shared_file = Attachment.objects.get(message=shared)
        internal_file = Attachment.objects.get(message=internal)
        headers = {"X-Receipt": self.code}
        ok = self.client.get(f"/api/v1/reports/files/{shared_file.pk}", headers=headers)
        self.assertEqual(ok.status_code, 200)
        self.assertTrue(ok.content.startswith(b"\x89PNG"))
        hidden = self.client.get(f"/api/v1/reports/files/{internal_file.pk}", headers=headers)
        self.assertEqual(hidden.status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/reports/files/{shared_file.pk}").status_code, 401)


class HandlerApiTests(ReportApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A BKPSDM analyst who is also secretary of the health office: in its leadership.
        cls.conflicted = make_user(
            make_employee(cls.health, "Sekretaris Dinkes", position=cls.health_secretary_post),
            roles=((Role.BKPSDM, None),),
            totp=True,
        )
        keyring.key_for_password(cls.conflicted, PASSWORD)

    def setUp(self) -> None:
        body = self.submit(opd_code="dinkes", answers={"what": "Kepala seksi minta setoran MARKER-KASUS"})
        self.report = Report.objects.get(number=body["number"])

    def token_for(self, user) -> str:
        extra = {}
        device = user.totpdevice_set.filter(confirmed=True).first()
        if device is not None:
            extra["otp_token"] = current_code(device)
        response = self.client.post(
            "/api/v1/auth/token",
            {"identity_number": user.username, "password": PASSWORD, **extra},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()["token"]

    def call(self, method: str, url: str, token: str, data: dict | None = None):
        send = getattr(self.client, method)
        headers = {"Authorization": f"Bearer {token}"}
        if data is None:
            return send(url, headers=headers)
        return send(url, data, content_type="application/json", headers=headers)

    def step(self, token: str, action: str, **fields):
        return self.call("post", f"/api/v1/cases/{self.report.pk}/transitions", token, {"action": action, **fields})

    def test_an_assigned_handler_lists_and_opens_the_case(self) -> None:
        services.post_message(self.handler(self.report), "Periksa absensi", internal=True, files=[("absen.png", png())])
        token = self.token_for(self.inspector)
        queue = self.call("get", "/api/v1/cases", token).json()
        self.assertEqual(queue["count"], 1)
        row = queue["items"][0]
        self.assertEqual(
            (row["number"], row["assigned_to_me"], row["opd"]), (self.report.number, True, "Dinas Kesehatan")
        )
        self.assertNotIn("MARKER-KASUS", str(queue))  # the queue holds metadata only
        case = self.call("get", f"/api/v1/cases/{self.report.pk}", token)
        self.assertEqual(case.status_code, 200, case.content)
        body = case.json()
        self.assertEqual(body["facts"][0]["value"], "Kepala seksi minta setoran MARKER-KASUS")
        self.assertEqual([(m["internal"], m["by_name"]) for m in body["messages"]], [(True, "Inspektur Pembantu")])
        self.assertIsNone(body["reporter"])
        self.assertEqual([a["username"] for a in body["assignments"]], [self.inspector.username])
        file_id = body["messages"][0]["attachments"][0]["id"]
        download = self.call("get", f"/api/v1/cases/{self.report.pk}/files/{file_id}", token)
        self.assertEqual((download.status_code, download["Content-Type"]), (200, "image/png"))
        self.assertEqual(self.call("get", f"/api/v1/cases/{self.report.pk}/files/999999", token).status_code, 404)

    def test_opening_the_queue_puts_received_reports_in_the_ledger(self) -> None:
        self.assertTrue(Report.objects.get(pk=self.report.pk).awaiting_ledger)
        self.call("get", "/api/v1/cases", self.token_for(self.inspector))
        self.assertFalse(Report.objects.get(pk=self.report.pk).awaiting_ledger)

    def test_a_handler_not_assigned_gets_404(self) -> None:
        token = self.token_for(self.bkpsdm)
        response = self.call("get", f"/api/v1/cases/{self.report.pk}", token)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["detail"], "Laporan tidak ditemukan.")
        self.assertEqual(self.call("get", "/api/v1/cases", token).json()["count"], 0)
        self.assertEqual(self.step(token, "verifikasi").status_code, 404)

    def test_a_plain_employee_gets_404(self) -> None:
        token = self.token_for(self.clerk)
        self.assertEqual(self.call("get", "/api/v1/cases", token).status_code, 404)
        self.assertEqual(self.call("get", f"/api/v1/cases/{self.report.pk}", token).status_code, 404)

    def test_without_a_token_the_case_endpoints_are_401(self) -> None:
        self.assertEqual(self.client.get("/api/v1/cases").status_code, 401)
        self.assertEqual(self.client.get(f"/api/v1/cases/{self.report.pk}").status_code, 401)

    def test_a_session_without_the_unlocked_key_gets_403(self) -> None:
        client = self.client_for(self.inspector)  # logged in without typing the password: no key cookie
        response = client.get(f"/api/v1/cases/{self.report.pk}")
        self.assertEqual(response.status_code, 403)
        self.assertIn("Kunci Anda belum terbuka", response.json()["detail"])

    def test_the_case_runs_in_order_to_the_mayors_decision(self) -> None:
        inspector = self.token_for(self.inspector)
        for action, fields in (("periksa", {"examiner": "inspektorat"}), ("tutup", {})):
            out_of_order = self.step(inspector, action, **fields)
            self.assertEqual(out_of_order.status_code, 422)
            self.assertIn("tidak bisa dilakukan sekarang", out_of_order.json()["errors"][0]["message"])
        self.assertEqual(self.step(inspector, "loncat").status_code, 422)
        self.assertEqual(self.step(inspector, "verifikasi").json()["stage"]["code"], "verifikasi")
        missing = self.step(inspector, "periksa")
        self.assertEqual(missing.status_code, 422)
        self.assertEqual(missing.json()["errors"][0]["field"], "examiner")
        self.assertEqual(self.step(inspector, "periksa", examiner="inspektorat").status_code, 201)
        reported = self.call(
            "put",
            f"/api/v1/cases/{self.report.pk}/reported",
            inspector,
            {"identity_number": self.clerk.employee.identity_number},
        )
        self.assertEqual(reported.status_code, 200, reported.content)
        self.assertEqual(reported.json()["reported_employee"]["name"], "Pelaksana Dinkes")
        recommended = self.step(inspector, "rekomendasi", track="disiplin", discipline_sanction="teguran_tertulis")
        self.assertEqual(recommended.status_code, 201, recommended.content)
        # Only the Wali Kota decides, as PPK.
        refused = self.step(inspector, "putus", approve=True)
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(refused.json()["detail"], "Langkah ini bukan wewenang peran Anda.")
        mayor = self.token_for(self.mayor)
        self.assertEqual(self.step(mayor, "putus").status_code, 422)  # approve missing
        decided = self.step(mayor, "putus", approve=True)
        self.assertEqual(decided.status_code, 201, decided.content)
        self.assertEqual(decided.json()["stage"]["code"], "diputus")
        self.assertEqual(self.step(inspector, "tutup").json()["stage"]["code"], "selesai")
        self.assertEqual(
            list(Transition.objects.filter(report=self.report).values_list("to_stage", flat=True)),
            [Stage.DITERIMA, Stage.VERIFIKASI, Stage.PEMERIKSAAN, Stage.REKOMENDASI, Stage.DIPUTUS, Stage.SELESAI],
        )
        case = self.call("get", f"/api/v1/cases/{self.report.pk}", inspector).json()
        self.assertEqual(case["discipline_sanction"]["code"], "teguran_tertulis")
        self.assertEqual(case["outcome"]["code"], "sanksi")

    def test_a_rejection_needs_a_reason(self) -> None:
        token = self.token_for(self.inspector)
        refused = self.step(token, "tolak")
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(refused.json()["errors"][0]["field"], "reason")
        self.assertIn("alasan", refused.json()["errors"][0]["message"].lower())
        self.assertEqual(self.step(token, "tolak", reason="Di luar wewenang Pemda.").json()["stage"]["code"], "ditolak")

    def test_a_case_is_forwarded_with_its_package(self) -> None:
        token = self.token_for(self.inspector)
        self.assertEqual(self.step(token, "teruskan", to="kpk").status_code, 422)
        self.assertEqual(self.step(token, "teruskan", to="bkn").json()["stage"]["code"], "diteruskan")
        package = self.call("get", f"/api/v1/cases/{self.report.pk}/package", token)
        self.assertEqual(package["Content-Type"], "application/zip")
        self.assertEqual(package["X-Content-Type-Options"], "nosniff")
        self.assertTrue(package.content.startswith(b"PK"))

    def test_messages_to_the_reporter_and_internal_notes(self) -> None:
        token = self.token_for(self.inspector)
        url = f"/api/v1/cases/{self.report.pk}/messages"
        self.assertEqual(self.call("post", url, token, {"body": "Mohon kirim foto kuitansi."}).status_code, 201)
        note = self.call("post", url, token, {"body": "Saksi: bendahara", "internal": True})
        self.assertEqual((note.status_code, note.json()["internal"]), (201, True))
        self.assertEqual(self.call("post", url, token, {"body": "<b>tebal</b>"}).status_code, 422)
        self.assertEqual(
            list(Message.objects.order_by("id").values_list("author", flat=True)),
            [Message.Author.PETUGAS, Message.Author.CATATAN],
        )

    def test_assignment_shares_the_case_and_refuses_a_conflict(self) -> None:
        token = self.token_for(self.inspector)
        services.identify(self.handler(self.report), employee=self.clerk.employee, opd=None)
        url = f"/api/v1/cases/{self.report.pk}/assignments"
        conflict = self.call("post", url, token, {"username": self.conflicted.username})
        self.assertEqual(conflict.status_code, 422)
        self.assertIn("pimpinan OPD terlapor", conflict.json()["errors"][0]["message"])
        self.assertEqual(self.call("post", url, token, {"username": self.clerk.username}).status_code, 422)
        self.assertEqual(self.call("post", url, token, {"username": "tidak-ada"}).status_code, 422)
        added = self.call("post", url, token, {"username": self.bkpsdm.username})
        self.assertEqual(added.status_code, 201, added.content)
        self.assertTrue(Assignment.objects.filter(report=self.report, user=self.bkpsdm).exists())
        analyst = self.token_for(self.bkpsdm)
        self.assertEqual(self.call("get", f"/api/v1/cases/{self.report.pk}", analyst).status_code, 200)
        removed = self.call("delete", f"{url}/{self.bkpsdm.username}", token)
        self.assertEqual(removed.status_code, 204)
        self.assertEqual(self.call("get", f"/api/v1/cases/{self.report.pk}", analyst).status_code, 404)
        self.assertEqual(self.call("delete", f"{url}/{self.bkpsdm.username}", token).status_code, 404)
        last = self.call("delete", f"{url}/{self.inspector.username}", token)
        self.assertEqual(last.status_code, 422)


class PublicApiTests(ReportApiTestCase):
    def test_statistics_are_public_and_hide_small_cells(self) -> None:
        self.submit()
        response = self.client.get("/api/v1/reports/statistics")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["total"], "<5")
        self.assertEqual(body["by_kind"][0]["count"], "<5")

    def test_the_openapi_document_lists_the_reports_api(self) -> None:
        document = self.client.get("/api/v1/openapi.json").json()
        paths = document["paths"]
        self.assertLessEqual(
            {
                "/api/v1/reports",
                "/api/v1/reports/status",
                "/api/v1/reports/messages",
                "/api/v1/reports/statistics",
                "/api/v1/cases",
                "/api/v1/cases/{report_id}",
                "/api/v1/cases/{report_id}/messages",
                "/api/v1/cases/{report_id}/transitions",
                "/api/v1/cases/{report_id}/assignments",
                "/api/v1/cases/{report_id}/assignments/{username}",
            },
            set(paths),
        )
        status = paths["/api/v1/reports/status"]["get"]
        self.assertIn("X-Receipt", status["description"])
        self.assertIn("X-Receipt", {p["name"] for p in status["parameters"] if p["in"] == "header"})
        self.assertIn("X-Receipt", paths["/api/v1/reports/messages"]["post"]["description"])
        self.assertTrue(paths["/api/v1/reports"]["post"]["summary"].startswith("Kirim laporan"))
