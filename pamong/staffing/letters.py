"""The Wali Kota's letter to the Minister of Home Affairs asking written approval to fill a post.

From 22 March 2024 until the new head of region takes office, a replacement of officials needs the
Minister's written approval (UU 10/2016 Pasal 71 ayat (2); SE Mendagri 100.2.1.3/1575/SJ). Once
the Wali Kota has approved a proposal, BKPSDM prints this letter for signature and sends it to the
Minister, c.q. the Director General of Regional Autonomy. It names the post, its agency and level,
since when and why it is vacant, the important and urgent reasons with BKPSDM's justification, the
candidates (name, NIP, rank, current post), the acting official covering the post meanwhile, and
which place of the period's quota the proposal takes. The receipt code and QR code of the Wali
Kota's approval in the transparency ledger let Kemendagri check that the approval is on record.

The letter names candidates and their identity numbers: it is for BKPSDM, the Sekda and the Wali
Kota (and the Minister) only; the views that serve it check who asks.

Like the neutrality documents, it is an official record written in Indonesian whatever language
the reader browses in, so its wording is not marked for translation; dates carry Indonesian month
names.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from pamong.core import ledger
from pamong.core.clock import business_today
from pamong.core.pdf import deferred_canvas
from pamong.organisation.identity import format_identity_number
from pamong.organisation.models import OPD, Employee, Pemda
from pamong.organisation.ranks import rank_label
from pamong.staffing import services
from pamong.staffing.models import (
    LETTER_STATUSES,
    ActingAssignment,
    PolicyPeriod,
    Proposal,
    ProposalCandidate,
    ProposalStep,
    Vacancy,
)

S = Proposal.Status
SUBJECT = "Permohonan Persetujuan Tertulis Pengisian Jabatan"
SOURCE_LAW = (
    "Pasal 71 ayat (2) Undang-Undang Nomor 10 Tahun 2016 tentang Perubahan Kedua atas Undang-Undang Nomor 1 "
    "Tahun 2015 tentang Penetapan Peraturan Pemerintah Pengganti Undang-Undang Nomor 1 Tahun 2014 tentang "
    "Pemilihan Gubernur, Bupati, dan Walikota Menjadi Undang-Undang"
)
SOURCE_CIRCULAR = (
    "Surat Edaran Menteri Dalam Negeri Nomor 100.2.1.3/1575/SJ tanggal 29 Maret 2024 tentang Kewenangan Kepala "
    "Daerah pada Daerah yang Melaksanakan Pilkada dalam Aspek Kepegawaian"
)
SOURCE_ACTING = "Surat Edaran Kepala Badan Kepegawaian Negara Nomor 1/SE/I/2021"
BLANK_NUMBER = "…………………………………"
# The province (and its capital) of a regency or city, by the first part of its Kemendagri code.
PROVINCES = {"53": ("Nusa Tenggara Timur", "Kupang")}
INK = colors.HexColor("#111111")
RULE = colors.HexColor("#222222")
GREY = colors.HexColor("#555555")


# --- small helpers ---------------------------------------------------------------------------------------


def long_date(day: dt.date | None) -> str:
    """ "17 Oktober 2024", always in Indonesian."""
    if day is None:
        return "–"
    with translation.override("id"):
        return formats.date_format(day, "j F Y")


def _text(value: str) -> str:
    """Plain text for a Paragraph: escaped, line breaks kept."""
    return escape(value).replace("\n", "<br/>")


def _rank(employee: Employee) -> str:
    if not employee.rank:
        return "–"
    return rank_label(employee.kind, employee.rank)


def _duration(since: dt.date, until: dt.date) -> str:
    """ "1 bulan 16 hari", counted in calendar months then days."""
    if until <= since:
        return "kurang dari 1 hari"
    months = (until.year - since.year) * 12 + until.month - since.month
    if until.day < since.day:
        months -= 1
    anchor_month = since.month - 1 + months
    year, month = since.year + anchor_month // 12, anchor_month % 12 + 1
    # The same day ``months`` later (or the month's last day), then the days left over.
    anchor = dt.date(year, month, min(since.day, calendar.monthrange(year, month)[1]))
    days = (until - anchor).days
    parts = []
    if months:
        parts.append(f"{months} bulan")
    if days or not parts:
        parts.append(f"{days} hari")
    return " ".join(parts)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=10, leading=13.5, textColor=INK)
    return {
        "base": base,
        "kop": ParagraphStyle(
            "kop", parent=base, fontName="Helvetica-Bold", fontSize=16, leading=20, alignment=TA_CENTER
        ),
        "kop_sub": ParagraphStyle("kop_sub", parent=base, fontSize=9, leading=12, alignment=TA_CENTER),
        "body": ParagraphStyle("body", parent=base, alignment=TA_JUSTIFY),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5),
        "cell_head": ParagraphStyle("cell_head", parent=base, fontName="Helvetica-Bold", fontSize=9, leading=11.5),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_CENTER),
        "sign_title": ParagraphStyle("sign_title", parent=base, fontName="Helvetica-Bold", alignment=TA_CENTER),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor=GREY),
        "code": ParagraphStyle("code", parent=base, fontName="Courier-Bold", fontSize=10, leading=13),
    }


def _qr(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _plain_table(rows: list[list[Any]], widths: list[float], *, padding: float = 1.5) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), padding),
                ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
            ]
        )
    )
    return table


def _grid_table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


class _Rule(Flowable):
    """The double line under the letterhead."""

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width = width
        self.height = 4

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(2)
        self.canv.line(0, 3, self.width, 3)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 0, self.width, 0)


def _numbered_canvas(footer: str) -> type[Canvas]:
    """A letter of several pages says "Halaman x dari y" on each; a one-page letter stays bare."""

    def decorate(canvas: Canvas, number: int, total: int) -> None:
        if total > 1:
            canvas.saveState()
            canvas.setFont("Helvetica", 7.5)
            canvas.setFillColor(GREY)
            canvas.drawString(25 * mm, 10 * mm, footer)
            canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Halaman {number} dari {total}")
            canvas.restoreState()

    return deferred_canvas(decorate)


# --- what the letter says ------------------------------------------------------------------------------


def _mayor_approval(proposal: Proposal) -> tuple[ProposalStep, str]:
    """The Wali Kota's approval step and the receipt code of its ledger entry ("" if the ledger lacks it)."""
    step = ProposalStep.objects.filter(proposal=proposal, to_status=S.WALI_KOTA).order_by("-id").first()
    if step is None:
        raise ValidationError(_not_ready())
    entry = ledger.entries_for(ProposalStep, [step.pk]).get(str(step.pk))
    return step, entry.receipt_code if entry else ""


