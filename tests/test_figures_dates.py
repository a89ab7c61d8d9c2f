import datetime as dt

from claims import dates, figures


def gold_figures(text):
    return [f.as_gold() for f in figures.extract(text)]


def test_money_with_publisher_conversion_is_one_figure():
    found = figures.extract("with 3 billion pounds ($3.6 billion) already committed for lethal aid")
    assert len(found) == 1
    assert found[0].as_gold()["amount"] == 3_000_000_000 and found[0].currency == "GBP"
    assert found[0].equivalent == (3_600_000_000, "USD")


def test_symbols_scales_counts_and_qualifiers():
    assert gold_figures("a £2.26bn loan")[0] == {"amount": 2_260_000_000, "currency": "GBP", "what": "loan"}
    assert gold_figures("Each week brings 2,500 soldier deaths")[0]["amount"] == 2500
    thirty = gold_figures("more than 30 countries have expressed willingness")[0]
    assert thirty["amount"] == 30 and "more than 30" in thirty["what"] and thirty["currency"] is None
    assert [f["amount"] for f in gold_figures("rates of 4.25% to 4.50%")] == [4.25, 4.5]


def test_years_dates_ordinals_and_name_numbers_are_not_figures():
    assert gold_figures("a 30-day ceasefire and the 100-year partnership in 2022") == []
    assert gold_figures("said on Jan. 15 after his fourth meeting") == []


def test_relative_and_explicit_dates():
    monday = dt.date(2025, 5, 12)
    assert dates.resolve("said on Sunday afternoon", monday) == dt.date(2025, 5, 11)
    assert dates.resolve("on Monday night", monday) == monday
    assert dates.resolve("yesterday pulled out", monday) == dt.date(2025, 5, 11)
    assert dates.resolve("Meloni said on Jan. 9", dt.date(2026, 1, 15)) == dt.date(2026, 1, 9)
    # A day later in the year than publication belongs to the previous year.
    assert dates.resolve("on Dec. 30", dt.date(2026, 1, 15)) == dt.date(2025, 12, 30)
    assert dates.resolve("recently", monday) is None


def test_dated_background_is_recognised():
    assert dates.is_dated_background("declared annexation in September 2022", dt.date(2025, 2, 5))
    assert dates.is_dated_background("an ultimatum last June", dt.date(2025, 2, 5))
    assert not dates.is_dated_background("peace talks in 2025", dt.date(2025, 2, 5))


def test_a_scale_word_makes_a_spelled_out_amount_a_figure():
    from claims import figures

    assert [(f.amount, f.currency) for f in figures.extract("we will see a trillion dollars of savings")] == [(1e12, "USD")]
    assert [(f.amount, f.currency) for f in figures.extract("half a billion pounds for ferries")] == [(5e8, "GBP")]
    assert figures.extract("they will pay a pound more") == []
