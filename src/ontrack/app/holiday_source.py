"""Public holidays from the `holidays` package, handed to the core as plain dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import holidays


class CountryHolidays:
    """A holiday source for one scheduling run, remembering what it already looked up."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, int], tuple[date, ...]] = {}

    def __call__(self, country: str, year: int) -> Iterable[date]:
        key = (country, year)
        if key not in self._seen:
            self._seen[key] = tuple(holidays.country_holidays(country, years=year))
        return self._seen[key]
