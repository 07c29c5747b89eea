"""The documents of a declaration: a certificate per signatory, and the berita acara as PDF and Excel.

They are official records of the Pemda, written in Indonesian whatever language the reader browses
in; their wording is therefore not marked for translation, and dates are formatted with Indonesian
month names in Kupang time (WITA).

The roster must stay quick for the whole city (several thousand rows): its rows are drawn straight
onto the canvas by one flowable that splits itself page by page, instead of a platypus ``Table``
that re-measures every remaining row at each page break.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import formats, timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing, Path
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from pamong.core import ledger
from pamong.core.pdf import deferred_canvas
from pamong.neutrality import queries
from pamong.neutrality.models import Campaign, Signature
from pamong.organisation.identity import mask_identity_number
from pamong.organisation.models import OPD, Employee, Pemda

WITA = ZoneInfo("Asia/Makassar")
KIND_LABELS = {"pns": "PNS", "pppk": "PPPK", "ptt": "PTT"}
CAPACITY_LABELS: dict[str, str] = {
    Signature.Capacity.PEGAWAI: "Pegawai",
    Signature.Capacity.WALI_KOTA: "Wali Kota",
    Signature.Capacity.SEKDA: "Sekretaris Daerah",
    Signature.Capacity.SAKSI: "Saksi",
}
ROSTER_COLUMNS = ("No.", "Nama", "Nomor identitas", "Status", "OPD", "Waktu (WITA)")
UNSIGNED_COLUMNS = ("No.", "Nama", "Nomor identitas", "Status", "OPD")
INK = colors.HexColor("#1b2a3a")
RULE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#eef1f4")
ACCENT = colors.HexColor("#7a1f1f")


# --- shared ------------------------------------------------------------------------------------


def _pemda() -> tuple[str, str]:
    """The Pemda's name and short name, e.g. ("Pemerintah Kota Kupang", "Kota Kupang")."""
    pemda = Pemda.objects.order_by("pk").only("name", "short_name").first()
    if pemda is None:
        return "Pemerintah Kota Kupang", "Kota Kupang"
    return pemda.name, pemda.short_name or pemda.name


def scope_label(opd: OPD | None) -> str:
    return opd.name if opd is not None else f"Seluruh {_pemda()[1]}"


def wita(moment: dt.datetime) -> str:
    """ "17 Oktober 2024, 07.12 WITA"."""
    with translation.override("id"):
        return f"{formats.date_format(timezone.localtime(moment, WITA), 'DATETIME_FORMAT')} WITA"


def long_date(day: dt.date | None) -> str:
    if day is None:
        return "–"
    with translation.override("id"):
        return formats.date_format(day, "DATE_FORMAT")


def _short_wita(moment: dt.datetime) -> str:
    return timezone.localtime(moment, WITA).strftime("%d/%m/%Y %H.%M")


def _opd_label(opd: OPD | None) -> str:
    if opd is None:
        return "–"
    return opd.abbreviation or opd.name


