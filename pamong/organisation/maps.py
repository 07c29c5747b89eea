"""A small server-drawn SVG map of the kelurahan: no tiles, no internet, no JavaScript."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from pamong.organisation.models import Kelurahan

WIDTH = 600


def _rings(geometry: Mapping[str, Any]) -> list[Sequence[Sequence[float]]]:
    coordinates = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        return list(coordinates)
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in coordinates for ring in polygon]
    return []


def region_svg(kelurahan: Iterable[Kelurahan], fills: Mapping[str, str] | None = None) -> SafeString:
    shapes = [(k, _rings(k.boundary)) for k in kelurahan if k.boundary]
    points = [pt for _k, rings in shapes for ring in rings for pt in ring]
    if not points:
        return mark_safe("")
    min_x = min(p[0] for p in points)
    max_x = max(p[0] for p in points)
    min_y = min(p[1] for p in points)
    max_y = max(p[1] for p in points)
    # Equirectangular with the longitude squeezed by cos(latitude): true enough for one city.
    squeeze = math.cos(math.radians((min_y + max_y) / 2))
    scale = WIDTH / ((max_x - min_x) * squeeze)
    height = (max_y - min_y) * scale

    def project(pt: Sequence[float]) -> str:
        return f"{(pt[0] - min_x) * squeeze * scale:.1f},{(max_y - pt[1]) * scale:.1f}"

    paths = []
    for k, rings in shapes:
        d = " ".join("M" + " L".join(project(pt) for pt in ring) + " Z" for ring in rings)
        css = escape((fills or {}).get(k.code, "region"))
        paths.append(
            format_html('<path class="{}" d="{}"><title>{} ({})</title></path>', css, d, k.name, k.kecamatan.name)
        )
    return format_html(
        '<svg class="region-map" viewBox="0 0 {} {}" role="img" aria-label="Peta kelurahan">{}</svg>',
        WIDTH,
        f"{height:.0f}",
        mark_safe("".join(paths)),
    )
