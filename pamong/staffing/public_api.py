"""The public, read-only staffing API under /api/v1/staffing/public/ (the transparency page's data)."""

from ninja import Router

router = Router(tags=["transparansi jabatan"])
