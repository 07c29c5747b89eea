"""What every page shares: health, language, Indonesian dates and money, security headers, settings."""

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, override_settings
from django.utils import translation

from pamong.core.clock import business_today
from pamong.core.money import format_rupiah
from pamong.core.templatetags.pamong import tanggal, waktu

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_healthz_reports_the_database() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] in {"sqlite", "postgresql"}


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (1234567, "Rp 1.234.567"),
        (Decimal("227700000000"), "Rp 227.700.000.000"),
        (0, "Rp 0"),
        (-5000, "-Rp 5.000"),
        (Decimal("999.5"), "Rp 1.000"),
        (None, "–"),
    ],
)
def test_rupiah_is_written_the_indonesian_way(amount: object, text: str) -> None:
    assert format_rupiah(amount) == text  # type: ignore[arg-type]


def test_dates_read_27_november_2024_in_both_languages() -> None:
    day = dt.date(2024, 11, 27)
    with translation.override("id"):
        assert tanggal(day) == "27 November 2024"
        assert tanggal(dt.date(2024, 10, 17)) == "17 Oktober 2024"
    with translation.override("en"):
        assert tanggal(dt.date(2024, 10, 17)) == "17 October 2024"


def test_times_are_shown_in_kupang_time() -> None:
    moment = dt.datetime(2024, 10, 16, 23, 0, tzinfo=ZoneInfo("UTC"))
    with translation.override("id"):
        assert waktu(moment) == "17 Oktober 2024, 07.00 WITA"


@pytest.mark.django_db
def test_pages_are_indonesian_even_when_the_phone_prefers_english() -> None:
    response = Client().get("/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert 'lang="id"' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_turns_pages_english() -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302
    page = client.get("/masuk/").content.decode()
    assert 'lang="en"' in page
    assert "Log in" in page and "Kata sandi" not in page


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy() -> None:
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_front_end_libraries_are_served_locally() -> None:
    page = Client().get("/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in page and "/static/vendor/pico/pico.min.css" in page
    assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]


def test_the_business_date_follows_configuration() -> None:
    with override_settings(PAMONG_BUSINESS_DATE="2024-10-17"):
        assert business_today() == dt.date(2024, 10, 17)
    with override_settings(PAMONG_BUSINESS_DATE=""):
        assert business_today() >= dt.date(2026, 1, 1)


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key_or_hosts() -> None:
    no_key = _manage("check", PAMONG_ENV="production", ALLOWED_HOSTS="pamong.kupangkota.go.id")
    assert no_key.returncode != 0 and "SECRET_KEY wajib diisi" in no_key.stderr
    no_hosts = _manage("check", PAMONG_ENV="production", SECRET_KEY="x" * 60)
    assert no_hosts.returncode != 0 and "ALLOWED_HOSTS wajib diisi" in no_hosts.stderr


def test_the_deploy_check_is_clean_in_production() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PAMONG_ENV="production",
        SECRET_KEY="k" * 30 + "Z9_-" * 10,
        ALLOWED_HOSTS="pamong.kupangkota.go.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_english_catalog_has_no_untranslated_or_fuzzy_entry() -> None:
    catalog = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        [sys.executable, str(ROOT / "locale" / "check_translations.py"), str(catalog)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_passwords_are_hashed_with_argon2id_at_the_owasp_parameters() -> None:
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password("Sasando-Kupang-77")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("Sasando-Kupang-77", encoded)
    assert not check_password("sasando-kupang-77", encoded)