def _para(text: str) -> str:
    """Plain text for a Paragraph: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


def _counts(campaign: Campaign, opd: OPD | None) -> dict[str, Any]:
    progress = queries.progress(campaign)
    if opd is None:
        eligible, signed = progress["eligible"], progress["signed"]
    else:
        row = next((r for r in progress["by_opd"] if r["opd_id"] == opd.pk), None)
        eligible, signed = (row["eligible"], row["signed"]) if row else (0, 0)
    percent = round(100 * signed / eligible, 1) if eligible else 0.0
    return {"eligible": eligible, "signed": signed, "unsigned": eligible - signed, "percent": percent}


def _number(value: float | int) -> str:
    with translation.override("id"):
        return formats.number_format(
            value, decimal_pos=1 if isinstance(value, float) else None, use_l10n=True, force_grouping=True
        )


# --- styles ------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=9.5, leading=12.5, textColor=INK)
    return {
        "base": base,
        "pemda": ParagraphStyle(
            "pemda", parent=base, fontName="Helvetica-Bold", fontSize=12, leading=15, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName="Helvetica-Bold", fontSize=15, leading=18.5, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontName="Helvetica-Oblique", fontSize=10.5, leading=14, alignment=TA_CENTER
        ),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName="Helvetica-Bold", fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=4
        ),
        "text": ParagraphStyle("text", parent=base, fontSize=9.5, leading=13),
        "declaration": ParagraphStyle("declaration", parent=base, fontSize=8.6, leading=10.8),
        "fine": ParagraphStyle("fine", parent=base, fontSize=6.6, leading=8.2, textColor=colors.HexColor("#44515e")),
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#44515e")),
        "label": ParagraphStyle("label", parent=base, fontSize=9, leading=12, textColor=colors.HexColor("#44515e")),
        "value": ParagraphStyle("value", parent=base, fontName="Helvetica-Bold", fontSize=9.5, leading=12),
        "code": ParagraphStyle("code", parent=base, fontName="Courier-Bold", fontSize=11, leading=14),
    }


def _key_values(
    rows: Sequence[tuple[str, str]], styles: dict[str, ParagraphStyle], widths: tuple[float, float]
) -> Table:
    table = Table(
        [[Paragraph(escape(k), styles["label"]), Paragraph(_para(v), styles["value"])] for k, v in rows],
        colWidths=list(widths),
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _qr(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


_PATH_TOKEN = re.compile(r"[MLQCZmlqcz]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARITY = {"M": 2, "L": 2, "Q": 4, "C": 6, "Z": 0}


def _parse_drawing(path: str) -> list[tuple[str, list[float]]]:
    """An SVG path of M, L, Q, C and Z commands (absolute or relative) as absolute segments."""
    tokens = _PATH_TOKEN.findall(path)
    if "".join(tokens).replace(" ", "") != re.sub(r"[\s,]+", "", path):
        raise ValueError("unexpected characters in the drawing")
    segments: list[tuple[str, list[float]]] = []
    x = y = start_x = start_y = 0.0
    i, command = 0, ""
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command, i = token, i + 1
            if command in "Zz":
                segments.append(("Z", []))
                x, y = start_x, start_y
                continue
        elif not command or command in "Zz":
            raise ValueError("a number without a command")
        upper = command.upper()
        arity = _ARITY[upper]
        numbers = [float(t) for t in tokens[i : i + arity]]
        if len(numbers) != arity or any(t.isalpha() for t in tokens[i : i + arity]):
            raise ValueError("a command with too few numbers")
        i += arity
        if command.islower():
            numbers = [n + (x if k % 2 == 0 else y) for k, n in enumerate(numbers)]
        segments.append((upper, numbers))
        x, y = numbers[-2], numbers[-1]
        if upper == "M":
            start_x, start_y = x, y
            command = "l" if command == "m" else "L"  # further pairs after a move are lines
    if not any(kind != "M" for kind, _n in segments):
        raise ValueError("nothing drawn")
    return segments


def drawing_flowable(path: str, width: float, height: float) -> Drawing | None:
    """The signer's drawn signature scaled into a box, or None when it is empty or unreadable."""
    if not path.strip():
        return None
    try:
        segments = _parse_drawing(path)
    except (ValueError, KeyError):
        return None
    xs = [n for _k, ns in segments for n in ns[0::2]]
    ys = [n for _k, ns in segments for n in ns[1::2]]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    if span_x <= 0 and span_y <= 0:
        return None
    pad = 2.0
    scale = min((width - 2 * pad) / span_x if span_x else 1e9, (height - 2 * pad) / span_y if span_y else 1e9)
    left, top = min(xs), min(ys)
    off_x = pad + (width - 2 * pad - span_x * scale) / 2
    off_y = pad + (height - 2 * pad - span_y * scale) / 2

    def point(px: float, py: float) -> tuple[float, float]:
        # SVG's y grows downwards, the PDF's upwards.
        return off_x + (px - left) * scale, height - off_y - (py - top) * scale

    shape = Path(strokeColor=colors.HexColor("#10306b"), strokeWidth=1.1, fillColor=None, strokeLineCap=1)
    shape.strokeLineJoin = 1
    current = (0.0, 0.0)
    for kind, numbers in segments:
        if kind == "M":
            shape.moveTo(*point(*numbers))
        elif kind == "L":
            shape.lineTo(*point(*numbers))
        elif kind == "C":
            shape.curveTo(*point(*numbers[0:2]), *point(*numbers[2:4]), *point(*numbers[4:6]))
        elif kind == "Q":
            # A quadratic curve is the cubic whose control points lie 2/3 of the way to its one.
            (qx, qy), (ex, ey) = numbers[0:2], numbers[2:4]
            (cx, cy) = current
            c1 = (cx + 2 / 3 * (qx - cx), cy + 2 / 3 * (qy - cy))
            c2 = (ex + 2 / 3 * (qx - ex), ey + 2 / 3 * (qy - ey))
            shape.curveTo(*point(*c1), *point(*c2), *point(ex, ey))
        if numbers:
            current = (numbers[-2], numbers[-1])
    drawing = Drawing(width, height)
    drawing.add(shape)
    return drawing


