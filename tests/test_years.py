"""countybook.years: the one written form of a year, for data and for --year."""

from __future__ import annotations

import argparse

import pytest

from countybook import years


@pytest.mark.parametrize("text", [str(years.FIRST), "2024", str(years.LAST)])
def test_plain_digits_in_range_are_a_year(text):
    assert years.is_year(text) and years.year_argument(text) == int(text)


@pytest.mark.parametrize(
    "text",
    [
        "02024",
        "2024.0",
        "\uff12\uff10\uff12\uff14",
        "\u0662\u0660\u0662\u0664",
        "+2024",
        " 2024",
        "2024\n",
        "2_024",
        str(years.FIRST - 1),
        str(years.LAST + 1),
        "",
        None,
        2024,
    ],
)
def test_every_other_form_is_not(text):
    assert not years.is_year(text)


def test_year_argument_names_the_rule():
    with pytest.raises(
        argparse.ArgumentTypeError, match="'02024' is not a whole year from 1949 to 2100 written as plain digits"
    ):
        years.year_argument("02024")


@pytest.mark.parametrize("text, expected", [("1", 1), ("12", 12)])
def test_count_argument_takes_whole_numbers_from_one(text, expected):
    assert years.count_argument(text) == expected


@pytest.mark.parametrize("text", ["0", "-1", "abc", "1.5", "\uff12", ""])
def test_count_argument_refuses_the_rest_plainly(text):
    with pytest.raises(argparse.ArgumentTypeError, match="is not a whole number of at least 1"):
        years.count_argument(text)
