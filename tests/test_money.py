from __future__ import annotations

import pandas as pd
import pytest

from atlas.figures import Figure
from atlas.money import MissingRate, RateTable, describe_conversion


@pytest.fixture()
def rates() -> RateTable:
    frame = pd.DataFrame(
        [
            {"year": 2019, "currency": "KZT", "per_usd": 382.7, "source": "WB"},
            {"year": 2019, "currency": "EUR", "per_usd": 0.893409, "source": "ECB"},
        ]
    )
    return RateTable.from_frame(frame)


def test_kzt_2019_to_eur_goes_through_usd(rates: RateTable) -> None:
    c = rates.convert(Figure(570_000), "KZT", "EUR", 2019)
    assert c.converted.value == pytest.approx(570_000 / 382.7 * 0.893409)
    assert c.rate == pytest.approx(0.893409 / 382.7)
    assert c.source == "WB; ECB" and c.year == 2019


def test_qualifier_survives_conversion(rates: RateTable) -> None:
    c = rates.convert(Figure(32_000_000, "at_least"), "KZT", "EUR", 2019)
    assert c.converted.qualifier.value == "at_least"


def test_missing_year_is_not_guessed(rates: RateTable) -> None:
    with pytest.raises(MissingRate):
        rates.convert(Figure(12_000_000), "KZT", "EUR", 2018)
    with pytest.raises(MissingRate):
        rates.convert(Figure(12_000_000), "KZT", "EUR", None)


def test_same_currency_needs_no_rate(rates: RateTable) -> None:
    assert rates.convert(Figure(400_000), "EUR", "EUR", None).converted.value == 400_000


def test_bundled_table_covers_every_flow_year(snap) -> None:  # type: ignore[no-untyped-def]
    flows = snap.table("funding_flows")
    for year, currency in zip(flows["year"], flows["currency"], strict=True):
        if pd.notna(year) and currency:
            assert snap.rates.rate(currency, "EUR", int(year)) > 0
    assert snap.rates.rate("USD", "KZT", 2019) == pytest.approx(382.7)


def test_try_convert_says_when_there_is_no_rate(rates: RateTable) -> None:
    c = rates.try_convert(Figure(12_000_000), "KZT", "EUR", None)
    assert c.rate is None and not c.converted.is_known
    assert describe_conversion(c, "en") == "12,000,000 KZT (year not stated): " \
        "no exchange rate for its year"


def test_described_conversion_gives_original_rate_year_and_source(rates: RateTable) -> None:
    c = rates.convert(Figure(570_000), "KZT", "EUR", 2019)
    text = describe_conversion(c, "en")
    assert text.startswith("570,000 KZT (2019) → 1,331 EUR; 1 KZT = 0.00233449 EUR")
    assert text.endswith("(rate: WB; ECB)")
    assert describe_conversion(c, "ru").startswith("570\u00a0000 KZT (2019) → 1\u00a0331 EUR; "
                                                   "1 KZT = 0,00233449 EUR")
