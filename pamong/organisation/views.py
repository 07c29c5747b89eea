from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from pamong.core.forms import add_service_errors
from pamong.core.http import PamongRequest
from pamong.core.paging import paginate
from pamong.organisation import queries, services, signals
from pamong.organisation.forms import (
    EmployeeFilterForm,
    EmployeeForm,
    LoginForm,
    OTPTokenForm,
    PasswordChangeForm,
    canonical_username,
)
from pamong.organisation.models import User
from pamong.organisation.ranks import rank_label

EMPLOYEES_PER_PAGE = 50


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account axes counts failures against: the canonical identity number."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return canonical_username(raw)


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "organisation/locked_out.html", {"minutes": minutes}, status=429)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            form.add_error(None, _("Nomor identitas atau kata sandi salah."))
        else:
            login(request, user)
            assert isinstance(user, User)
            signals.password_verified.send(
                sender=User, user=user, password=form.cleaned_data["password"], request=request
            )
            if services.requires_two_factor(user):
                has_device = any(devices_for_user(user, confirmed=True))
                target = "organisation:otp_verify" if has_device else "organisation:otp_enrol"
                return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': _next_url(request)})}")
            return HttpResponseRedirect(_next_url(request))
    return render(request, "organisation/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Anda telah keluar."))
    return redirect("core:home")


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: PamongRequest) -> HttpResponse:
    user = request.user
    devices = [d for d in devices_for_user(user, confirmed=True) if isinstance(d, TOTPDevice)]
    if not devices:
        return redirect("organisation:otp_enrol")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = devices[0]
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        form.add_error(
            "token", _("Kode salah atau sudah kedaluwarsa. Periksa jam ponsel Anda lalu coba kode berikutnya.")
        )
    return render(request, "organisation/otp_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request: PamongRequest) -> HttpResponse:
    user = request.user
    if any(devices_for_user(user, confirmed=True)):
        return redirect("organisation:otp_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Aplikasi autentikator"), confirmed=False)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Verifikasi dua langkah aktif. Simpan aplikasi autentikator Anda baik-baik."))
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("Kode belum cocok. Pastikan kode diambil dari akun yang baru dipindai."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#111", light="#fff")
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "organisation/otp_enrol.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": request.GET.get("next", ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: PamongRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            signals.password_verified.send(
                sender=User,
                user=user,
                password=form.cleaned_data["new_password1"],
                old_password=form.cleaned_data["old_password"],
                request=request,
            )
        update_session_auth_hash(request, user)
        messages.success(request, _("Kata sandi berhasil diganti."))
        return redirect("core:home")
    return render(request, "organisation/password_change.html", {"form": form})


# --- Employees ---------------------------------------------------------------------------------


@login_required
def employee_list(request: PamongRequest) -> HttpResponse:
    visible = queries.employees_visible_to(request.user)
    opds = queries.opds_for_employee_filter(request.user).only("id", "name", "abbreviation")
    form = EmployeeFilterForm(request.GET or None, opds=opds)
    rows = visible
    if form.is_valid():
        if term := form.cleaned_data["q"].strip():
            rows = rows.filter(Q(name__icontains=term) | Q(identity_number__icontains=term.replace(" ", "")))
        if form.cleaned_data["opd"]:
            rows = rows.filter(opd=form.cleaned_data["opd"])
        if form.cleaned_data["kind"]:
            rows = rows.filter(kind=form.cleaned_data["kind"])
    page, query = paginate(request, rows.order_by("name", "id"), EMPLOYEES_PER_PAGE)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_edit": queries.can_edit_people(request.user),
        # An operator of one OPD has nothing to choose; the select only takes room on a phone.
        "several_opds": queries.sees_several_opds(request.user),
    }
    template = "organisation/employee_list.html#results" if request.htmx else "organisation/employee_list.html"
    return render(request, template, context)


@login_required
def employee_detail(request: PamongRequest, pk: int) -> HttpResponse:
    employee = queries.get_employee_for(request.user, pk)
    can_edit = queries.opds_where_user_edits_people(request.user).filter(pk=employee.opd_id).exists()
    return render(
        request,
        "organisation/employee_detail.html",
        {"employee": employee, "rank": rank_label(employee.kind, employee.rank), "can_edit": can_edit},
    )


@login_required
@require_http_methods(["GET", "POST"])
def employee_create(request: PamongRequest) -> HttpResponse:
    opds = queries.opds_where_user_edits_people(request.user)
    if not opds.exists():
        raise Http404
    form = EmployeeForm(request.POST or None, opds=opds)
    if request.method == "POST" and form.is_valid():
        try:
            employee = services.create_employee(
                identity_number=form.cleaned_data["identity_number"], by=request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Pegawai %(nama)s tersimpan.") % {"nama": employee.full_name})
            return redirect("organisation:employee_detail", pk=employee.pk)
    return render(request, "organisation/employee_form.html", {"form": form, "employee": None})


@login_required
@require_http_methods(["GET", "POST"])
def employee_edit(request: PamongRequest, pk: int) -> HttpResponse:
    employee = queries.get_employee_editable_by(request.user, pk)
    opds = queries.opds_where_user_edits_people(request.user)
    form = EmployeeForm(request.POST or None, opds=opds, instance=employee)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_employee(employee, by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Perubahan data %(nama)s tersimpan.") % {"nama": employee.full_name})
            return redirect("organisation:employee_detail", pk=employee.pk)
    return render(request, "organisation/employee_form.html", {"form": form, "employee": employee})


# --- Agencies and areas (public information) ---------------------------------------------------


def opd_list(request: HttpRequest) -> HttpResponse:
    rows = queries.opds_with_counts().order_by("kind", "name")
    return render(request, "organisation/opd_list.html", {"opds": rows})


def opd_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opd = get_object_or_404(queries.opds_with_counts(), pk=pk)
    positions = (
        opd.positions.filter(level__in=["jpt_pratama", "administrator", "pengawas"])
        .prefetch_related("holders")
        .order_by("grade", "id")
    )
    return render(
        request, "organisation/opd_detail.html", {"opd": opd, "positions": positions, "units": opd.units.all()}
    )


def region_list(request: HttpRequest) -> HttpResponse:
    from pamong.organisation.maps import region_svg

    kelurahan = list(queries.kelurahan_list())
    return render(
        request,
        "organisation/region_list.html",
        {"kelurahan": kelurahan, "map_svg": region_svg(kelurahan), "data_dir": settings.PAMONG_DATA_DIR},
    )
