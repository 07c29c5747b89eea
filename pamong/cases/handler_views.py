"""The handlers' pages under /kasus/ (being written)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


queue = _todo
recovery = _todo
case = _todo
message = _todo
assign = _todo
unassign = _todo
identify = _todo
step = _todo
attachment = _todo
export = _todo
