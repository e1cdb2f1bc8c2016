"""lianfang (廉防): a rules-engine compliance checker for integrity-risk prevention and control
programmes (廉政风险防控管理).

The pipeline lives in four subpackages, kept at the repository's top level (the design card)
and installed under this one import name:

- ``lianfang.models``  — what the facts are: the workspace read and validated;
- ``lianfang.rules``   — what the plan requires: the declarative rule catalogue;
- ``lianfang.checker`` — facts against rules: obligations, the engine, findings, outputs, CLI;
- ``lianfang.graph``   — the power-operation network diagram.
"""

#: the version, here only (pyproject.toml reads it): the JSON, SARIF and other outputs name it
#: without importing importlib.metadata (~4% of the example's check as a whole process)
__version__ = "0.1.0"
