from __future__ import annotations

from typing import Any

from django import template

from pamong.cases import services

register = template.Library()


@register.inclusion_tag("cases/_home_card.html")
def case_summary(user: Any) -> dict[str, Any]:
    """The home page's card: how to report safely, and for handlers their open and overdue cases."""
    if not services.can_see_queue(user):
        return {"handler": False}
    mine = services.queue(user, mine=True)
    return {
        "handler": True,
        "open": mine.filter(stage__in=services.OPEN_STAGES).count(),
        "overdue": services.overdue(mine).count(),
    }
