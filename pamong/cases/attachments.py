"""Evidence files from reporters: type checked by content, size limited, metadata removed.

A photo's EXIF can carry the GPS position of the reporter's house and the phone's serial; a PDF's
or Word file's properties carry the author's name. Every accepted file is rewritten so that only
its content survives: images are re-encoded from their pixels, PDFs rebuilt from their pages,
office documents saved with blank document properties.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

MAX_BYTES = 10 * 1024 * 1024

# Pillow logs every EXIF tag it reads, with its value (the author, the camera, the GPS position), at
# DEBUG. Whatever LOG_LEVEL an operator chooses, those lines are never written.
logging.getLogger("PIL").setLevel(logging.INFO)

_BLANK_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)
_BLANK_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
)
_BLANK_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
)
_OFFICE_PROPERTIES = {
    "docProps/core.xml": _BLANK_CORE,
    "docProps/app.xml": _BLANK_APP,
    "docProps/custom.xml": _BLANK_CUSTOM,
}


@dataclass(frozen=True)
class CleanFile:
    content_type: str
    extension: str
    data: bytes


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="attachment")


def detect_type(data: bytes) -> str | None:
    """The file's real type from its first bytes, whatever its name says."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def clean_attachment(data: bytes) -> CleanFile:
    """Check and rewrite one file; raises ValidationError in Indonesian when it cannot be accepted."""
    if len(data) > MAX_BYTES:
        raise _refuse(_("Berkas terlalu besar: paling besar %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    kind = detect_type(data)
    if kind in {"image/jpeg", "image/png"}:
        return _clean_image(data, kind)
    if kind == "application/pdf":
        return _clean_pdf(data)
    if kind is not None:
        return _clean_office(data, kind)
    raise _refuse(
        _("Jenis berkas tidak diterima. Kirim foto (JPEG, PNG), PDF, atau dokumen Word/Excel (.docx, .xlsx).")
    )


def _clean_image(data: bytes, kind: str) -> CleanFile:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise _refuse(_("Foto tidak dapat dibaca; kirim ulang fotonya.")) from None
    # Keep the picture the right way up, then write the pixels alone: no EXIF, GPS, XMP or text chunks.
    upright = ImageOps.exif_transpose(image)
    pixels = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    out = io.BytesIO()
    if kind == "image/jpeg":
        pixels.convert("RGB").save(out, format="JPEG", quality=90)
        return CleanFile("image/jpeg", "jpg", out.getvalue())
    pixels.save(out, format="PNG")
    return CleanFile("image/png", "png", out.getvalue())


def _clean_pdf(data: bytes) -> CleanFile:
    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
    except (PyPdfError, ValueError, KeyError, TypeError):
        raise _refuse(_("PDF tidak dapat dibaca; kirim ulang berkasnya.")) from None
    # Pages only: no document information (author, creator), no XMP metadata.
    writer.add_metadata({"/Producer": "Pamong"})
    out = io.BytesIO()
    writer.write(out)
    return CleanFile("application/pdf", "pdf", out.getvalue())


def _clean_office(data: bytes, kind: str) -> CleanFile:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = _OFFICE_PROPERTIES.get(item.filename)
            # A fixed timestamp: the zip entries' own dates would tell when the file was edited.
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content if content is not None else source.read(item.filename))
    extension = "docx" if "wordprocessing" in kind else "xlsx"
    return CleanFile(kind, extension, out.getvalue())
