from datetime import date

import pytest

from core.periods import (
    FinancialQuarter,
    PeriodError,
    add_working_days,
    default_deadline,
    financial_year_label,
    parse_financial_year,
)


@pytest.mark.parametrize(
    "text, year, quarter",
    [
        ("2019-20 Q3", 2019, 3),
        ("2019-20-Q3", 2019, 3),
        ("2019/20 Q1", 2019, 1),
        (" 1999-00 q4 ", 1999, 4),
    ],
)
def test_parse_accepts_partnership_and_url_forms(text, year, quarter):
    assert FinancialQuarter.parse(text) == FinancialQuarter(year, quarter)


@pytest.mark.parametrize(
    "text", ["2019 Q5", "2019-20 Q5", "2019-20 Q0", "2019-21 Q1", "2019-20", "Q1 2019", "", "abc"]
)
def test_parse_rejects_malformed_periods(text):
    with pytest.raises(PeriodError):
        FinancialQuarter.parse(text)


def test_label_and_slug():
    fq = FinancialQuarter(2019, 3)
    assert fq.label == "2019-20 Q3"
    assert str(fq) == "2019-20 Q3"
    assert fq.slug == "2019-20-Q3"
    assert fq.financial_year == "2019-20"
    assert financial_year_label(1999) == "1999-00"


@pytest.mark.parametrize(
    "quarter, start, end",
    [
        (1, date(2019, 4, 1), date(2019, 6, 30)),
        (2, date(2019, 7, 1), date(2019, 9, 30)),
        (3, date(2019, 10, 1), date(2019, 12, 31)),
        (4, date(2020, 1, 1), date(2020, 3, 31)),
    ],
)
def test_quarter_dates_follow_the_uk_financial_year(quarter, start, end):
    fq = FinancialQuarter(2019, quarter)
    assert (fq.start, fq.end) == (start, end)


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2019, 4, 1), FinancialQuarter(2019, 1)),
        (date(2019, 12, 31), FinancialQuarter(2019, 3)),
        (date(2020, 3, 31), FinancialQuarter(2019, 4)),
        (date(2020, 1, 1), FinancialQuarter(2019, 4)),
    ],
)
def test_containing(day, expected):
    assert FinancialQuarter.containing(day) == expected


def test_navigation_across_year_ends():
    assert FinancialQuarter(2019, 4).next() == FinancialQuarter(2020, 1)
    assert FinancialQuarter(2019, 1).previous() == FinancialQuarter(2018, 4)
    assert FinancialQuarter(2019, 3).same_quarter_last_year() == FinancialQuarter(2018, 3)
    assert FinancialQuarter(2019, 3).quarters_to_date() == [
        FinancialQuarter(2019, 1),
        FinancialQuarter(2019, 2),
        FinancialQuarter(2019, 3),
    ]


def test_quarters_sort_in_time_order():
    assert sorted([FinancialQuarter(2019, 1), FinancialQuarter(2018, 4)])[0] == FinancialQuarter(
        2018, 4
    )


def test_financial_year_parsing():
    assert parse_financial_year("2019-20") == 2019
    with pytest.raises(PeriodError):
        parse_financial_year("2019-21")
    with pytest.raises(PeriodError):
        parse_financial_year("2019")


def test_invalid_quarter_object_is_refused():
    with pytest.raises(PeriodError):
        FinancialQuarter(2019, 5)


def test_working_days_skip_weekends_and_holidays():
    friday = date(2020, 3, 27)
    assert add_working_days(friday, 1) == date(2020, 3, 30)  # Monday
    assert add_working_days(friday, 1, holidays=[date(2020, 3, 30)]) == date(2020, 3, 31)


def test_default_deadline_is_20_working_days_after_quarter_end():
    # 2019-20 Q4 ends Tue 31 March 2020; 20 working days later is Tue 28 April 2020.
    assert default_deadline(FinancialQuarter(2019, 4)) == date(2020, 4, 28)
    assert default_deadline(FinancialQuarter(2019, 4), working_days=5) == date(2020, 4, 7)
