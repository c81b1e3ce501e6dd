"""Exception types shared by every layer.

This module imports nothing from the package so that every layer may raise these.

``InputError`` and its subclasses mean the user's input is wrong: the message names
the file, the field or row, the value found and what was expected. The CLI prints the
message as one paragraph and exits with status 2. ``DispatchError`` means a solve
failed or was infeasible; the CLI exits with status 3.
"""

from __future__ import annotations

__all__ = ["InputError", "ConfigError", "WeatherError", "DispatchError", "Problem"]


class Problem:
    """One problem found in an input: where it is and what is wrong.

    Parameters
    ----------
    file : str
        Path of the file as the user gave it (or ``"<input>"``).
    message : str
        What was found and what was expected.
    line : int or None
        1-based line in the file, when known.
    field : str or None
        Dotted path of the field (``battery.round_trip_efficiency``) or a row label.
    """

    __slots__ = ("field", "file", "line", "message")

    def __init__(self, file: str, message: str, line: int | None = None, field: str | None = None):
        self.file = file
        self.message = message
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        head = f"{where}: {self.field}" if self.field else where
        return f"{head}\n  {self.message}"

    def __repr__(self) -> str:
        return f"Problem({self.file!r}, line={self.line!r}, field={self.field!r}, {self.message!r})"


class InputError(Exception):
    """Bad user input. ``problems`` lists every problem found, not only the first."""

    def __init__(self, message: str | None = None, problems: list[Problem] | None = None):
        self.problems = list(problems or [])
        if message is None:
            message = "\n".join(str(p) for p in self.problems)
        super().__init__(message)


class ConfigError(InputError):
    """A configuration file is invalid (YAML syntax, schema, or cross-file references)."""


class WeatherError(InputError):
    """A weather file is unusable or inconsistent with the site."""


class DispatchError(Exception):
    """The dispatch problem is infeasible or the solver failed."""
