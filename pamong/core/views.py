from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from pamong.organisation.models import Kelurahan, Role


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse(
        {
            "status": "ok",
            "database": connection.vendor,
            "database_ms": round((time.perf_counter() - started) * 1000, 2),
        }
    )


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = sorted(Role(r).label for r in user.roles) if user.is_authenticated else []
    context = {
        "user_roles": roles,
        "regions_loaded": Kelurahan.objects.exists(),
        "data_dir": settings.PAMONG_DATA_DIR,
    }
    return render(request, "core/home.html", context)
