"""lianfang (廉防): a rules-engine compliance checker for integrity-risk prevention and control
programmes (廉政风险防控管理).

The pipeline lives in four subpackages, kept at the repository's top level (the design card)
and installed under this one import name:

- ``lianfang.models``  — what the facts are: the workspace read and validated;
- ``lianfang.rules``   — what the plan requires: the declarative rule catalogue;
- ``lianfang.checker`` — facts against rules: obligations, the engine, findings, outputs, CLI;
- ``lianfang.graph``   — the power-operation network diagram.
"""


def __getattr__(name: str) -> str:
    """``__version__``, looked up on first use (importlib.metadata costs a command's start
    ~30 ms it does not need unless it prints the version)."""
    if name != "__version__":
        raise AttributeError(f"module 'lianfang' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("lianfang")
    except PackageNotFoundError:  # a source checkout that was never installed
        value = "0.0.0+unknown"
    globals()["__version__"] = value
    return value
