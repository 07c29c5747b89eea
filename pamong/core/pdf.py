"""Shared reportlab pieces for the PDFs Pamong prints (certificates, rosters, letters)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas

PageDecorator = Callable[[Canvas, int, int], None]


def deferred_canvas(decorate: PageDecorator) -> type[Canvas]:
    """A canvas that holds its pages back until the document ends, then calls ``decorate(canvas,
    page_number, total_pages)`` on each before writing it, so a footer can say "Halaman x dari y"."""

    class DeferredCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, total)
                super().showPage()
            super().save()

    return DeferredCanvas
