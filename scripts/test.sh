#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run ruff, mypy and pytest. Extra arguments go to pytest:
#
#   bash scripts/test.sh
#   bash scripts/test.sh -k deadlines -x
#
# PYTHON and LIANFANG_VENV are passed on to setup.sh (see there).
# Exit 0 only if all three pass; a pytest run that collects no test is a failure.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

bash scripts/setup.sh

VENV=${LIANFANG_VENV:-.venv}
[[ $VENV == /* ]] || VENV=$ROOT/$VENV
BIN=$VENV/bin
PY_FULL=$("$BIN/python" -c 'import sys; print(sys.version.split()[0])')

failed=()
step() { printf '\ntest: == %s (python %s) ==\n' "$1" "$PY_FULL"; }

step "ruff check ."
"$BIN/ruff" check . || failed+=(ruff)

step "mypy"
"$BIN/mypy" || failed+=(mypy)

step "pytest"
rc=0
"$BIN/python" -m pytest "$@" || rc=$?
if ((rc == 5)); then
    printf 'test: pytest collected no tests: counted as a failure\n'
    failed+=(pytest)
elif ((rc != 0)); then
    failed+=(pytest)
fi

echo
if ((${#failed[@]})); then
    printf 'test: FAILED on python %s: %s\n' "$PY_FULL" "${failed[*]}"
    exit 1
fi
printf 'test: ruff, mypy and pytest passed on python %s\n' "$PY_FULL"
