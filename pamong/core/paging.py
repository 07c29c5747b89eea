"""Paged lists: the page asked for and the query string its pager links keep."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, rows: Any, per_page: int, *, param: str = "page") -> tuple[Page, str]:
    """The page of ``rows`` that ``request`` asks for (a wrong number gives the nearest page), and the
    query string without the page number, for core/_pager.html."""
    page = Paginator(rows, per_page).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()
