"""A mixed-integer linear program held as numpy arrays: what the constraint families write into.

Columns (variables) and rows (constraints) are added in blocks, named when something finds them again by
name (``columns("budget")``, ``rows("budget")``: the analyses' budget variables, the budget rows whose duals
are read); coefficients are COO triplets. The
finished program goes to HiGHS in one ``passModel`` call, or to PuLP for CBC (``planner.model.backend``).
Nothing here knows about counties or quarters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

INF = float("inf")


def _cat(parts: list[np.ndarray], dtype: type = float) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)


def _indices(blocks: list[slice]) -> np.ndarray:
    return _cat([np.arange(s.start, s.stop) for s in blocks], np.int64)


@dataclass
class LinearProgram:
    """Bounds, integrality and matrix of a MILP, built block by block (minimise; the costs come per stage)."""

    col_lower: list[np.ndarray] = field(default_factory=list)
    col_upper: list[np.ndarray] = field(default_factory=list)
    col_integer: list[np.ndarray] = field(default_factory=list)
    row_lower: list[np.ndarray] = field(default_factory=list)
    row_upper: list[np.ndarray] = field(default_factory=list)
    entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    bound_fixes: list[tuple[np.ndarray, float | None, float | None]] = field(default_factory=list)
    col_blocks: dict[str, list[slice]] = field(default_factory=dict)  # name -> its blocks, in order
    row_blocks: dict[str, list[slice]] = field(default_factory=dict)
    n_cols: int = 0
    n_rows: int = 0

    def add_columns(self, n: int, lower: float = 0.0, upper: float = INF, integer: bool = False,
                    name: str | None = None) -> np.ndarray:
        """``n`` new variables; returns their indices. ``name``: found again by ``columns(name)``."""
        idx = np.arange(self.n_cols, self.n_cols + n)
        self.col_lower.append(np.full(n, lower))
        self.col_upper.append(np.full(n, upper))
        self.col_integer.append(np.full(n, integer))
        if name:
            self.col_blocks.setdefault(name, []).append(slice(self.n_cols, self.n_cols + n))
        self.n_cols += n
        return idx

    def add_rows(self, lower: np.ndarray | float, upper: np.ndarray | float, n: int | None = None,
                 rows: np.ndarray | None = None, cols: np.ndarray | None = None,
                 values: np.ndarray | float | None = None, name: str | None = None) -> np.ndarray:
        """New constraints ``lower <= A x <= upper``; ``rows`` (0-based within the block), ``cols`` and ``values``
        give their coefficients. Returns the new rows' indices. ``name``: found again by ``rows(name)``."""
        if n is None:
            n = len(np.atleast_1d(lower if np.ndim(lower) else upper))
        idx = np.arange(self.n_rows, self.n_rows + n)
        self.row_lower.append(np.broadcast_to(np.asarray(lower, dtype=float), (n,)).copy())
        self.row_upper.append(np.broadcast_to(np.asarray(upper, dtype=float), (n,)).copy())
        if name:
            self.row_blocks.setdefault(name, []).append(slice(self.n_rows, self.n_rows + n))
        self.n_rows += n
        if rows is not None:
            self.add_entries(idx[rows], cols, values)  # type: ignore[arg-type]
        return idx

    def add_entries(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray | float) -> None:
        """Coefficients of existing rows (absolute row indices)."""
        rows = np.asarray(rows, dtype=np.int64)
        values = np.broadcast_to(np.asarray(values, dtype=float), rows.shape)
        keep = values != 0
        self.entries.append((rows[keep], np.asarray(cols, dtype=np.int64)[keep], values[keep]))

    def columns(self, name: str) -> np.ndarray:
        """The columns added under ``name``, in order (none when there are none)."""
        return _indices(self.col_blocks.get(name, []))

    def rows(self, name: str) -> np.ndarray:
        """The rows added under ``name``, in order."""
        return _indices(self.row_blocks.get(name, []))

    def fix_bounds(self, cols: np.ndarray, lower: float | None = None, upper: float | None = None) -> None:
        """Change the bounds of some columns after they were created (e.g. a start that would miss a hard
        deadline gets upper bound 0; a choice held at a plan's value gets both bounds)."""
        self.bound_fixes.append((np.asarray(cols, dtype=np.int64), lower, upper))

    def fix_upper(self, cols: np.ndarray, value: float = 0.0) -> None:
        self.fix_bounds(cols, upper=value)

    # ------------------------------------------------------------------------------------ finished

    def finish(self) -> None:
        """Concatenate the blocks (idempotent); the matrix becomes column-wise (CSC)."""
        state = (self.n_cols, self.n_rows, len(self.entries), len(self.bound_fixes))
        if getattr(self, "_finished", None) == state:
            return
        self._col_lower = _cat(self.col_lower)
        self._col_upper = _cat(self.col_upper)
        for cols, lower, upper in self.bound_fixes:
            if lower is not None:
                self._col_lower[cols] = lower
            if upper is not None:
                self._col_upper[cols] = upper
        self._col_integer = _cat(self.col_integer, bool)
        self._row_lower = _cat(self.row_lower)
        self._row_upper = _cat(self.row_upper)
        rows = _cat([e[0] for e in self.entries], np.int64)
        cols = _cat([e[1] for e in self.entries], np.int64)
        vals = _cat([e[2] for e in self.entries])
        order = np.lexsort((rows, cols))
        rows, cols, vals = rows[order], cols[order], vals[order]
        if len(rows) > 1:  # entries written twice for one (row, column) add up; exact zeros are dropped
            first = np.concatenate(([True], (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])))
            group = np.cumsum(first) - 1
            vals = np.bincount(group, weights=vals)
            rows, cols = rows[first], cols[first]
            keep = vals != 0
            rows, cols, vals = rows[keep], cols[keep], vals[keep]
        self._a_index, self._a_value = rows, vals
        self._a_start = np.concatenate(([0], np.cumsum(np.bincount(cols, minlength=self.n_cols)))).astype(np.int64)
        self._finished = state

    @property
    def lower(self) -> np.ndarray:
        self.finish()
        return self._col_lower

    @property
    def upper(self) -> np.ndarray:
        self.finish()
        return self._col_upper

    @property
    def integer(self) -> np.ndarray:
        self.finish()
        return self._col_integer

    @property
    def rows_lower(self) -> np.ndarray:
        self.finish()
        return self._row_lower

    @property
    def rows_upper(self) -> np.ndarray:
        self.finish()
        return self._row_upper

    @property
    def csc(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(column starts, row indices, values) of the constraint matrix."""
        self.finish()
        return self._a_start, self._a_index, self._a_value

    def compressed(self) -> tuple[np.ndarray, LinearProgram | None]:
        """The columns a solver needs (those not fixed at zero) and, when some are dropped, the program over
        just those columns (same rows). A hard deadline fixes many starts at zero: they never reach HiGHS."""
        keep = ~((self.lower == 0) & (self.upper == 0))
        if keep.all():
            return np.arange(self.n_cols), None
        cols = np.nonzero(keep)[0]
        start, index, value = self.csc
        lengths = np.diff(start)[cols]
        take = np.repeat(start[cols], lengths) + (np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths,
                                                                                      lengths))
        small = LinearProgram()
        small.add_columns(len(cols))
        small.col_lower, small.col_upper = [self.lower[cols]], [self.upper[cols]]
        small.col_integer = [self.integer[cols]]
        small.add_rows(self.rows_lower, self.rows_upper, n=self.n_rows)
        small.entries = [(index[take], np.repeat(np.arange(len(cols)), lengths), value[take])]
        return cols, small

    def row_activity(self, x: np.ndarray) -> np.ndarray:
        """A x for a given point (used by checks and to read budget use)."""
        start, index, value = self.csc
        out = np.zeros(self.n_rows)
        cols = np.repeat(np.arange(self.n_cols), np.diff(start))
        np.add.at(out, index, value * x[cols])
        return out