def _frame_width(margins: float) -> float:
    # platypus frames keep 6 points of padding on each side inside the page margins.
    return A4[0] - 2 * margins - 12


def _doc(buffer: io.BytesIO, *, title: str, subject: str, margins: float = 16 * mm) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margins,
        rightMargin=margins,
        topMargin=margins,
        bottomMargin=margins + 4 * mm,
        title=title,
        subject=subject,
        author="Pamong",
        creator="Pamong",
        lang="id-ID",
    )


# --- the certificate ---------------------------------------------------------------------------


def certificate_pdf(signature: Signature, *, base_url: str) -> bytes:
    """An A4 certificate for one signature; its QR code opens the public /verifikasi/<code>/ page.

    ``base_url`` is the site's scheme and host, e.g. ``https://pamong.kupangkota.go.id``.
    """
    campaign = signature.campaign
    styles = _styles()
    pemda_name, _short = _pemda()
    code = ledger.format_receipt_code(signature.receipt_code) if signature.receipt_code else "–"
    verify_url = base_url.rstrip("/") + reverse("core:verify", args=[code])
    text_version = f"Versi {campaign.text_version} · SHA-256 {signature.text_sha256[:16]}"

    capacity = CAPACITY_LABELS.get(signature.capacity, signature.capacity)
    if signature.witness_body:
        capacity = f"{capacity} — {signature.witness_body}"
    who: list[tuple[str, str]] = [
        ("Nama", signature.signer_name),
        ("Nomor identitas", mask_identity_number(signature.identity_number)),
    ]
    if signature.employee_kind:
        who.append(("Status kepegawaian", KIND_LABELS.get(signature.employee_kind, signature.employee_kind)))
    if signature.opd is not None:
        who.append(("OPD", signature.opd.name))
    who.append(("Menandatangani sebagai", capacity))

    width = _frame_width(14 * mm)
    story: list[Flowable] = [
        Paragraph(escape(pemda_name.upper()), styles["pemda"]),
        Spacer(1, 3 * mm),
        Paragraph("SERTIFIKAT PENANDATANGANAN", styles["title"]),
        Paragraph("Deklarasi Komitmen Netralitas ASN dan PTT", styles["title"]),
        Spacer(1, 2 * mm),
        Paragraph(escape(campaign.title), styles["subtitle"]),
        Spacer(1, 4 * mm),
        Paragraph("Dengan ini diterangkan bahwa:", styles["text"]),
        Spacer(1, 2 * mm),
        _key_values(who, styles, (45 * mm, width - 45 * mm)),
        Spacer(1, 3 * mm),
        Paragraph(
            f"telah membaca dan menandatangani secara elektronik deklarasi di bawah ini pada "
            f"<b>{escape(wita(signature.signed_at))}</b>:",
            styles["text"],
        ),
        Spacer(1, 3 * mm),
    ]
    declaration = Table(
        [[Paragraph(_para(part), styles["declaration"])] for part in _paragraphs(campaign.text)],
        colWidths=[width],
    )
    declaration.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f8f9fa")),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, 0), 7),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
            ]
        )
    )
    story += [declaration, Spacer(1, 3 * mm)]
    if campaign.legal_basis.strip():
        story.append(Paragraph(f"<b>Dasar hukum.</b> {_para(campaign.legal_basis.strip())}", styles["fine"]))
        story.append(Spacer(1, 3 * mm))

    drawn = drawing_flowable(signature.drawing, 60 * mm, 20 * mm)
    signer_block: list[Any] = [Paragraph("Tanda tangan", styles["label"])]
    signer_block.append(drawn if drawn is not None else Spacer(1, 20 * mm))
    signer_block += [
        Paragraph(f"<b>{escape(signature.signer_name)}</b>", styles["text"]),
        Paragraph(escape(mask_identity_number(signature.identity_number)), styles["label"]),
    ]
    proof_block: list[Any] = [
        Paragraph("Kode tanda terima", styles["label"]),
        Paragraph(escape(code), styles["code"]),
        Spacer(1, 2 * mm),
        Paragraph("Waktu tanda tangan", styles["label"]),
        Paragraph(escape(wita(signature.signed_at)), styles["value"]),
        Spacer(1, 2 * mm),
        Paragraph("Teks yang ditandatangani", styles["label"]),
        Paragraph(escape(text_version), styles["value"]),
        Spacer(1, 2 * mm),
        Paragraph(
            "Tercatat dalam buku besar transparansi Pamong, dijamin checkpoint bertanda tangan Pemda dan "
            f"lembaga saksi. Siapa pun dapat memeriksanya di {escape(verify_url)}",
            styles["fine"],
        ),
    ]
    qr_block: list[Any] = [_qr(verify_url, 28 * mm), Paragraph("Pindai untuk memeriksa", styles["small"])]
    bottom = Table([[signer_block, proof_block, qr_block]], colWidths=[62 * mm, width - 62 * mm - 32 * mm, 32 * mm])
    bottom.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
            ]
        )
    )
    story.append(KeepTogether([bottom]))

    buffer = io.BytesIO()
    doc = _doc(buffer, title=f"Sertifikat — {signature.signer_name}", subject=campaign.title, margins=14 * mm)
    doc.build(story, canvasmaker=_numbered_canvas(f"Sertifikat deklarasi · {code}", numbered=False))
    return buffer.getvalue()


