"""Evidence files lose everything that could identify the reporter; disguised files are refused."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader, PdfWriter

from pamong.cases.attachments import MAX_BYTES, clean_attachment, detect_type

MARKER = "PENANDARAHASIA7QX"  # no punctuation: PDF strings escape it


def photo_with_gps(fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Samsung"  # Make
    exif[0x0131] = MARKER  # Software
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (10.0, 10.0, 5.0)  # latitude of Kupang
    gps[3], gps[4] = "E", (123.0, 35.0, 1.0)
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def test_a_photo_loses_its_exif_and_gps_but_keeps_its_picture() -> None:
    original = photo_with_gps()
    assert MARKER.encode() in original
    cleaned = clean_attachment(original)
    assert cleaned.content_type == "image/jpeg"
    assert MARKER.encode() not in cleaned.data and b"Exif" not in cleaned.data
    image = Image.open(io.BytesIO(cleaned.data))
    assert image.size == (64, 48) and not image.getexif()


def test_a_png_loses_its_text_chunks() -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", MARKER)
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG", pnginfo=info)
    assert MARKER.encode() in out.getvalue()
    assert MARKER.encode() not in clean_attachment(out.getvalue()).data


def test_a_pdf_loses_its_author_and_keeps_its_pages() -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": MARKER, "/Creator": MARKER})
    out = io.BytesIO()
    writer.write(out)
    assert MARKER.encode() in out.getvalue()
    cleaned = clean_attachment(out.getvalue())
    assert MARKER.encode() not in cleaned.data
    reader = PdfReader(io.BytesIO(cleaned.data))
    assert len(reader.pages) == 2 and MARKER not in str(reader.metadata)


def office_file(kind: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<isi>laporan</isi>")
        z.writestr("docProps/core.xml", f"<cp:coreProperties><dc:creator>{MARKER}</dc:creator></cp:coreProperties>")
        z.writestr("docProps/app.xml", f"<Properties><Company>{MARKER}</Company></Properties>")
    return out.getvalue()


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_an_office_document_loses_its_properties_and_keeps_its_content(kind: str) -> None:
    cleaned = clean_attachment(office_file(kind))
    assert cleaned.extension == kind
    with zipfile.ZipFile(io.BytesIO(cleaned.data)) as z:
        everything = b"".join(z.read(name) for name in z.namelist())
        assert MARKER.encode() not in everything
        assert b"laporan" in everything
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize(
    "data",
    [b"MZ\x90\x00 a program renamed to foto.jpg", b"<script>alert(1)</script>", b"PK\x03\x04 not a zip", b""],
)
def test_a_disguised_or_unknown_file_is_refused_in_indonesian(data: bytes) -> None:
    assert detect_type(data) is None
    with pytest.raises(ValidationError, match="Jenis berkas tidak diterima"):
        clean_attachment(data)


def test_a_broken_photo_and_an_oversized_file_are_refused() -> None:
    with pytest.raises(ValidationError, match="Foto tidak dapat dibaca"):
        clean_attachment(b"\xff\xd8\xff" + b"\x00" * 100)
    with pytest.raises(ValidationError, match="terlalu besar"):
        clean_attachment(b"%PDF-" + b"0" * MAX_BYTES)