def _not_ready() -> str:
    return _("Surat usulan ke Kemendagri baru dapat dibuat setelah Wali Kota menyetujui usulan.")


def _letter_date(proposal: Proposal) -> dt.date:
    """The day the letter went to Kemendagri when it is on record; otherwise today."""
    sent = ProposalStep.objects.filter(proposal=proposal, to_status=S.SENT).order_by("id").first()
    return sent.on if sent is not None else business_today()


def _acting(vacancy: Vacancy, on: dt.date) -> ActingAssignment | None:
    """The acting official on the letter's date, else the latest one assigned before it."""
    assignments = ActingAssignment.objects.filter(vacancy=vacancy, starts_on__lte=on).select_related(
        "employee__position__opd"
    )
    return (
        assignments.filter(ends_on__gte=on).order_by("starts_on", "id").first()
        or assignments.order_by("-ends_on", "-id").first()
    )


def _quota_sentence(proposal: Proposal) -> str:
    versions = {p.version: p for p in PolicyPeriod.objects.filter(code=proposal.period_code)}
    if not versions:
        return ""
    latest = versions[max(versions)]
    # The quota the proposal was counted against: the version in force when it was submitted.
    submitted = ProposalStep.objects.filter(proposal=proposal, to_status=S.SUBMITTED).order_by("-id").first()
    facts: dict[str, Any] = submitted.facts if submitted is not None and isinstance(submitted.facts, dict) else {}
    version = facts.get("period_version")
    period = versions.get(version, latest) if isinstance(version, int) else latest
    if not proposal.quota_group:
        return (
            f"Jabatan ini tidak termasuk kelompok kuota usulan pada {escape(period.name)}; usulan ini diajukan "
            "setelah tanggal lowongan lain boleh diusulkan atau jenjangnya tidak dibatasi kuota."
        )
    quota = next((q for q in period.quotas or [] if q.get("code") == proposal.quota_group), None)
    if quota is None:
        quota = latest.quota_for(proposal.vacancy.position.level) or {"label": proposal.quota_group, "limit": "–"}
    holders = list(
        services.places_taken(proposal.period_code, proposal.quota_group)
        .exclude(pk=proposal.pk)
        .values_list("submitted_on", "id")
    )
    mine = (proposal.submitted_on or dt.date.max, proposal.pk)
    place = 1 + sum(1 for day, pk in holders if (day or dt.date.max, pk) < mine)
    source = f" ({escape(period.quota_source)})" if period.quota_source else ""
    return (
        f"Usulan ini merupakan <b>usulan ke-{place} dari kuota {quota.get('limit', '–')}</b> usulan untuk jabatan "
        f"{escape(str(quota.get('label', proposal.quota_group)))} pada {escape(period.name)}{source}."
    )