def _paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks stay inside one."""
    parts = [part.strip("\n") for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return [part for part in parts if part.strip()] or [""]


# --- page numbers ------------------------------------------------------------------------------


def _numbered_canvas(footer: str, *, numbered: bool = True) -> type[Canvas]:
    """Every page gets the footer line and, when ``numbered``, "Halaman x dari y"."""

    def decorate(canvas: Canvas, number: int, total: int) -> None:
        page_width, _height = canvas._pagesize
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#5b6670"))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(16 * mm, 13 * mm, page_width - 16 * mm, 13 * mm)
        canvas.drawString(16 * mm, 9 * mm, _fit(footer, page_width - 70 * mm, "Helvetica", 7.5))
        if numbered:
            canvas.drawRightString(page_width - 16 * mm, 9 * mm, f"Halaman {number} dari {total}")
        canvas.restoreState()

    return deferred_canvas(decorate)


def _fit(text: str, width: float, font: str, size: float) -> str:
    """Cut a text to a width, with an ellipsis when it had to be cut."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle].rstrip() + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


# --- the roster (berita acara) -----------------------------------------------------------------

ROW_HEIGHT = 12.0
HEADER_HEIGHT = 16.0
ROW_FONT, ROW_SIZE = "Helvetica", 7.6
ROSTER_WIDTHS = (10 * mm, 56 * mm, 34 * mm, 12 * mm, 40 * mm, 23 * mm)


