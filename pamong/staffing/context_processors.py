from typing import Any

from django.http import HttpRequest

from pamong.staffing import access


def staffing(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"can_view_staffing": bool(user is not None and access.can_view(user))}
