"""Loading Kupang's areas from shared data, and what happens when the data is missing or wrong."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from pamong.organisation.models import Kecamatan, Kelurahan

pytestmark = pytest.mark.django_db


def test_import_regions_loads_the_51_kelurahan_with_boundaries() -> None:
    out = StringIO()
    call_command("import_regions", str(settings.PAMONG_DATA_DIR), stdout=out)
    assert Kecamatan.objects.count() == 6
    assert Kelurahan.objects.count() == 51
    namosain = Kelurahan.objects.get(code="53.71.01.1001")
    assert (namosain.name, namosain.kecamatan.name) == ("Namosain", "Alak")
    assert namosain.boundary["type"] == "Polygon"
    assert "51 kelurahan" in out.getvalue()


def test_importing_twice_changes_nothing() -> None:
    call_command("import_regions", str(settings.PAMONG_DATA_DIR), stdout=StringIO())
    call_command("import_regions", str(settings.PAMONG_DATA_DIR), stdout=StringIO())
    assert Kelurahan.objects.count() == 51


def test_any_directory_of_the_same_shape_works(tmp_path: Path) -> None:
    (tmp_path / "kelurahan.csv").write_text(
        "kecamatan_code,kecamatan,kelurahan_code,kelurahan\n53.71.01,Alak,53.71.01.1001,Namosain\n", encoding="utf-8"
    )
    call_command("import_regions", str(tmp_path), stdout=StringIO())
    assert list(Kelurahan.objects.values_list("name", "boundary")) == [("Namosain", None)]


def test_a_kelurahan_outside_its_kecamatan_is_refused_and_nothing_is_saved(tmp_path: Path) -> None:
    (tmp_path / "kelurahan.csv").write_text(
        "kecamatan_code,kecamatan,kelurahan_code,kelurahan\n"
        "53.71.01,Alak,53.71.01.1001,Namosain\n53.71.01,Alak,53.71.02.1001,Salah\n",
        encoding="utf-8",
    )
    with pytest.raises(
        CommandError, match=re.escape("Baris 3: kode kelurahan 53.71.02.1001 tidak berada di kecamatan 53.71.01")
    ):
        call_command("import_regions", str(tmp_path), stdout=StringIO())
    assert not Kelurahan.objects.exists() and not Kecamatan.objects.exists()


def test_a_missing_directory_is_said_plainly(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_regions", str(tmp_path / "tidak-ada"), stdout=StringIO())


def test_the_home_page_says_when_regions_are_missing() -> None:
    page = Client().get("/").content.decode()
    assert "Data wilayah Kota Kupang belum dimuat" in page
