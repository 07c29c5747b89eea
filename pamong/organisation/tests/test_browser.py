"""End-to-end checks in a real browser: Debian's Chromium driven by Playwright, on a phone-sized screen.

Run alone with ``pytest -m browser``; they need /usr/bin/chromium (``make browser`` installs it).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

import pytest

# The browser and phone fixtures come from pamong/conftest.py.
from pamong.core.browser import Phone, no_horizontal_scroll, sync_api
from pamong.organisation import services
from pamong.organisation.identity import Sex, compose_nip, format_identity_number
from pamong.organisation.models import OPD, Employee, Role, User

PASSWORD = "tenun-ikat-sabu-2024"

# No skip when Chromium is missing: `make test` installs it, and a silent skip would hide a failure.
pytestmark = [pytest.mark.browser]


@dataclass
class City:
    dinkes: OPD
    bappeda: OPD
    operator: Employee
    nurse: Employee
    planner: Employee


def _nip(birth: dt.date, tmt: dt.date, sex: Sex, serial: int) -> str:
    return compose_nip(birth, tmt, sex, serial)


@pytest.fixture
def city(transactional_db: None) -> City:
    pemda = services.ensure_pemda()
    dinkes = OPD.objects.create(
        pemda=pemda, code="dinkes", name="Dinas Kesehatan", abbreviation="Dinkes", kind=OPD.Kind.DINAS
    )
    bappeda = OPD.objects.create(
        pemda=pemda,
        code="bappeda",
        name="Badan Perencanaan Pembangunan Daerah",
        abbreviation="Bappeda",
        kind=OPD.Kind.BADAN,
    )
    operator = services.create_employee(
        identity_number=_nip(dt.date(1986, 9, 26), dt.date(2015, 5, 1), Sex.MALE, 1),
        by=None,
        name="Yohanes Ndolu",
        opd=dinkes,
        sex="L",
        rank="III/b",
        status="aktif",
    )
    nurse = services.create_employee(
        identity_number=_nip(dt.date(1990, 3, 14), dt.date(2014, 3, 1), Sex.FEMALE, 7),
        by=None,
        name="Maria Bunga Lete",
        opd=dinkes,
        sex="P",
        rank="III/a",
        status="aktif",
    )
    planner = services.create_employee(
        identity_number=_nip(dt.date(1983, 12, 2), dt.date(2009, 1, 1), Sex.FEMALE, 3),
        by=None,
        name="Ester Tefa",
        opd=bappeda,
        sex="P",
        rank="III/d",
        status="aktif",
    )
    return City(dinkes=dinkes, bappeda=bappeda, operator=operator, nurse=nurse, planner=planner)


def _user_for(employee: Employee, role: str, opd: OPD | None = None) -> User:
    user = User.objects.create_user(
        username=employee.identity_number, password=PASSWORD, full_name=employee.full_name, employee=employee
    )
    services.grant_role(user, role, opd=opd, by=None)
    return user


def _log_in(phone: Phone, base_url: str, path: str, identity_number: str) -> None:
    page = phone.page
    page.goto(base_url + path)
    assert "/masuk/" in page.url
    # Typed the way it is printed on the SK: with spaces.
    page.locator("#id_username").fill(format_identity_number(identity_number))
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _is_htmx_list_response(response: sync_api.Response) -> bool:
    return "/organisasi/pegawai/" in response.url and response.request.headers.get("hx-request") == "true"


def test_operator_logs_in_switches_to_english_and_filters_own_opd(
    live_server: object, city: City, phone: Phone
) -> None:
    base = str(live_server)
    _user_for(city.operator, Role.OPERATOR_OPD, city.dinkes)
    page = phone.page

    _log_in(phone, base, "/masuk/", city.operator.identity_number)
    assert page.url == base + "/"
    assert page.locator("html").get_attribute("lang") == "id"
    sync_api.expect(page.get_by_role("link", name="Daftar pegawai")).to_be_visible()
    no_horizontal_scroll(page)

    # The language switch in the header (a form button, so it works without JavaScript).
    with page.expect_navigation():
        page.locator("header button[name=language][value=en]").click()
    assert page.url == base + "/"
    sync_api.expect(page.locator("html")).to_have_attribute("lang", "en")
    sync_api.expect(page.locator("header button[name=language][value=id]")).to_be_visible()
    no_horizontal_scroll(page)
    # A string Django itself translates, independent of Pamong's own English catalogue.
    page.goto(base + "/akun/kata-sandi/")
    sync_api.expect(page.locator("label[for=id_old_password]")).to_have_text("Old password")

    page.goto(base + "/organisasi/pegawai/")
    sync_api.expect(page.locator("html")).to_have_attribute("lang", "en")
    results = page.locator("#results")
    sync_api.expect(results).to_contain_text(city.operator.name)
    sync_api.expect(results).to_contain_text(city.nurse.name)
    sync_api.expect(results).not_to_contain_text(city.planner.name)
    no_horizontal_scroll(page)

    # htmx replaces #results in place: a marker on window survives only if there was no reload.
    page.evaluate("window.__pamongNoReload = true")
    with page.expect_response(_is_htmx_list_response):
        page.locator("#id_q").fill("bunga")
    sync_api.expect(results).to_contain_text(city.nurse.name)
    sync_api.expect(results).not_to_contain_text(city.operator.name)
    assert page.evaluate("window.__pamongNoReload === true"), "the search reloaded the whole page"
    assert "q=bunga" in page.url  # hx-push-url keeps the filtered list linkable
    no_horizontal_scroll(page)

    # The other OPD's employee stays out of reach even when searched for by name.
    with page.expect_response(_is_htmx_list_response):
        page.locator("#id_q").fill("Tefa")
    sync_api.expect(results.locator("tbody tr")).to_have_count(1)
    sync_api.expect(results).not_to_contain_text(city.planner.name)
    assert page.evaluate("window.__pamongNoReload === true")

    assert phone.csp_violations == []
    assert phone.failed_requests == []  # the stylesheets and htmx came from WhiteNoise


def test_sekda_enrols_totp_and_reaches_employee_list(live_server: object, city: City, phone: Phone) -> None:
    from django_otp.oath import totp

    base = str(live_server)
    sekda = services.create_employee(
        identity_number=_nip(dt.date(1972, 4, 20), dt.date(1998, 3, 1), Sex.MALE, 2),
        by=None,
        name="Fransiskus Lodo",
        opd=city.bappeda,
        sex="L",
        rank="IV/c",
        status="aktif",
    )
    _user_for(sekda, Role.SEKDA)
    page = phone.page

    _log_in(phone, base, "/organisasi/pegawai/", sekda.identity_number)
    assert "/masuk/otp/daftar/" in page.url
    assert "next=%2Forganisasi%2Fpegawai%2F" in page.url
    no_horizontal_scroll(page)

    # Nothing else is reachable before the second factor.
    page.goto(base + "/organisasi/pegawai/")
    assert "/masuk/otp/daftar/" in page.url

    secret = page.locator(".secret").inner_text().replace(" ", "").strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    code = totp(key, step=30, t0=0, digits=6)
    page.locator("#id_token").fill(f"{code:06d}")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    assert page.url.startswith(base + "/organisasi/pegawai/")
    results = page.locator("#results")
    # Sekda sees the whole city.
    for employee in (city.operator, city.nurse, city.planner, sekda):
        sync_api.expect(results).to_contain_text(employee.name)
    no_horizontal_scroll(page)
    assert phone.csp_violations == []
    assert phone.failed_requests == []  # the stylesheets and htmx came from WhiteNoise
