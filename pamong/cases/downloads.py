"""How a case's files leave Pamong: as a download the browser saves, never a page it renders or sniffs."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def download(data: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachment_download(meta: dict[str, Any], data: bytes) -> HttpResponse:
    """A file of a report, as ``services.read_attachment`` returns it: under the type and name it was stored with."""
    return download(
        data, content_type=meta.get("type") or "application/octet-stream", filename=meta.get("name") or "bukti"
    )
