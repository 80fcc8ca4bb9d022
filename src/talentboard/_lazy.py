"""Package names loaded from their module when first used (PEP 562).

A package whose ``__init__`` imports every module loads them all, with their libraries,
when any one module of it is imported. Declaring where each name lives instead loads a
module only when one of its names is asked for.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: ``homes`` gives, for each name, the module of
    the package it comes from. A name loaded once is kept in the package."""

    def load(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return load
