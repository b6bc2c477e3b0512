"""The built-in detectors, registered through the `losi` entry-point group like any plugin."""

from __future__ import annotations

from detectors.builtin.https import Https
from detectors.builtin.manual import Manual
from detectors.builtin.mobile_viewport import MobileViewport
from detectors.builtin.privacy_policy import PrivacyPolicy
from losi.plugins import hookimpl

BUILTINS = (Https, Manual, MobileViewport, PrivacyPolicy)


@hookimpl
def losi_detectors() -> list[object]:
    return [cls() for cls in BUILTINS]
