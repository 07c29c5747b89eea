"""Point 3 of issue 5, tested as properties: a copy of the server's data tells a thief nothing.

Reports go in through the real intake — the web form at /lapor/kirim/ and POST /api/v1/reports — from
a client whose address, browser, forwarding headers and referrer are all unique markers; every text
field, the contact field, each file's name and each file's metadata (EXIF with GPS in a photo, the
author of a PDF, the creator of a Word file) carry markers too. A handler and the reporter then
exchange messages with markers of their own. Afterwards:

(a) the SQLite database, copied to a file, contains none of them (skipped on PostgreSQL);
(b) ``pg_dump`` of the PostgreSQL database contains none of them, raw or hex-encoded (skipped on SQLite);
(c) the folder of evidence files contains none of them, nor the GPS tag, nor any slice of the cleaned
    files' content;
(d) nothing that was logged (every logger at DEBUG, every SQL statement with its parameters, stdout
    and stderr) contains any of them;
(e) gunicorn, started with the access-log options of the Makefile's ``demo`` target, logs neither the
    client's address nor its browser nor its forwarding headers.

And so that these tests can fail: the markers are in what was sent, and the proper path (a handler's
key) finds every one of them again; the photo the handler downloads is still a photo, without EXIF.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import io
import json
import logging
import os
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from auditlog.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, RequestFactory, TransactionTestCase, override_settings
from PIL import Image
from PIL.TiffImagePlugin import IFDRational
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from pamong.cases import keyring, services
from pamong.cases.models import Attachment, Kind, Message, Report
from pamong.core.testing import PASSWORD, ROOT, CastMixin, RaceMixin, login
from pamong.organisation.models import User
from pamong.organisation.signals import password_verified

# --- what the reporter's device gives away, and what the reporter writes --------------------------------

IP = "203.0.113.77"
FORWARDED_IP = "198.51.100.23"
USER_AGENT = "PenandaPerambanUnik/9.9"
REFERRER = "https://rujukan.example/PenandaRujukanUnik"
DEVICE = {
    "REMOTE_ADDR": IP,
    "HTTP_USER_AGENT": USER_AGENT,
    "HTTP_X_FORWARDED_FOR": f"{FORWARDED_IP}, {IP}",
    "HTTP_X_REAL_IP": IP,
    "HTTP_FORWARDED": f"for={FORWARDED_IP}",
    "HTTP_REFERER": REFERRER,
}
DEVICE_MARKERS = [IP, FORWARDED_IP, USER_AGENT, "PenandaRujukanUnik"]

# Letters and digits only: PDF and XML would escape punctuation, and the search must find them.
M = {
    name: f"PND{name.upper()}{suffix}"
    for name, suffix in [
        ("calo_what", "Q7W1"),
        ("calo_who", "K2M8"),
        ("calo_where", "Z5R3"),
        ("calo_promise", "H9T4"),
        ("calo_contact", "B6N2"),
        ("tekanan_what", "C3V7"),
        ("tekanan_who", "L8P5"),
        ("tekanan_where", "D1X9"),
        ("tekanan_candidate", "F4J6"),
        ("tekanan_contact", "G7S2"),
        ("api_what", "R2Y8"),
        ("api_who", "U5E1"),
        ("api_contact", "W9A3"),
        ("reply_web", "E4K6"),
        ("reply_api", "T1G9"),
        ("handler_reply", "Y6B4"),
        ("handler_note", "N3H7"),
        ("filename", "S8D2"),
        ("exif_description", "J5L1"),
        ("exif_artist", "P2F8"),
        ("pdf_author", "A7C5"),
        ("pdf_title", "X3Q6"),
        ("docx_creator", "V1M4"),
        ("docx_company", "I8Z7"),
    ]
}
REPORTED_NUMBER = "917364825193746201"  # an identity number that matches nobody: stored only sealed
TEXT_MARKERS = [
    value for name, value in M.items() if not name.startswith(("exif", "pdf", "docx")) and name != "filename"
]
METADATA_MARKERS = [M[n] for n in ("exif_description", "exif_artist", "pdf_author", "pdf_title", "docx_creator")]
METADATA_MARKERS.append(M["docx_company"])

LATITUDE = (10, 1, 9, 1, 4321, 100)  # 10° 9' 43.21" S, Kupang
LONGITUDE = (123, 1, 35, 1, 1237, 100)  # 123° 35' 12.37" E (fractions in lowest terms, as EXIF stores them)
# The position's rationals and the GPS IFD pointer entry (tag 0x8825, LONG, count 1), in either byte order.
GPS_PAIRS = [
    tuple(struct.pack(f"{order}6L", *LATITUDE) for order in "<>"),
    tuple(struct.pack(f"{order}6L", *LONGITUDE) for order in "<>"),
    tuple(struct.pack(f"{order}HHL", 0x8825, 4, 1) for order in "<>"),
]
GPS_SIGNATURES = [signature for pair in GPS_PAIRS for signature in pair]
EXIF_HEADER = b"Exif\x00\x00"


# --- the evidence files --------------------------------------------------------------------------------------


def photo() -> bytes:
    """A JPEG with EXIF: who made it, with what, and where (GPS)."""
    image = Image.new("RGB", (96, 64), (30, 120, 200))
    for x in range(0, 96, 8):  # some structure, so the cleaned file has distinctive content
        for y in range(64):
            image.putpixel((x, y), (x * 2, y * 3, 90))
    exif = Image.Exif()
    exif[0x010E] = M["exif_description"]  # ImageDescription
    exif[0x013B] = M["exif_artist"]  # Artist
    exif[0x010F] = "Samsung"  # Make
    exif[0x0110] = "SM-A155F"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", tuple(IFDRational(LATITUDE[i], LATITUDE[i + 1]) for i in (0, 2, 4))
    gps[3], gps[4] = "E", tuple(IFDRational(LONGITUDE[i], LONGITUDE[i + 1]) for i in (0, 2, 4))
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue()


def pdf() -> bytes:
    out = io.BytesIO()
    document = canvas.Canvas(out, pageCompression=0)
    document.setAuthor(M["pdf_author"])
    document.setTitle(M["pdf_title"])
    document.setCreator("PenulisPDF")
    document.drawString(72, 720, "Bukti transfer ke calo")
    document.showPage()
    document.save()
    return out.getvalue()


def docx() -> bytes:
    """A minimal Word file, stored uncompressed so its markers are visible in the original."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Pesan dari calo</w:t></w:r></w:p></w:body>'
            "</w:document>",
        )
        archive.writestr(
            "docProps/core.xml",
            '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator>{M['docx_creator']}</dc:creator><cp:lastModifiedBy>{M['docx_creator']}</cp:lastModifiedBy>"
            "</cp:coreProperties>",
        )
        archive.writestr(
            "docProps/app.xml",
            '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/extended-properties"><Company>{M["docx_company"]}</Company></Properties>',
        )
    return out.getvalue()


