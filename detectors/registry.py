"""The detector registry: every detector that a `losi` plugin provides, by id."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pluggy

from detectors.base import ARTIFACTS, Detector
from losi.types import DetectorMeta

KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class RegistryError(ValueError):
    pass


class Registry(Mapping[str, Detector]):
    def __init__(self, detectors: list[Detector]) -> None:
        self._by_id: dict[str, Detector] = {}
        for detector in detectors:
            meta = getattr(detector, "meta", None)
            if not isinstance(meta, DetectorMeta):
                raise RegistryError(f"{detector!r} has no DetectorMeta `meta`")
            if not KEBAB.match(meta.id):
                raise RegistryError(f"detector id {meta.id!r} is not a kebab-case noun")
            unknown = set(meta.requires) - ARTIFACTS
            if unknown:
                raise RegistryError(f"detector {meta.id}: unknown artifacts {sorted(unknown)}")
            if meta.id in self._by_id:
                raise RegistryError(f"two plugins provide a detector with id {meta.id!r}")
            self._by_id[meta.id] = detector

    def __getitem__(self, key: str) -> Detector:
        return self._by_id[key]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._by_id))

    def __len__(self) -> int:
        return len(self._by_id)


def load_registry(pm: pluggy.PluginManager | None = None) -> Registry:
    if pm is None:
        from losi.plugins import plugin_manager

        pm = plugin_manager()
    detectors = [d for batch in pm.hook.losi_detectors() for d in batch]
    return Registry(detectors)
