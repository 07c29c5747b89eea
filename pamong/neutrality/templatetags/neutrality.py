"""``{% neutrality_documents campaign %}``: links to the documents the current user may download."""

from __future__ import annotations

from typing import Any

from django import template

from pamong.neutrality import queries
from pamong.neutrality.models import Campaign

register = template.Library()


@register.inclusion_tag("neutrality/_document_links.html", takes_context=True)
def neutrality_documents(context: template.Context, campaign: Campaign) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    citywide = queries.has_citywide_roster(user)
    return {
        "campaign": campaign,
        "own_signature": queries.own_signature(user, campaign),
        "citywide": citywide,
        # Citywide roles choose any OPD from a list; heads and operators get a link per own OPD.
        "opd_choices": list(queries.follow_up_opds(user).order_by("name").only("name")) if citywide else [],
        "own_opds": list(queries.roster_opds(user).only("name", "abbreviation")),
    }
