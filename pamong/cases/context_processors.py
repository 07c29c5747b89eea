from typing import Any

from django.http import HttpRequest

from pamong.cases.services import can_see_queue


def cases(request: HttpRequest) -> dict[str, Any]:
    return {"can_handle_cases": can_see_queue(getattr(request, "user", None))}
