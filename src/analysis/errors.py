"""The one exception type for bad data, with file, line, column and reason."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file.

    ``line`` is the 1-based line in the file as a text editor shows it (the header is line 1);
    None when the problem concerns the whole file or a whole column.
    """

    file: str
    line: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.reason}"


class DataError(Exception):
    """Raised when an input file fails validation. Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("DataError needs at least one problem")
        self.problems = list(problems)
        first = self.problems[0]
        more = f" (and {len(self.problems) - 1} more problem(s))" if len(self.problems) > 1 else ""
        super().__init__(str(first) + more)

    @classmethod
    def single(cls, file: str | Path, reason: str, line: int | None = None, column: str | None = None) -> DataError:
        return cls([Problem(str(file), line, column, reason)])

    def report(self) -> str:
        """Every problem, one per line, for a human reading a terminal or a log."""
        return "\n".join(str(p) for p in self.problems)


class RequestError(ValueError):
    """A report asked for an area, period or model the data cannot give; the message is one line."""