def _pemda(opd: OPD) -> Pemda:
    return opd.pemda


def _personnel_office() -> str:
    names = ["BKPSDM", "BKPPD", "BKD"]
    office = (
        OPD.objects.filter(Q(abbreviation__in=names) | Q(code__in=[n.lower() for n in names]))
        .order_by("pk")
        .values("name")
        .first()
    )
    return f"Kepala {office['name']}" if office else "Kepala BKPSDM"


def request_letter_pdf(proposal: Proposal) -> bytes:
    """The A4 letter of the Wali Kota to the Minister of Home Affairs for ``proposal``, as PDF bytes.

    Raises ``ValidationError`` (an Indonesian message) when the Wali Kota has not approved the
    proposal yet or it was withdrawn: there is no letter to sign then.
    """
    proposal = Proposal.objects.select_related("vacancy__position__opd__pemda").get(pk=proposal.pk)
    if proposal.status == S.WITHDRAWN:
        raise ValidationError(_("Usulan ini sudah ditarik; surat usulan ke Kemendagri tidak dibuat."))
    if proposal.status not in LETTER_STATUSES:
        raise ValidationError(_not_ready())
    approval, receipt = _mayor_approval(proposal)
    vacancy = proposal.vacancy
    position = vacancy.position
    opd = position.opd
    pemda = _pemda(opd)
    region = pemda.short_name or pemda.name.removeprefix("Pemerintah ").strip()
    place = region.removeprefix("Kota ").removeprefix("Kabupaten ").strip() or region
    head = "Wali Kota" if region.startswith("Kota") else "Bupati"
    day = _letter_date(proposal)
    candidates = list(
        ProposalCandidate.objects.filter(proposal=proposal)
        .select_related("employee__position__opd")
        .order_by("-appointed", "id")
    )
    acting = _acting(vacancy, day)

    styles = _styles()
    left, right = 25 * mm, 20 * mm
    width = A4[0] - left - right - 12  # platypus frames pad 6 points on each side
    story: list[Flowable] = [
        Paragraph(escape(pemda.name.upper()), styles["kop"]),
    ]
    address = getattr(settings, "PAMONG_LETTERHEAD_ADDRESS", "")
    if address:
        story.append(Paragraph(escape(address), styles["kop_sub"]))
    story += [Spacer(1, 2 * mm), _Rule(width), Spacer(1, 5 * mm)]

    # Place and date on the right, then number, nature, attachment and subject beside the addressee.
    story.append(
        _plain_table(
            [["", Paragraph(f"{escape(place)}, {long_date(day)}", styles["base"])]], [width * 0.55, width * 0.45]
        )
    )
    number = escape(proposal.request_letter_number) if proposal.request_letter_number else BLANK_NUMBER
    heading = _plain_table(
        [
            [Paragraph("Nomor", styles["base"]), ":", Paragraph(number, styles["base"])],
            [Paragraph("Sifat", styles["base"]), ":", Paragraph("Segera", styles["base"])],
            [
                Paragraph("Lampiran", styles["base"]),
                ":",
                Paragraph("1 (satu) berkas" if candidates else "–", styles["base"]),
            ],
            [Paragraph("Perihal", styles["base"]), ":", Paragraph(f"<b>{SUBJECT}</b>", styles["base"])],
        ],
        [20 * mm, 4 * mm, width * 0.55 - 24 * mm],
    )
    addressee = [
        Paragraph("Kepada", styles["base"]),
        Paragraph("Yth. Menteri Dalam Negeri Republik Indonesia", styles["base"]),
        Paragraph("c.q. Direktur Jenderal Otonomi Daerah", styles["base"]),
        Paragraph("di", styles["base"]),
        Paragraph("<u>JAKARTA</u>", styles["base"]),
    ]
    story += [_plain_table([[heading, addressee]], [width * 0.55, width * 0.45]), Spacer(1, 6 * mm)]

    body: list[Flowable] = []

    def paragraph(markup: str) -> None:
        body.append(Paragraph(markup, styles["body"]))
        body.append(Spacer(1, 3 * mm))

    paragraph(
        f"Berdasarkan ketentuan {SOURCE_LAW}, {head} dilarang melakukan penggantian pejabat sejak 6 (enam) bulan "
        "sebelum tanggal penetapan pasangan calon sampai dengan akhir masa jabatan, kecuali mendapat persetujuan "
        f"tertulis dari Menteri. Hal ini ditegaskan kembali dalam {SOURCE_CIRCULAR}."
    )
    paragraph(
        f"Sehubungan dengan hal tersebut, dengan hormat kami mengajukan permohonan persetujuan tertulis Bapak Menteri "
        f"untuk pengisian jabatan di lingkungan {escape(pemda.name)} sebagai berikut:"
    )
    grade = f", eselon {escape(position.grade)}" if position.grade else ""
    post_rows = [
        ("Nama jabatan", f"<b>{escape(position.name)}</b>"),
        ("Perangkat daerah", escape(opd.name)),
        ("Jenjang jabatan", f"{escape(str(position.get_level_display()))}{grade}"),
        ("Lowong sejak", f"{long_date(vacancy.since)} ({_duration(vacancy.since, day)} sampai tanggal surat ini)"),
        ("Sebab lowong", escape(str(vacancy.get_reason_display()))),
    ]
    body.append(
        _plain_table(
            [[Paragraph(label, styles["cell"]), ":", Paragraph(value, styles["cell"])] for label, value in post_rows],
            [42 * mm, 4 * mm, width - 52 * mm],
        )
    )
    body.append(Spacer(1, 3 * mm))

    urgency = dict(Proposal.Urgency.choices)
    reasons = [str(urgency.get(code, code)) for code in proposal.urgency or []]
    if reasons:
        paragraph("Jabatan tersebut penting dan mendesak untuk segera diisi karena:")
        body.append(
            ListFlowable(
                [ListItem(Paragraph(escape(reason), styles["body"]), leftIndent=12) for reason in reasons],
                bulletType="bullet",
                start="•",
                leftIndent=12,
            )
        )
        body.append(Spacer(1, 3 * mm))
    if proposal.justification.strip():
        paragraph(f"Uraian alasan: {_text(proposal.justification.strip())}")

    if candidates:
        paragraph(
            "Calon pejabat yang kami usulkan, yang telah diperiksa memenuhi persyaratan jabatan "
            "(untuk Jabatan Pimpinan Tinggi Pratama: Pasal 107 Peraturan Pemerintah Nomor 11 Tahun 2017 "
            "sebagaimana telah diubah dengan Peraturan Pemerintah Nomor 17 Tahun 2020):"
        )
        head_row = [
            Paragraph(t, styles["cell_head"]) for t in ("No.", "Nama", "NIP", "Pangkat/golongan", "Jabatan saat ini")
        ]
        rows: list[list[Any]] = [head_row]
        for index, candidate in enumerate(candidates, start=1):
            employee = candidate.employee
            current = "–"
            if employee.position is not None:
                current = f"{escape(employee.position.name)}, {escape(employee.position.opd.name)}"
            rows.append(
                [
                    Paragraph(str(index), styles["cell"]),
                    Paragraph(escape(employee.full_name), styles["cell"]),
                    Paragraph(escape(format_identity_number(employee.identity_number)), styles["cell"]),
                    Paragraph(escape(_rank(employee)), styles["cell"]),
                    Paragraph(current, styles["cell"]),
                ]
            )
        body.append(_grid_table(rows, [9 * mm, 42 * mm, 41 * mm, 31 * mm, width - 123 * mm]))
        body.append(Spacer(1, 3 * mm))
    else:
        paragraph(
            "Calon pejabat akan ditetapkan melalui uji kompetensi dan/atau seleksi terbuka setelah persetujuan "
            "tertulis Bapak Menteri kami terima."
        )

    if acting is not None:
        own = acting.employee.position
        post = f", {escape(own.name)}," if own is not None else ""
        term = f"sejak {long_date(acting.starts_on)} sampai dengan {long_date(acting.ends_on)}"
        verb = "dilaksanakan" if acting.starts_on <= day <= acting.ends_on else "terakhir dilaksanakan"
        paragraph(
            f"Untuk menjaga pelayanan, selama jabatan tersebut lowong tugasnya {verb} oleh pejabat yang ada, "
            f"<b>{escape(acting.employee.full_name)}</b>{post} sebagai {escape(str(acting.get_kind_display()))} "
            f"{term} ({SOURCE_ACTING})."
        )
    else:
        paragraph("Sampai tanggal surat ini belum ada pejabat yang ditugaskan sebagai Plt/Plh pada jabatan tersebut.")

    quota = _quota_sentence(proposal)
    if quota:
        paragraph(quota)

    verify_url = ""
    if receipt:
        verify_url = settings.PAMONG_BASE_URL.rstrip("/") + reverse("core:verify", args=[receipt])
        paragraph(
            f"Persetujuan {head} atas usulan ini tanggal {long_date(approval.on)} tercatat dalam buku besar "
            f"transparansi {escape(pemda.name)} dengan kode tanda terima <b>{receipt}</b> dan dapat diperiksa pada "
            f"{escape(verify_url)} atau dengan memindai kode QR pada surat ini."
        )
    paragraph(
        "Demikian permohonan ini kami sampaikan. Atas perhatian dan persetujuan Bapak Menteri, kami ucapkan terima "
        "kasih."
    )
    story += body

    signature = [
        Paragraph(f"{head.upper()} {place.upper()},", styles["sign_title"]),
        Spacer(1, 24 * mm),
        Paragraph("(" + "." * 60 + ")", styles["sign"]),
    ]
    proof: list[Any] = []
    if receipt:
        proof = [
            _qr(verify_url, 26 * mm),
            Paragraph("Tanda terima persetujuan Wali Kota", styles["small"]),
            Paragraph(receipt, styles["code"]),
        ]
    story.append(Spacer(1, 4 * mm))
    story.append(KeepTogether([_plain_table([[proof, signature]], [width * 0.45, width * 0.55])]))

    province = PROVINCES.get(pemda.code.split(".")[0])
    copies = [
        f"Gubernur {province[0]} di {province[1]}" if province else "Gubernur",
        "Kepala Badan Kepegawaian Negara di Jakarta",
        f"Sekretaris Daerah {region}",
        f"{_personnel_office()}",
    ]
    tembusan: list[Flowable] = [
        Spacer(1, 6 * mm),
        Paragraph("<u>Tembusan</u> Yth.:", styles["base"]),
    ]
    tembusan += [
        Paragraph(f"{index}. {escape(line)}{';' if index < len(copies) else '.'}", styles["base"])
        for index, line in enumerate(copies, start=1)
    ]
    story.append(KeepTogether(tembusan))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=left,
        rightMargin=right,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=f"{SUBJECT} — {position.name}",
        subject=f"Usulan #{proposal.pk}: {position.name}, {opd.name}",
        author=pemda.name,
        creator="Pamong",
        lang="id-ID",
    )
    footer = f"{SUBJECT} · {position.name}"
    document.build(story, canvasmaker=_numbered_canvas(footer[:110]))
    return buffer.getvalue()
