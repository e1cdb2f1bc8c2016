#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run the monthly check of the example workspace as of
# 2026-11-30. Extra arguments go to `lianfang check`:
#
#   bash scripts/run-example.sh
#   bash scripts/run-example.sh --lang en
#   bash scripts/run-example.sh --format json > findings.json
#
# The exit code is lianfang's: 0 no findings at or above --fail-on, 1 findings (expected
# for the example, which records missed and late reports on purpose), 2 bad input or usage,
# 3 an internal error -- or a failed set-up, in which case the check did not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# Set-up progress goes to stderr, so that stdout carries only the check's output. A set-up
# failure exits 3, never 1: 1 means "findings", and a job must not read a broken install as one.
if ! bash scripts/setup.sh >&2; then
    echo "run-example: set-up failed (see above); the check did not run (exit 3)" >&2
    exit 3
fi

VENV=${LIANFANG_VENV:-.venv}
[[ $VENV == /* ]] || VENV=$ROOT/$VENV

exec "$VENV/bin/lianfang" check examples/dongying --as-of 2026-11-30 "$@"
