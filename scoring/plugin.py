"""Registers the built-in methodologies through the `losi` entry-point group.

The built-ins come in the same way a country package's methodologies would
(`[project.entry-points.losi] builtin-methodologies = "scoring.plugin"`).
"""

from __future__ import annotations

from pathlib import Path

from losi.plugins import hookimpl
from scoring.methodology import builtin_dir


@hookimpl
def losi_methodologies() -> list[Path]:
    return [builtin_dir()]
