"""The reports API: anonymous intake and follow-up by receipt, and the handlers' endpoints (being written)."""

from ninja import Router

router = Router(tags=["Laporan rahasia"])
