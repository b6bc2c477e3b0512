"""The plugin surface: one small set of pluggy hooks, loaded from the entry-point group `losi`.

Built-in detectors and methodologies register through the same entry points a country package
would (`[project.entry-points.losi]` in its pyproject.toml), so there is one way in.
This module imports no part of losi, so every part may import `hookimpl` from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from collections.abc import Sequence

PROJECT = "losi"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


class PluginError(RuntimeError):
    pass


class LosiSpec:
    """Hook specifications. Implementations may take fewer arguments, so hooks can grow."""

    @hookspec
    def losi_detectors(self) -> Sequence[Any]:  # type: ignore[empty-body]
        """Return detector objects (each with `meta: DetectorMeta` and `detect(site) -> Finding`)."""

    @hookspec
    def losi_methodologies(self) -> Sequence[Path]:  # type: ignore[empty-body]
        """Return folders (or files) holding methodology files (`*.toml`)."""


def plugin_manager(*plugins: object, entry_points: bool = True) -> pluggy.PluginManager:
    """A manager with the hook specs, the given plugins and (by default) every installed plugin."""
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(LosiSpec)
    for plugin in plugins:
        pm.register(plugin)
    if entry_points:
        try:
            pm.load_setuptools_entrypoints(PROJECT)
        except Exception as exc:  # a broken plugin package must name itself, not dump a trace
            raise PluginError(f"a `{PROJECT}` plugin failed to load: {type(exc).__name__}: {exc}") from exc
    pm.check_pending()  # a misspelt hook name in a plugin fails here, not silently
    return pm
