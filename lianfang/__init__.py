"""lianfang (廉防): a rules-engine compliance checker for integrity-risk prevention and control
programmes (廉政风险防控管理).

The pipeline lives in four subpackages, kept at the repository's top level (the design card)
and installed under this one import name:

- ``lianfang.models``  — what the facts are: the workspace read and validated;
- ``lianfang.rules``   — what the plan requires: the declarative rule catalogue;
- ``lianfang.checker`` — facts against rules: obligations, the engine, findings, outputs, CLI;
- ``lianfang.graph``   — the power-operation network diagram.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lianfang")
except PackageNotFoundError:  # a source checkout that was never installed
    __version__ = "0.0.0+unknown"
