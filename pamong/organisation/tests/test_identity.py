import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from pamong.organisation.identity import (
    IdentityKind,
    Sex,
    compose_ni_pppk,
    compose_nip,
    compose_ptt,
    format_identity_number,
    mask_identity_number,
    parse_identity_number,
)

TODAY = dt.date(2026, 11, 23)
births = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2005, 12, 31))
sexes = st.sampled_from([Sex.MALE, Sex.FEMALE])
serials = st.integers(min_value=1, max_value=999)


@st.composite
def nips(draw: st.DrawFn) -> tuple[str, dt.date, dt.date, Sex, int]:
    birth = draw(births)
    age = draw(st.integers(min_value=19, max_value=40))
    tmt = dt.date(min(birth.year + age, TODAY.year), draw(st.integers(1, 12)), 1)
    sex, serial = draw(sexes), draw(serials)
    return compose_nip(birth, tmt, sex, serial), birth, tmt, sex, serial


@given(nips())
def test_a_composed_nip_parses_back_to_its_parts(case: tuple[str, dt.date, dt.date, Sex, int]) -> None:
    number, birth, tmt, sex, serial = case
    parsed = parse_identity_number(number, today=TODAY)
    assert parsed.kind is IdentityKind.PNS
    assert (parsed.birth_date, parsed.start_date, parsed.sex, parsed.serial) == (birth, tmt, sex, serial)
    assert parsed.agreement is None


@given(births, st.integers(19, 45), st.integers(1, 9), sexes, serials)
def test_a_composed_ni_pppk_parses_as_pppk(birth: dt.date, age: int, agreement: int, sex: Sex, serial: int) -> None:
    year = min(birth.year + age, TODAY.year)
    parsed = parse_identity_number(compose_ni_pppk(birth, year, agreement, sex, serial), today=TODAY)
    assert parsed.kind is IdentityKind.PPPK
    assert parsed.start_date == dt.date(year, 1, 1)
    assert parsed.agreement == agreement
    assert parsed.sex is sex and parsed.birth_date == birth


@given(nips(), st.sampled_from([" ", ".", "-"]))
def test_the_separators_people_type_are_ignored(case: tuple[str, dt.date, dt.date, Sex, int], sep: str) -> None:
    number = case[0]
    typed = sep.join([number[0:8], number[8:14], number[14], number[15:18]])
    assert parse_identity_number(typed, today=TODAY).number == number


@given(nips(), st.sampled_from("03456789"))
def test_a_sex_digit_other_than_1_or_2_is_named_in_the_error(
    case: tuple[str, dt.date, dt.date, Sex, int], digit: str
) -> None:
    number = case[0][:14] + digit + case[0][15:]
    with pytest.raises(ValidationError) as error:
        parse_identity_number(number, today=TODAY)
    assert "Digit 15" in error.value.messages[0]


@given(st.text(alphabet="0123456789", min_size=1, max_size=30).filter(lambda s: len(s) != 18))
def test_a_number_of_the_wrong_length_says_how_many_digits_it_has(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_identity_number(text, today=TODAY)
    assert f"{len(text)} digit" in error.value.messages[0]


@given(st.text(max_size=40))
def test_any_text_either_parses_or_raises_a_validation_error(text: str) -> None:
    try:
        parsed = parse_identity_number(text, today=TODAY)
    except ValidationError as error:
        assert error.messages and all(isinstance(m, str) and m for m in error.messages)
    else:
        assert parsed.kind in set(IdentityKind)


@given(st.integers(13, 20) | st.integers(30, 99) | st.just(0))
def test_digits_13_14_that_are_neither_a_month_nor_a_pppk_code_are_rejected(code: int) -> None:
    number = f"198609262015{code:02d}1001"
    with pytest.raises(ValidationError) as error:
        parse_identity_number(number, today=TODAY)
    assert "Digit 13–14" in error.value.messages[0]


def test_the_example_from_the_regulation_reads_as_expected() -> None:
    parsed = parse_identity_number("19860926 201505 1 001", today=TODAY)
    assert parsed.kind is IdentityKind.PNS
    assert parsed.birth_date == dt.date(1986, 9, 26)
    assert parsed.start_date == dt.date(2015, 5, 1)
    assert parsed.sex is Sex.MALE and parsed.serial == 1
    pppk = parse_identity_number("200012312024211001", today=TODAY)
    assert pppk.kind is IdentityKind.PPPK and pppk.agreement == 1 and pppk.start_date == dt.date(2024, 1, 1)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("19860231201505 1 001", "bukan tanggal"),  # 31 February
        ("198609262015051000", "000"),
        ("198609262000051001", "berusia 13 tahun"),  # appointed at 13
        ("1986O9262015051001", "hanya berisi angka"),
        ("", "wajib diisi"),
        ("PTT-19-1", "PTT-TTTT-NNNNN"),
        ("PTT-1985-00001", "tidak masuk akal"),
        ("PTT-2019-00000", "00000"),
    ],
)
def test_each_wrong_part_gets_its_own_indonesian_message(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_identity_number(text, today=TODAY)
    assert fragment in error.value.messages[0]


@given(
    st.integers(1990, 2026),
    st.integers(1, 99999),
    st.sampled_from(["PTT-{y}-{s:05d}", "ptt{y}{s:05d}", "PTT {y} {s:05d}"]),
)
def test_ptt_numbers_are_canonicalised(year: int, serial: int, shape: str) -> None:
    parsed = parse_identity_number(shape.format(y=year, s=serial), today=TODAY)
    assert parsed.kind is IdentityKind.PTT
    assert parsed.number == compose_ptt(year, serial)
    assert parsed.birth_date is None and parsed.sex is None


def test_masking_hides_the_birth_date_but_keeps_the_shape() -> None:
    assert mask_identity_number("198609262015051001") == "19****** 2015** 1 ***"
    assert "0926" not in mask_identity_number("198609262015051001")
    assert mask_identity_number("PTT-2019-00421") == "PTT-2019-***21"
    assert format_identity_number("198609262015051001") == "19860926 201505 1 001"
