"""Set before the ``lianfang`` command builds its first pydantic model (imported first by ``cli``).

pydantic looks for plugins (entry points of the group ``pydantic``) when it builds the first
model: it imports ``importlib.metadata`` and reads the entry points of every installed
distribution, ~4% of the instructions of the example's whole check. lianfang uses no pydantic
plugin, so its command runs as with ``PYDANTIC_DISABLE_PLUGINS=__all__``, and without that
import: the one function pydantic imports from its plugin loader (``pydantic.plugin._loader``,
imported by its schema validator when a model is built) is given by a module that finds none.

Only the command's module imports this, never ``import lianfang``: a program that uses
lianfang's models as a library keeps its plugins. If pydantic's loader is loaded already, it
is left as it is (nothing would be saved). Anything else a later pydantic may take from its
loader module comes from the real one, loaded then (slower, never different).
"""

from __future__ import annotations

import sys
from functools import cache
from types import ModuleType
from typing import Any

LOADER = "pydantic.plugin._loader"


def _no_plugins() -> tuple[()]:
    """pydantic's ``get_plugins``, for a process that uses no plugin."""
    return ()


def _from_the_real_loader(name: str) -> Any:
    """What pydantic takes from its loader besides ``get_plugins`` (none in pydantic 2.6-2.14):
    from the real module (``_real_loader``)."""
    if name.startswith("__"):  # what the import system asks any module (``__path__``, …)
        raise AttributeError(name)
    real = _real_loader()
    if real is None:
        raise AttributeError(name)
    return getattr(real, name)


@cache
def _real_loader() -> ModuleType | None:
    """pydantic's own loader module, loaded once (under another name than ``LOADER``, which
    holds the stand-in), so that every name taken from it comes from one module and its state."""
    import importlib.machinery
    import importlib.util

    import pydantic.plugin

    spec = importlib.machinery.PathFinder.find_spec(LOADER, list(pydantic.plugin.__path__))
    if spec is None or spec.loader is None:
        return None
    real = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(real)
    return real


def without_pydantic_plugins() -> None:
    if LOADER in sys.modules:
        return
    loader = ModuleType(
        LOADER, "pydantic's plugin loader for lianfang's command: no plugins (lianfang.checker.startup)"
    )
    loader.get_plugins = _no_plugins  # type: ignore[attr-defined]
    loader.__getattr__ = _from_the_real_loader  # type: ignore[method-assign]
    sys.modules[LOADER] = loader


without_pydantic_plugins()
