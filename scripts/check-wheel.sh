#!/usr/bin/env bash
# Prove the package a user installs: build the sdist and the wheel (the wheel from the sdist, as
# `python -m build` does), check that the wheel installs one import name, `lianfang`, install it
# (not editable) in a fresh venv outside the checkout, and run the CLI from there on the example:
# --version, the monthly check, one diagram and lint.
#
#   bash scripts/check-wheel.sh            # uses the venv of scripts/setup.sh (LIANFANG_VENV)
#
# Exit 0 when all of that works, 1 otherwise (with the step that failed).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

VENV=${LIANFANG_VENV:-.venv}
[[ $VENV == /* ]] || VENV=$ROOT/$VENV
VPY=$VENV/bin/python

say() { printf 'wheel: %s\n' "$*"; }
die() {
    printf 'wheel: FAILED: %s\n' "$*" >&2
    exit 1
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lianfang-wheel.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

say "building sdist and wheel"
"$VPY" -m build --sdist --wheel --outdir "$WORK/dist" . >"$WORK/build.log" 2>&1 || {
    tail -n 30 "$WORK/build.log" >&2
    die "python -m build"
}
WHEEL=$(ls "$WORK"/dist/lianfang-*.whl)
SDIST=$(ls "$WORK"/dist/lianfang-*.tar.gz)
say "built $(basename "$SDIST") and $(basename "$WHEEL")"

# Only `lianfang` at the top of the wheel (besides its .dist-info), with the rule pack,
# the templates and py.typed inside.
"$VPY" - "$WHEEL" <<'PYEOF' || die "wheel contents"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
assert top == {"lianfang"}, f"top-level names in the wheel: {sorted(top)} (want only lianfang)"
for needed in ("lianfang/py.typed", "lianfang/rules/pack/S.yaml", "lianfang/checker/cli.py"):
    assert needed in names, f"{needed} is missing from the wheel"
print(f"wheel: {len(names)} files, one top-level import name: lianfang")
PYEOF

say "installing the wheel in a fresh venv"
"$VPY" -m venv "$WORK/venv"
# durable-rules compiles on 3.13 only with implicit declarations kept as warnings (README).
export CPPFLAGS="${CPPFLAGS:-} -Wno-error=implicit-function-declaration -Wno-error=int-conversion -Wno-error=incompatible-pointer-types"
"$WORK/venv/bin/python" -m pip install -q "$WHEEL" >"$WORK/install.log" 2>&1 || {
    tail -n 30 "$WORK/install.log" >&2
    die "pip install $(basename "$WHEEL")"
}

# Run from a folder that is not the checkout, so nothing can be imported from it.
EXAMPLE=$WORK/example
cp -r "$ROOT/examples/dongying" "$EXAMPLE"
cd "$WORK"
LF=$WORK/venv/bin/lianfang

expect() { # expect CODE WHAT COMMAND...
    local want=$1 what=$2 rc=0
    shift 2
    "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" || rc=$?
    if ((rc != want)); then
        tail -n 20 "$WORK/out.txt" "$WORK/err.txt" >&2
        die "$what: exit $rc, expected $want"
    fi
    say "ok: $what (exit $rc)"
}

expect 0 "lianfang --version" "$LF" --version
grep -q "lianfang, version" "$WORK/out.txt" || die "--version printed: $(cat "$WORK/out.txt")"
expect 1 "the example's monthly check (findings on purpose)" "$LF" check "$EXAMPLE" --as-of 2026-11-30
grep -q "未完成" "$WORK/out.txt" || die "the check's table has no 未完成 section"
expect 1 "the example's check as JSON" "$LF" check "$EXAMPLE" --as-of 2026-11-30 --format json
"$WORK/venv/bin/python" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["findings"] and d["tool"]["name"] == "lianfang"' "$WORK/out.txt" ||
    die "the JSON report does not parse or has no findings"
expect 0 "one diagram (SVG)" "$LF" graph "$EXAMPLE" -o "$WORK/diagram.svg" --as-of 2026-11-30
"$WORK/venv/bin/python" -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' "$WORK/diagram.svg" ||
    die "the diagram is not valid SVG"
expect 1 "lint of the example (its planted gaps are warnings)" "$LF" lint "$EXAMPLE"
expect 2 "a missing workspace is bad input" "$LF" check "$WORK/no-such-unit"
say "the installed wheel works"