class _RosterRows(Flowable):
    """Rows of a table with a header repeated on every page, drawn directly on the canvas.

    ``split`` hands platypus the rows that fit and a remainder that shares the same list, so a
    roster of thousands of rows costs one pass, not one re-measure per page.
    """

    def __init__(self, rows: Sequence[Sequence[str]], start: int = 0, stop: int | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.start = start
        self.stop = len(rows) if stop is None else stop
        self.width = sum(ROSTER_WIDTHS)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.height = HEADER_HEIGHT + (self.stop - self.start) * ROW_HEIGHT
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        fit = int((available_height - HEADER_HEIGHT) // ROW_HEIGHT)
        if fit < 3:  # a header with a row or two at the foot of a page reads badly
            return []
        if fit >= self.stop - self.start:
            return [self]
        middle = self.start + fit
        return [_RosterRows(self.rows, self.start, middle), _RosterRows(self.rows, middle, self.stop)]

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.rect(0, top - HEADER_HEIGHT, self.width, HEADER_HEIGHT, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 7.6)
        x = 0.0
        for title, width in zip(ROSTER_COLUMNS, ROSTER_WIDTHS, strict=True):
            canvas.drawString(x + 3, top - HEADER_HEIGHT + 5.5, _fit(title, width - 6, "Helvetica-Bold", 7.6))
            x += width
        y = top - HEADER_HEIGHT
        for offset in range(self.stop - self.start):
            y -= ROW_HEIGHT
            if offset % 2:
                canvas.setFillColor(SHADE)
                canvas.rect(0, y, self.width, ROW_HEIGHT, stroke=0, fill=1)
        canvas.setFillColor(INK)
        canvas.setFont(ROW_FONT, ROW_SIZE)
        y = top - HEADER_HEIGHT
        for row in self.rows[self.start : self.stop]:
            y -= ROW_HEIGHT
            x = 0.0
            for value, width in zip(row, ROSTER_WIDTHS, strict=True):
                canvas.drawString(x + 3, y + 3.6, value)
                x += width
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(0, 0, self.width, 0)
        canvas.restoreState()


def _roster_rows(signatures: Iterable[Signature]) -> list[tuple[str, ...]]:
    name_width, opd_width = ROSTER_WIDTHS[1] - 6, ROSTER_WIDTHS[4] - 6
    rows: list[tuple[str, ...]] = []
    for number, signature in enumerate(signatures, start=1):
        rows.append(
            (
                str(number),
                _fit(signature.signer_name, name_width, ROW_FONT, ROW_SIZE),
                mask_identity_number(signature.identity_number),
                KIND_LABELS.get(signature.employee_kind, "–"),
                _fit(_opd_label(signature.opd), opd_width, ROW_FONT, ROW_SIZE),
                _short_wita(signature.signed_at),
            )
        )
    return rows


def _official_rows(campaign: Campaign) -> list[tuple[str, str, str]]:
    rows = []
    for signature in queries.official_signatures(campaign):
        capacity = CAPACITY_LABELS.get(signature.capacity, signature.capacity)
        if signature.witness_body:
            capacity = f"{capacity} ({signature.witness_body})"
        rows.append((capacity, signature.signer_name, wita(signature.signed_at)))
    return rows


def roster_pdf(campaign: Campaign, signatures: Iterable[Signature], *, title: str, opd: OPD | None = None) -> bytes:
    """The berita acara: who signed, for one OPD (``opd``) or the whole city (``opd=None``)."""
    styles = _styles()
    pemda_name, _short = _pemda()
    counts = _counts(campaign, opd)
    scope = scope_label(opd)
    width = _frame_width(15 * mm)
    summary: list[tuple[str, str]] = [
        ("Deklarasi", campaign.title),
        ("Lingkup", scope),
        ("Masa penandatanganan", f"{long_date(campaign.opens_on)} s.d. {long_date(campaign.closes_on)}"),
    ]
    if campaign.election_date:
        summary.append(("Hari pemungutan suara", long_date(campaign.election_date)))
    summary += [
        ("Versi teks", f"{campaign.text_version} (SHA-256 {campaign.text_sha256[:16]})"),
        (
            "Pegawai wajib menandatangani",
            f"{_number(counts['eligible'])} orang; sudah {_number(counts['signed'])} "
            f"({_number(counts['percent'])} %), belum {_number(counts['unsigned'])}",
        ),
        ("Dokumen dibuat", wita(timezone.now())),
    ]
    story: list[Flowable] = [
        Paragraph(escape(pemda_name.upper()), styles["pemda"]),
        Spacer(1, 3 * mm),
        Paragraph(escape(title), styles["title"]),
        Spacer(1, 5 * mm),
        _key_values(summary, styles, (48 * mm, width - 48 * mm)),
        Spacer(1, 3 * mm),
        Paragraph(
            "Berita acara ini mencatat penandatanganan elektronik deklarasi tersebut melalui Pamong. Setiap tanda "
            "tangan tercatat dalam buku besar transparansi dan dapat diperiksa siapa pun dengan kode tanda "
            "terimanya di halaman /verifikasi/. Nomor identitas disamarkan untuk melindungi data pribadi.",
            styles["small"],
        ),
        Paragraph("Pejabat dan saksi", styles["heading"]),
    ]
    officials = _official_rows(campaign)
    if officials:
        table = Table(
            [("Sebagai", "Nama", "Waktu"), *officials],
            colWidths=[60 * mm, 70 * mm, width - 130 * mm],
            repeatRows=1,
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                    ("FONT", (0, 1), (-1, -1), "Helvetica", 8.5),
                    ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, INK),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph("Belum ada pejabat atau saksi yang menandatangani.", styles["text"]))

    rows = _roster_rows(signatures)
    story.append(Paragraph(f"Daftar penandatangan ({_number(len(rows))} orang)", styles["heading"]))
    if rows:
        story.append(_RosterRows(rows))
    else:
        story.append(Paragraph("Belum ada pegawai yang menandatangani.", styles["text"]))
    story += [
        Spacer(1, 5 * mm),
        Paragraph(
            "Demikian berita acara ini dibuat dari catatan Pamong pada waktu tersebut di atas. Penandatanganan "
            "yang terjadi sesudahnya tercantum pada berita acara yang dibuat kemudian.",
            styles["small"],
        ),
    ]

    buffer = io.BytesIO()
    doc = _doc(buffer, title=title, subject=f"{campaign.title} — {scope}", margins=15 * mm)
    doc.build(story, canvasmaker=_numbered_canvas(f"{title} · {campaign.title} · {scope}"))
    return buffer.getvalue()


# --- the roster as a workbook ------------------------------------------------------------------

XLSX_DATETIME = "dd/mm/yyyy hh:mm"
_BOLD = Font(bold=True)
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1B2A3A")


def _sheet_header(sheet: Worksheet, lines: Sequence[tuple[str, str]], columns: Sequence[str], title: str) -> int:
    """Write the title and the key facts above a table; return the row of the column headings."""
    sheet.append([title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    for label, value in lines:
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = _BOLD
    sheet.append([])
    sheet.append(list(columns))
    header_row = sheet.max_row
    for index in range(1, len(columns) + 1):
        cell = sheet.cell(row=header_row, column=index)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    # A cell reference, not sheet.cell(): creating the cell would move where append() writes next.
    sheet.freeze_panes = f"A{header_row + 1}"
    return header_row


def _finish_sheet(sheet: Worksheet, header_row: int, widths: Sequence[int]) -> None:
    last = sheet.max_row
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(widths))}{max(last, header_row)}"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def roster_xlsx(campaign: Campaign, signatures: Iterable[Signature], *, title: str, opd: OPD | None = None) -> bytes:
    """The berita acara as a workbook: who signed, and who has not yet, for one OPD or the whole city."""
    counts = _counts(campaign, opd)
    scope = scope_label(opd)
    facts = [
        ("Deklarasi", campaign.title),
        ("Lingkup", scope),
        ("Masa penandatanganan", f"{long_date(campaign.opens_on)} s.d. {long_date(campaign.closes_on)}"),
        ("Versi teks", f"{campaign.text_version} (SHA-256 {campaign.text_sha256[:16]})"),
        (
            "Pegawai wajib",
            f"{counts['eligible']} orang; sudah {counts['signed']} ({_number(counts['percent'])} %), "
            f"belum {counts['unsigned']}",
        ),
        ("Dibuat", wita(timezone.now())),
    ]
    book = Workbook()
    signed_sheet = book.active
    assert isinstance(signed_sheet, Worksheet)
    signed_sheet.title = "Penandatangan"
    header_row = _sheet_header(signed_sheet, facts, ROSTER_COLUMNS, title)
    row_number = header_row
    for number, signature in enumerate(signatures, start=1):
        local = timezone.localtime(signature.signed_at, WITA).replace(tzinfo=None, microsecond=0)
        signed_sheet.append(
            [
                number,
                signature.signer_name,
                mask_identity_number(signature.identity_number),
                KIND_LABELS.get(signature.employee_kind, ""),
                signature.opd.name if signature.opd is not None else "",
                local,
            ]
        )
        row_number += 1
        signed_sheet.cell(row=row_number, column=6).number_format = XLSX_DATETIME
    _finish_sheet(signed_sheet, header_row, (7, 40, 28, 9, 45, 18))

    unsigned_sheet = book.create_sheet("Belum menandatangani")
    header_row = _sheet_header(
        unsigned_sheet, facts[:2], UNSIGNED_COLUMNS, f"Pegawai yang belum menandatangani — {campaign.title}"
    )
    people: Iterable[Employee] = queries.unsigned_in_scope(campaign, opd)
    for number, employee in enumerate(people, start=1):
        unsigned_sheet.append(
            [
                number,
                employee.full_name,
                mask_identity_number(employee.identity_number),
                KIND_LABELS.get(employee.kind, employee.kind),
                employee.opd.name,
            ]
        )
    _finish_sheet(unsigned_sheet, header_row, (7, 40, 28, 9, 45))

    book.properties.title = title
    book.properties.creator = "Pamong"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
