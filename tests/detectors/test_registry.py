"""Contract tests over every registered detector and the built-in methodology."""

from __future__ import annotations

from pathlib import Path

import pytest

from detectors.registry import KEBAB, Registry, RegistryError, load_registry
from losi.plugins import plugin_manager
from losi.types import DetectorMeta, Finding, Outcome
from scoring.methodology import builtin_dir, load_methodology

registry = load_registry()  # through the `losi` entry points, as a country package would load


def test_the_builtins_load_through_entry_points() -> None:
    assert {"https", "manual", "mobile-viewport", "privacy-policy"} <= set(registry)


@pytest.mark.parametrize("detector_id", list(registry))
def test_every_detector_has_complete_meta(detector_id: str) -> None:
    meta = registry[detector_id].meta
    assert KEBAB.match(meta.id) and meta.title and len(meta.description) > 40 and meta.version >= 1


@pytest.mark.parametrize("detector_id", [d for d in registry if d != "manual"])
def test_every_detector_has_a_test_file_named_after_it(detector_id: str) -> None:
    name = f"test_{detector_id.replace('-', '_')}.py"
    assert (Path(__file__).parent / name).is_file()


def test_every_methodology_binding_names_a_registered_detector() -> None:
    for path in builtin_dir().glob("*.toml"):
        load_methodology(path, known_detectors=list(registry))


def test_two_detectors_with_one_id_are_refused() -> None:
    class Twin:
        meta = DetectorMeta("https", "Twin", "a second https detector", ("home",), 1)

        def detect(self, site: object) -> Finding:
            return Finding(Outcome.ERROR, 0.0)

    with pytest.raises(RegistryError, match="two plugins"):
        Registry([*registry.values(), Twin()])


def test_a_plugin_hook_with_a_misspelt_name_is_refused() -> None:
    from losi.plugins import hookimpl

    class Misspelt:
        @hookimpl
        def losi_detector(self) -> list[object]:  # the spec is losi_detectors
            return []

    with pytest.raises(Exception, match="unknown hook"):
        plugin_manager(Misspelt(), entry_points=False)
