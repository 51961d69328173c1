"""Calendar quarters, the model's unit of time (labels like ``2024Q1``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_LABEL = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter; ordered, hashable, and shifted by whole quarters with ``+``/``-``."""

    year: int
    q: int

    def __post_init__(self) -> None:
        if not 1 <= self.q <= 4:
            raise ValueError(f"quarter must be 1..4, got {self.q}")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Parse ``2024Q1`` (case and spaces tolerated); raise ValueError otherwise."""
        m = _LABEL.match(str(text))
        if not m:
            raise ValueError(f"not a quarter label like 2024Q1: {text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, d: date) -> Quarter:
        """The quarter that holds date ``d``."""
        return cls(d.year, (d.month - 1) // 3 + 1)

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        return cls(index // 4, index % 4 + 1)

    @property
    def index(self) -> int:
        """A running count of quarters, so differences are plain subtraction."""
        return self.year * 4 + self.q - 1

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.q}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.q - 2, 1)

    @property
    def last_day(self) -> date:
        month = 3 * self.q
        return date(self.year, month, 31 if month in (3, 12) else 30)

    def __add__(self, n: int) -> Quarter:
        return Quarter.from_index(self.index + n)

    def __sub__(self, other: int | Quarter):  # type: ignore[override]
        if isinstance(other, Quarter):
            return self.index - other.index
        return Quarter.from_index(self.index - other)

    def __str__(self) -> str:
        return self.label


def quarter_range(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from ``first`` to ``last`` inclusive."""
    return [Quarter.from_index(i) for i in range(first.index, last.index + 1)]
