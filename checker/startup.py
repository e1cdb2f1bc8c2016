"""Set before the ``lianfang`` command builds its first pydantic model or imports PyYAML
(imported first by ``cli``).

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

PyYAML compiles one regular expression when it is imported (``yaml.reader.Reader.NON_PRINTABLE``,
a negated class over all of Unicode), for its pure-Python reader: ~58 M instructions, 4% of the
example's check. lianfang reads YAML with libyaml (``models/yaml_safe.py``), so for the command
that pattern is compiled the first time it is used, if ever: the same pattern, the same matches.
Only ``yaml.reader`` is touched, only while it is first imported, and only if its pattern is the
one known; a PyYAML imported already is left as it is.
"""

from __future__ import annotations

import re
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


#: PyYAML 5.1-6.0's ``Reader.NON_PRINTABLE``
YAML_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
YAML_READER = "yaml.reader"
_compile = re.compile


class CompiledWhenUsed:
    """A regular expression compiled the first time one of its methods is used."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._arguments = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if self._compiled is None:
            self._compiled = _compile(*self._arguments)
        return getattr(self._compiled, name)


def _compile_deferring(pattern: Any, flags: int = 0) -> Any:
    if pattern == YAML_NON_PRINTABLE:
        return CompiledWhenUsed(pattern, flags)
    return _compile(pattern, flags)


class _YamlReaderFinder:
    """Finds ``yaml.reader`` as the path finder does, and runs it with its one pattern deferred."""

    @staticmethod
    def find_spec(name: str, path: Any = None, target: Any = None) -> Any:
        if name != YAML_READER:
            return None
        if _YamlReaderFinder in sys.meta_path:  # once
            sys.meta_path.remove(_YamlReaderFinder)
        import importlib.machinery

        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        loader: Any = spec.loader if spec is not None else None
        exec_module = getattr(loader, "exec_module", None)
        if exec_module is None:
            return spec

        def exec_deferring(module: ModuleType) -> None:
            re.compile = _compile_deferring
            try:
                exec_module(module)
            finally:
                re.compile = _compile

        loader.exec_module = exec_deferring
        return spec


def defer_yaml_reader_pattern() -> None:
    if YAML_READER in sys.modules or _YamlReaderFinder in sys.meta_path:
        return
    sys.meta_path.insert(0, _YamlReaderFinder)


without_pydantic_plugins()
defer_yaml_reader_pattern()
