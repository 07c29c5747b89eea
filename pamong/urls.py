from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.i18n import set_language

from pamong.api import api
from pamong.core.views import healthz

# The admin has no login page of its own: everyone goes through Pamong's login and second factor.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

handler403 = "pamong.core.views.permission_denied"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("pamong.organisation.urls")),
    path("deklarasi/", include("pamong.neutrality.urls")),
    path("", include("pamong.cases.urls")),
    path("kepegawaian/", include("pamong.staffing.urls")),
    path("transparansi/jabatan/", include("pamong.staffing.public_urls")),
    path("", include("pamong.core.urls")),
]
