"""Configuration errors that speak to the person who wrote the YAML file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, located as precisely as we can."""

    file: str | None
    line: int | None
    key: str  # dotted key path, "" for the whole file
    message: str

    def __str__(self) -> str:
        where = self.file or "<scenario>"
        if self.line:  # 0 or None: no line (a file that is missing, or a --set value)
            where = f"{where}:{self.line}"
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.message}"


class ScenarioError(Exception):
    """Raised for any invalid scenario; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str | None, line: int | None, key: str, message: str) -> "ScenarioError":
        return cls([Problem(file, line, key, message)])