# --- what to look for, and where -----------------------------------------------------------------------------


def needles(*, hex_too: bool = False, extra: Sequence[bytes] = ()) -> dict[str, bytes]:
    """Every marker, the device markers and the GPS signatures, as bytes (and as lowercase hex, the way
    pg_dump writes a bytea column)."""
    found: dict[str, bytes] = {}
    for text in [*TEXT_MARKERS, *METADATA_MARKERS, M["filename"], REPORTED_NUMBER, *DEVICE_MARKERS]:
        found[text] = text.encode()
    for index, signature in enumerate([*GPS_SIGNATURES, EXIF_HEADER, *extra]):
        found[f"bytes#{index}:{signature.hex()}"] = signature
    if hex_too:
        for name, value in list(found.items()):
            found[f"hex:{name}"] = value.hex().encode()
    return found


def leaks(haystack: bytes, wanted: dict[str, bytes]) -> list[str]:
    return [name for name, needle in wanted.items() if needle in haystack]


def content_slices(data: bytes, count: int = 6, size: int = 24) -> list[bytes]:
    """Distinctive pieces of a file's content (not its header), to look for in the copies."""
    start, end = len(data) // 4, len(data) - 64
    step = max(1, (end - start) // (count * 4))
    pieces = [data[i : i + size] for i in range(start, end, step)]
    return [piece for piece in pieces if len(set(piece)) >= 12][:count]  # no runs of padding


class CapturedLogs(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a record that cannot format is still looked at
            self.lines.append(repr(record.__dict__))


SQL_LOGGER = "django.db.backends"


@contextlib.contextmanager
def everything_logged() -> Iterator[tuple[CapturedLogs, io.StringIO]]:
    """What the most talkative configuration would log: the root logger at DEBUG (``LOG_LEVEL=DEBUG``),
    a handler on it and on every logger that does not propagate, every SQL statement with its
    parameters (as ``DEBUG=True`` would log them), and whatever is printed to stdout or stderr.
    Loggers the settings pin to a level keep it: no LOG_LEVEL changes them."""
    handler = CapturedLogs()
    printed = io.StringIO()
    root = logging.getLogger()
    sql = logging.getLogger(SQL_LOGGER)
    quiet = [
        item
        for item in logging.Logger.manager.loggerDict.values()
        if isinstance(item, logging.Logger) and not item.propagate
    ]
    saved = [(root, root.level), (sql, sql.level)]
    disabled = logging.root.manager.disable
    debug_cursor = connection.force_debug_cursor
    logging.disable(logging.NOTSET)
    root.setLevel(logging.DEBUG)
    sql.setLevel(logging.DEBUG)
    for logger in [root, *quiet]:
        logger.addHandler(handler)
    connection.force_debug_cursor = True
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            yield handler, printed
    finally:
        connection.force_debug_cursor = debug_cursor
        for logger in [root, *quiet]:
            logger.removeHandler(handler)
        for logger, level in saved:
            logger.setLevel(level)
        logging.disable(disabled)


def handler_client(user: User) -> Client:
    """A logged-in handler whose key is unlocked the way a web login unlocks it."""
    client = login(Client(), user)
    request = RequestFactory().post("/masuk/")
    request.user = user
    password_verified.send(sender=User, user=user, password=PASSWORD, request=request)
    client.cookies[keyring.HANDLER_COOKIE] = request._pamong_handler_cookie  # type: ignore[attr-defined]
    return client


RECEIPT_ON_PAGE = re.compile(r'data-receipt-code="([A-Z2-7-]{26})"')


@override_settings(PAMONG_REPORT_RATE="1000/m", PAMONG_RECEIPT_RATE="1000/m")
class ConfidentialityTests(CastMixin, RaceMixin, TransactionTestCase):
    """Rows must be committed for pg_dump to see them, hence TransactionTestCase."""

    def setUp(self) -> None:
        super().setUp()
        self.files_dir = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="pamong-confidential-")))
        self.enterContext(override_settings(PAMONG_CASE_FILES=self.files_dir))
        self.build_cast()
        for user in (self.inspector, self.mayor):
            keyring.key_for_password(user, PASSWORD)
        self.photo, self.pdf, self.docx = photo(), pdf(), docx()

    # --- the traffic ---

    def reporter(self) -> Client:
        return Client(**DEVICE)

    def web_intake(self, client: Client, kind: str, fields: dict[str, Any]) -> str:
        """Report through /lapor/kirim/, confirm the receipt, return it."""
        response = client.post("/lapor/kirim/", {"jenis": kind, **fields})
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        self.assertEqual(response["Location"], "/lapor/tanda-terima/")
        page = client.get("/lapor/tanda-terima/").content.decode()
        match = RECEIPT_ON_PAGE.search(page)
        assert match is not None, page[:2000]
        code = match.group(1)
        confirmed = client.post("/lapor/tanda-terima/", {"kode": code})
        self.assertEqual((confirmed.status_code, confirmed["Location"]), (302, "/lapor/kasus/"))
        return code

    def send_everything(self) -> dict[str, Any]:
        """Three reports (two through the web form, one through the API), replies both ways, a note."""
        sessions_before, audit_before = Session.objects.count(), LogEntry.objects.count()
        web = self.reporter()
        calo_code = self.web_intake(
            web,
            Kind.CALO,
            {
                "what": f"Diminta uang agar lulus {M['calo_what']}",
                "who": f"Oknum bernama {M['calo_who']}",
                "when": "2024-10-10",
                "where": f"Rumah makan {M['calo_where']}",
                "selection": "cpns",
                "promise": f"Lulus pasti {M['calo_promise']}",
                "amount": "75000000",
                "contact_method": "telepon",
                "opd": str(self.health.pk),
                "reported_number": REPORTED_NUMBER,
                "contact": f"WA 0812 {M['calo_contact']}",
                "files": [
                    _upload(f"foto-{M['filename']}.jpg", self.photo, "image/jpeg"),
                    _upload(f"bukti-{M['filename']}.pdf", self.pdf, "application/pdf"),
                    _upload(f"pesan-{M['filename']}.docx", self.docx, "application/octet-stream"),
                ],
            },
        )
        reply = web.post("/lapor/kasus/balas/", {"body": f"Tambahan dari saya {M['reply_web']}"})
        self.assertEqual(reply.status_code, 302, reply.content.decode()[:2000])

        anonymous_employee = login(Client(**DEVICE), self.clerk)  # logged in, but reporting without a name
        tekanan_code = self.web_intake(
            anonymous_employee,
            Kind.TEKANAN,
            {
                "what": f"Kami diwajibkan hadir {M['tekanan_what']}",
                "who": f"Kepala bidang {M['tekanan_who']}",
                "when": "2024-10-12",
                "where": f"Aula {M['tekanan_where']}",
                "pressure_form": "wajib_hadir",
                "candidate": f"Paslon {M['tekanan_candidate']}",
                "contact": f"Surel {M['tekanan_contact']}",
                "identity": "tanpa_nama",
                "files": [_upload(f"foto2-{M['filename']}.jpg", self.photo, "image/jpeg")],
            },
        )

        api = self.reporter()
        created = api.post(
            "/api/v1/reports",
            data=json.dumps(
                {
                    "kind": "integritas",
                    "answers": {"what": f"Pungutan liar {M['api_what']}", "who": f"Petugas loket {M['api_who']}"},
                    "contact": f"Telepon {M['api_contact']}",
                    "attachments": [
                        {"name": f"api-{M['filename']}.jpg", "content_base64": base64.b64encode(self.photo).decode()}
                    ],
                }
            ),
            content_type="application/json",
        )
        self.assertEqual(created.status_code, 201, created.content.decode()[:2000])
        api_code = created.json()["receipt"]
        api_reply = api.post(
            "/api/v1/reports/messages",
            data=json.dumps({"body": f"Lewat aplikasi {M['reply_api']}"}),
            content_type="application/json",
            HTTP_X_RECEIPT=api_code,
        )
        self.assertEqual(api_reply.status_code, 201, api_reply.content.decode()[:2000])
        # Nobody who reported anonymously left a session behind (the clerk's own login made one), and
        # no audit record (which would hold an address and the logged-in clerk) was written.
        self.assertEqual(Session.objects.count(), sessions_before + 1)
        self.assertEqual(LogEntry.objects.count(), audit_before)

        calo = services.open_with_receipt(calo_code).report
        inspector = handler_client(self.inspector)
        sent = inspector.post(f"/kasus/{calo.pk}/pesan/", {"body": f"Mohon bukti tambahan {M['handler_reply']}"})
        self.assertEqual(sent.status_code, 302, sent.content.decode()[:2000])
        noted = inspector.post(
            f"/kasus/{calo.pk}/pesan/", {"body": f"Catatan tim {M['handler_note']}", "internal": "on"}
        )
        self.assertEqual(noted.status_code, 302, noted.content.decode()[:2000])
        # The reporter comes back and reads the answer.
        page = web.get("/lapor/kasus/").content.decode()
        self.assertIn(M["handler_reply"], page)
        self.assertNotIn(M["handler_note"], page)
        return {"codes": [calo_code, tekanan_code, api_code], "calo": calo, "inspector": inspector}

    # --- the proper path finds everything -------------------------------------------------------------

    def assertHandlersReadEverything(self, sent: dict[str, Any]) -> list[bytes]:
        """Through the keys, every marker is there; returns slices of the cleaned files' content."""
        self.assertEqual(Report.objects.count(), 3)
        private_key = keyring.key_for_password(self.inspector, PASSWORD)
        readable: list[str] = []
        for report in Report.objects.all():
            access = services.open_as_handler(report.pk, self.inspector, private_key)
            view = services.read_report(access.report, access.key, internal=True)
            readable.append(json.dumps(view.content, ensure_ascii=False))
            readable.extend(message.body for message in view.messages)
            readable.extend(json.dumps(file, default=str) for file in view.files)
            readable.extend(json.dumps(a, default=str) for m in view.messages for a in m.attachments)
        everything = "\n".join(readable)
        for marker in [*TEXT_MARKERS, M["filename"], REPORTED_NUMBER]:
            self.assertIn(marker, everything)
        # …and nothing about the device, even there; the clerk who reported without a name is not named.
        for marker in [*DEVICE_MARKERS, self.clerk.full_name, self.clerk.username]:
            self.assertNotIn(marker, everything)

        calo, inspector = sent["calo"], sent["inspector"]
        slices: list[bytes] = []
        attachments = Attachment.objects.filter(report=calo).order_by("id")
        self.assertEqual(attachments.count(), 3)
        for row in attachments:
            response = inspector.get(f"/kasus/{calo.pk}/berkas/{row.pk}/")
            self.assertEqual(response.status_code, 200)
            data = b"".join(response.streaming_content) if response.streaming else response.content
            slices.extend(content_slices(data))
            self.assertEqual(leaks(data, {m: m.encode() for m in METADATA_MARKERS}), [])
            self.assertEqual(leaks(data, {str(i): s for i, s in enumerate(GPS_SIGNATURES)}), [])
            kind = response["Content-Type"]
            if kind == "image/jpeg":
                image = Image.open(io.BytesIO(data))
                image.load()
                self.assertEqual(image.size, (96, 64))
                exif = image.getexif()
                self.assertEqual(dict(exif), {})
                self.assertNotIn(0x8825, exif)
                self.assertNotIn(EXIF_HEADER, data)
            elif kind == "application/pdf":
                reader = PdfReader(io.BytesIO(data))
                self.assertEqual(len(reader.pages), 1)
                self.assertNotIn(M["pdf_author"], str(reader.metadata))
            else:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    self.assertIn(b"Pesan dari calo", archive.read("word/document.xml"))
                    properties = archive.read("docProps/core.xml") + archive.read("docProps/app.xml")
                    self.assertNotIn(M["docx_creator"].encode(), properties)
        self.assertEqual(Message.objects.filter(author=Message.Author.CATATAN).count(), 1)
        return slices

    def assertOriginalsCarryTheMarkers(self) -> None:
        """What was sent really held the markers and the GPS position, so a clean scan means something."""
        for marker in (M["exif_description"], M["exif_artist"]):
            self.assertIn(marker.encode(), self.photo)
        for little, big in GPS_PAIRS:
            self.assertTrue(little in self.photo or big in self.photo, little.hex())
        self.assertIn(EXIF_HEADER, self.photo)
        self.assertIn(M["pdf_author"].encode(), self.pdf)
        self.assertIn(M["docx_creator"].encode(), self.docx)
        original = Image.open(io.BytesIO(self.photo)).getexif().get_ifd(0x8825)
        self.assertEqual(original[1], "S")

    # --- the properties -------------------------------------------------------------------------------------

    def test_a_copy_of_the_database_the_files_and_the_logs_reveals_nothing(self) -> None:
        self.assertOriginalsCarryTheMarkers()
        with everything_logged() as (logs, printed):
            sent = self.send_everything()
        slices = self.assertHandlersReadEverything(sent)
        wanted = needles(extra=slices)

        with self.subTest("the harness sees what is logged"):
            with everything_logged() as (canary_logs, _printed):
                logging.getLogger("pamong.cases").debug("kenari %s", "PNDKENARI")
            self.assertTrue(any("PNDKENARI" in line for line in canary_logs.lines))
            self.assertTrue(any("INSERT" in line for line in logs.lines))  # the SQL was captured

        with self.subTest("(d) logs and output"):
            statements = [line for line in logs.lines if line.startswith(SQL_LOGGER)]
            others = [line for line in logs.lines if not line.startswith(SQL_LOGGER)]
            self.assertEqual(leaks("\n".join(others).encode() + printed.getvalue().encode(), wanted), [])
            # The SQL sent to the database carries nothing either, except the reported person's number:
            # intake looks it up among the employees (a match is kept in the clear as the reported
            # employee, by design); what the reporter wrote, and who they are, never leave sealed.
            # Binary parameters appear as hex in the logged statements.
            lookups = {
                name: needle
                for name, needle in needles(hex_too=True, extra=slices).items()
                if REPORTED_NUMBER not in name and REPORTED_NUMBER.encode().hex() not in name
            }
            sql = "\n".join(statements).encode()
            self.assertEqual(leaks(sql + b"\n" + sql.lower(), lookups), [])

        with self.subTest("(c) evidence files"):
            stored = sorted(self.files_dir.iterdir())
            self.assertEqual(len(stored), Attachment.objects.count())
            self.assertEqual(Attachment.objects.count(), 5)
            for path in stored:
                self.assertEqual(leaks(path.read_bytes(), wanted), [], path.name)

        if connection.vendor == "sqlite":
            with self.subTest("(a) SQLite file"), tempfile.TemporaryDirectory() as tmp:
                copy = Path(tmp) / "salinan.sqlite3"
                self.copy_sqlite(to_file=copy)
                raw = b"".join(
                    Path(f"{copy}{suffix}").read_bytes()
                    for suffix in ("", "-wal", "-journal")
                    if Path(f"{copy}{suffix}").exists()
                )
                self.assertIn(self.health.name.encode(), raw)  # the copy is the real data
                self.assertEqual(leaks(raw, wanted), [])
        else:
            with self.subTest("(b) pg_dump"):
                dump = self.pg_dump()
                self.assertIn(self.health.name.encode(), dump)
                self.assertIn(b"COPY public.cases_report", dump)
                self.assertEqual(leaks(dump, needles(hex_too=True, extra=slices)), [])

    def pg_dump(self) -> bytes:
        if not shutil.which("pg_dump"):
            pytest.skip("pg_dump is not installed")
        db = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
        command = [
            "pg_dump",
            "--no-owner",
            "--host",
            db.get("HOST") or "127.0.0.1",
            "--port",
            str(db.get("PORT") or 5432),
            "--username",
            db.get("USER") or "postgres",
            db["NAME"],
        ]
        result = subprocess.run(command, env=env, capture_output=True, check=True, timeout=120)
        return result.stdout


