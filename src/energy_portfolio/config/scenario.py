"""Scenario file: one named set of changes to a base portfolio (``kind: scenario``).

A folder of scenario files (``scenarios/``) is what ``energy-portfolio report --scenarios`` runs:
every file names the same base portfolio and changes some of its fields by dotted path, exactly
as a sweep's ``scenarios:`` entries do (:func:`energy_portfolio.config.changes.with_changes`). One
file may be the ``central`` case, which changes nothing: the base portfolio itself.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool, model_validator

from .sweep import FieldPath, Value
from .types import ExistingFile, Identifier, Spec, cross_field_error

__all__ = ["ScenarioSpec"]


class ScenarioSpec(Spec):
    """A named scenario: the assumption it changes, in words and as field changes."""

    kind: Literal["scenario"]
    name: Identifier = Field(description="the scenario's name in tables and charts")
    description: str = Field(min_length=1, description="the assumption this scenario changes and its source")
    portfolio: ExistingFile = Field(description="the base portfolio, relative to this file")
    central: StrictBool = Field(False, description="the central case: the base portfolio, no changes")
    changes: dict[FieldPath, Value] = Field(
        default_factory=dict, description="dotted field path of the base portfolio -> its value in this scenario"
    )

    @model_validator(mode="after")
    def _central_changes_nothing(self) -> ScenarioSpec:
        if self.central and self.changes:
            raise cross_field_error("changes", "expected no changes in the central scenario (it is the base portfolio)")
        if not self.central and not self.changes:
            raise cross_field_error("changes", "expected at least one change (or central: true for the base portfolio)")
        return self
