"""The reporter's pages under /lapor/ (being written)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


start = _todo
submit = _todo
receipt = _todo
follow_up_login = _todo
follow_up = _todo
reply = _todo
attachment = _todo
leave = _todo
protection = _todo
statistics = _todo