def _upload(name: str, data: bytes, content_type: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


# --- (e) the web server's access log ---------------------------------------------------------------------------

HOST = "127.0.0.1"
CLIENT_ADDRESS = "127.0.0.77"  # a loopback address of its own, so the server's log could show it


def makefile_gunicorn_options() -> list[str]:
    """The options of the gunicorn command in the Makefile's ``demo`` target, as shipped."""
    recipe: list[str] = []
    inside = False
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith("demo:"):
            inside = True
            continue
        if inside and line.startswith("\t"):
            recipe.append(line.strip())
        elif inside and line and not line.startswith("\t"):
            inside = False
    commands = [line for line in recipe if "gunicorn" in line and "pamong.wsgi" in line]
    assert len(commands) == 1, recipe
    words = shlex.split(commands[0])
    return words[words.index("pamong.wsgi") + 1 :]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "gunicorn").exists(), reason="gunicorn is not installed")
class AccessLogTests(CastMixin, RaceMixin, TransactionTestCase):
    def request(self, port: int, method: str, path: str, body: bytes = b"", **headers: str) -> tuple[int, Any, bytes]:
        client = http.client.HTTPConnection(HOST, port, timeout=30, source_address=(CLIENT_ADDRESS, 0))
        try:
            client.request(
                method,
                path,
                body=body or None,
                headers={
                    "Host": f"{HOST}:{port}",
                    "User-Agent": USER_AGENT,
                    "X-Forwarded-For": f"{FORWARDED_IP}, {IP}",
                    "X-Real-IP": IP,
                    "Forwarded": f"for={FORWARDED_IP}",
                    "Referer": REFERRER,
                    **headers,
                },
            )
            response = client.getresponse()
            return response.status, response.headers, response.read()
        finally:
            client.close()

    @contextlib.contextmanager
    def server(self, log: Path, workdir: Path) -> Iterator[int]:
        options = makefile_gunicorn_options()
        self.assertIn("--access-logfile", options)
        self.assertIn("--access-logformat", options)
        bind = options.index("--bind")
        port = free_port()
        options[bind + 1] = f"{HOST}:{port}"
        env = {**os.environ, "PAMONG_ENV": "test", "PAMONG_VAR_DIR": str(workdir), "LOG_LEVEL": "DEBUG"}
        env["PAMONG_CASE_FILES"] = str(workdir / "cases")
        if connection.vendor == "sqlite":
            env.pop("DATABASE_URL", None)
            env["SQLITE_PATH"] = str(workdir / "pamong.sqlite3")
            self.copy_sqlite(to_file=workdir / "pamong.sqlite3")
        else:
            env["DATABASE_URL"] = self.postgres_url()
        # No control socket: this instance leaves ~/.gunicorn to any other gunicorn on the machine.
        command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "pamong.wsgi", *options, "--no-control-socket"]
        with log.open("wb") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise AssertionError(f"gunicorn stopped: {log.read_text()[-3000:]}")
                with contextlib.suppress(OSError, http.client.HTTPException):
                    connection_ = http.client.HTTPConnection(HOST, port, timeout=2)
                    connection_.request("GET", "/healthz", headers={"Host": f"{HOST}:{port}"})
                    if connection_.getresponse().status == 200:
                        connection_.close()
                        break
                if time.monotonic() > deadline:
                    raise AssertionError(f"gunicorn did not answer: {log.read_text()[-3000:]}")
                time.sleep(0.2)
            yield port
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def reports_in_server_database(self, workdir: Path) -> int:
        if connection.vendor != "sqlite":
            return Report.objects.count()
        database = sqlite3.connect(workdir / "pamong.sqlite3")
        try:
            return int(database.execute("SELECT COUNT(*) FROM cases_report").fetchone()[0])
        finally:
            database.close()

    def test_gunicorn_as_the_makefile_runs_it_logs_no_address_and_no_browser(self) -> None:
        with tempfile.TemporaryDirectory(prefix="pamong-gunicorn-") as tmp:
            workdir = Path(tmp)
            log = workdir / "gunicorn.log"
            with self.server(log, workdir) as port:
                status, _headers, _body = self.request(port, "GET", "/healthz?penanda=PNDJALURSEHAT")
                self.assertEqual(status, 200)
                # The web form: its page (for the CSRF cookie and token), then the report.
                status, headers, body = self.request(port, "GET", "/lapor/kirim/?jenis=tekanan")
                self.assertEqual(status, 200)
                cookies = [c.split(";")[0] for c in headers.get_all("Set-Cookie") or []]
                cookie = next((c for c in cookies if c.startswith("csrftoken=")), "")
                token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
                assert token is not None and cookie.startswith("csrftoken="), (cookie, body[:500])
                form = urlencode(
                    {
                        "csrfmiddlewaretoken": token.group(1).decode(),
                        "jenis": "tekanan",
                        "what": f"Ditekan {M['tekanan_what']}",
                        "who": f"Atasan {M['tekanan_who']}",
                        "pressure_form": "ajakan_dukung",
                        "contact": f"WA {M['tekanan_contact']}",
                    }
                ).encode()
                status, headers, body = self.request(
                    port,
                    "POST",
                    "/lapor/kirim/",
                    form,
                    **{
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": cookie,
                        "Origin": f"http://{HOST}:{port}",
                    },
                )
                self.assertEqual((status, headers.get("Location")), (302, "/lapor/tanda-terima/"), body[:2000])
                # The API.
                status, _headers, body = self.request(
                    port,
                    "POST",
                    "/api/v1/reports",
                    json.dumps(
                        {
                            "kind": "integritas",
                            "answers": {"what": f"Pungli {M['api_what']}"},
                            "contact": M["api_contact"],
                        }
                    ).encode(),
                    **{"Content-Type": "application/json"},
                )
                self.assertEqual(status, 201, body[:2000])
                self.assertEqual(self.reports_in_server_database(workdir), 2)
                time.sleep(0.5)  # let the workers flush their log lines
            logged = log.read_bytes()

        # The access log is on, and shows a request elsewhere: so the checks below can fail.
        self.assertIn(b"/healthz?penanda=PNDJALURSEHAT", logged)
        self.assertIn(b"Listening at", logged)  # and the server's own log went to the same file
        for marker in [CLIENT_ADDRESS, *DEVICE_MARKERS, M["tekanan_what"], M["tekanan_contact"], M["api_what"]]:
            self.assertNotIn(marker.encode(), logged, marker)
        # The reporting paths are not logged at all, not even their time and path.
        self.assertNotIn(b"/lapor/", logged)
        self.assertNotIn(b"/api/v1/reports", logged)
        self.assertNotIn(b"Traceback", logged)
