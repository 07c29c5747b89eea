"""The staffing API under /api/v1/staffing/ (issue 6)."""

from ninja import Router

router = Router(tags=["kepegawaian"])
