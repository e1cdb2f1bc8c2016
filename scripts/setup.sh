#!/usr/bin/env bash
# Set up lianfang on a Debian/Ubuntu machine: system packages, then a virtualenv.
#
#   bash scripts/setup.sh
#
# Environment:
#   PYTHON               interpreter to build the venv with (default: python3; 3.11–3.13)
#   LIANFANG_VENV        venv folder, relative to the repository root (default: .venv)
#   LIANFANG_FORCE_SETUP=1  reinstall the Python packages even if the venv is up to date
#
# Safe to run again: it installs only what is missing and skips pip when the venv already
# matches pyproject.toml. System packages come from apt-get (as root, or through sudo).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

say() { printf 'setup: %s\n' "$*"; }
die() {
    printf 'setup: error: %s\n' "$*" >&2
    exit 1
}

LOG=$(mktemp "${TMPDIR:-/tmp}/lianfang-setup.XXXXXX")
trap 'rm -f "$LOG"' EXIT

# Run a command with its output in $LOG; on failure show the end of it and stop.
run_logged() {
    local what=$1
    shift
    : >"$LOG"
    if ! "$@" >>"$LOG" 2>&1; then
        printf 'setup: error: %s failed: %s\n' "$what" "$*" >&2
        printf -- '----- last lines of output -----\n' >&2
        tail -n 40 "$LOG" >&2
        printf -- '---------------------------------\n' >&2
        exit 1
    fi
}

# ---------------------------------------------------------------- the interpreter
PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null 2>&1 || die "no Python interpreter '$PYTHON' (set PYTHON=/path/to/python3.11..3.13)"
if ! PY_INFO=$("$PYTHON" - <<'EOF' 2>/dev/null
import sys, sysconfig, os
v = sys.version_info
inc = sysconfig.get_paths()["include"]
print(sys.executable)
print(f"{v.major}.{v.minor}")
print(sys.version.split()[0])
print("yes" if os.path.exists(os.path.join(inc, "Python.h")) else "no")
print(inc)
print(sys.base_prefix)
print((sysconfig.get_config_var("CC") or "cc").split()[0])
EOF
); then
    die "'$PYTHON' does not run as Python (set PYTHON=/path/to/python3.11..3.13)"
fi
{
    read -r PY
    read -r PY_MINOR
    read -r PY_FULL
    read -r PY_HEADERS
    read -r PY_INCLUDE
    read -r PY_PREFIX
    read -r PY_CC
} <<<"$PY_INFO"
case "$PY_MINOR" in
    3.11 | 3.12 | 3.13) ;;
    *) die "lianfang needs Python 3.11–3.13; '$PYTHON' is $PY_FULL (set PYTHON=...)" ;;
esac
say "python $PY_FULL ($PY)"

# A Debian/Ubuntu interpreter lives under /usr and gets its headers and venv from apt;
# any other (pyenv, python.org builds) ships both itself.
SYSTEM_PYTHON=no
[[ $PY_PREFIX == /usr ]] && SYSTEM_PYTHON=yes

# ---------------------------------------------------------------- what is missing
APT_PKGS=()   # packages to install
NEED_FONT=no  # a CJK font: package chosen after apt-get update

check() { printf 'setup: %-34s %s\n' "$1" "$2"; }

# C compiler: durable-rules 2.0.28 is only an sdist with a C extension.
CC_BIN=${CC:-$PY_CC}
CC_BIN=${CC_BIN%% *}
compiler_works() {
    local dir rc
    command -v "$CC_BIN" >/dev/null 2>&1 || return 1
    dir=$(mktemp -d)
    printf '#include <stdio.h>\nint main(void){puts("ok");return 0;}\n' >"$dir/t.c"
    "$CC_BIN" "$dir/t.c" -o "$dir/t" >/dev/null 2>&1 && "$dir/t" >/dev/null 2>&1
    rc=$?
    rm -rf "$dir"
    return $rc
}
if compiler_works; then
    check "C compiler ($CC_BIN)" "ok"
else
    check "C compiler ($CC_BIN)" "missing -> gcc, libc6-dev"
    APT_PKGS+=(gcc libc6-dev)
fi

# Python headers (Python.h) for this interpreter.
if [[ $PY_HEADERS == yes ]]; then
    check "Python $PY_MINOR headers" "ok"
elif [[ $SYSTEM_PYTHON == yes ]]; then
    check "Python $PY_MINOR headers" "missing -> python$PY_MINOR-dev"
    APT_PKGS+=("python$PY_MINOR-dev")
else
    die "Python.h is not in $PY_INCLUDE, and $PY is not Debian's Python, so apt cannot add it:
       reinstall that Python with its headers, or choose another with PYTHON=..."
fi

# venv + ensurepip (Debian splits them into python3.X-venv).
if "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    check "python -m venv" "ok"
elif [[ $SYSTEM_PYTHON == yes ]]; then
    check "python -m venv" "missing -> python$PY_MINOR-venv"
    APT_PKGS+=("python$PY_MINOR-venv")
else
    die "'$PY -m venv' cannot work (no ensurepip module); choose another Python with PYTHON=..."
fi

# graphviz: the network diagram is rendered with dot.
if command -v dot >/dev/null 2>&1; then
    check "graphviz (dot)" "ok"
else
    check "graphviz (dot)" "missing -> graphviz"
    APT_PKGS+=(graphviz)
fi

# A CJK font, or the diagram's Chinese labels render as boxes.
if command -v fc-list >/dev/null 2>&1 && [[ -n $(fc-list :lang=zh family 2>/dev/null | head -n 1) ]]; then
    check "CJK font" "ok ($(fc-list :lang=zh family | head -n 1 | cut -d, -f1))"
else
    check "CJK font" "missing -> fonts-wqy-microhei or fonts-noto-cjk"
    command -v fc-list >/dev/null 2>&1 || APT_PKGS+=(fontconfig)
    NEED_FONT=yes
fi

# WeasyPrint (lianfang report -o FILE.pdf) draws text with pango through its C library.
if command -v ldconfig >/dev/null 2>&1 && ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' &&
    ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then
    check "pango (WeasyPrint, PDF reports)" "ok"
else
    check "pango (WeasyPrint, PDF reports)" "missing -> libpango-1.0-0, libpangoft2-1.0-0"
    APT_PKGS+=(libpango-1.0-0 libpangoft2-1.0-0)
fi

# The report's tests open it in a real browser and read the PDF's fonts.
if command -v chromium >/dev/null 2>&1; then
    check "chromium (report tests)" "ok"
else
    check "chromium (report tests)" "missing -> chromium"
    APT_PKGS+=(chromium)
fi
if command -v pdffonts >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then
    check "poppler-utils (report tests)" "ok"
else
    check "poppler-utils (report tests)" "missing -> poppler-utils"
    APT_PKGS+=(poppler-utils)
fi

# PostgreSQL server binaries (initdb, pg_ctl): the archive tests start a throwaway server.
# lianfang itself needs no server; SQLite is the default archive.
if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    check "PostgreSQL server (tests)" "ok"
else
    check "PostgreSQL server (tests)" "missing -> postgresql"
    APT_PKGS+=(postgresql)
fi

# ---------------------------------------------------------------- apt-get
if ((${#APT_PKGS[@]})) || [[ $NEED_FONT == yes ]]; then
    wanted=("${APT_PKGS[@]}")
    [[ $NEED_FONT == yes ]] && wanted+=(fonts-wqy-microhei)
    command -v apt-get >/dev/null 2>&1 ||
        die "missing system packages and no apt-get here; install the equivalents of: ${wanted[*]}"
    SUDO=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 ||
            die "not root and no sudo; as root run: apt-get install ${wanted[*]}"
        SUDO=(sudo)
        [[ -t 0 ]] || SUDO=(sudo -n) # no terminal to ask a password on: fail instead of hanging
    fi
    APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
    say "apt-get update"
    run_logged "apt-get update" "${APT[@]}" update -q
    if [[ $NEED_FONT == yes ]]; then
        font=""
        for candidate in fonts-wqy-microhei fonts-noto-cjk; do
            if apt-cache show "$candidate" >/dev/null 2>&1; then
                font=$candidate
                break
            fi
        done
        [[ -n $font ]] || die "apt knows neither fonts-wqy-microhei nor fonts-noto-cjk; install a CJK font by hand"
        APT_PKGS+=("$font")
    fi
    say "apt-get install ${APT_PKGS[*]}"
    run_logged "apt-get install" "${APT[@]}" install -y -q "${APT_PKGS[@]}"

    # Check again that each need is met now.
    compiler_works || die "still no working C compiler ($CC_BIN) after installing gcc"
    "$PY" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' ||
        die "still no Python.h for $PY after installing python$PY_MINOR-dev"
    "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1 ||
        die "'$PY -m venv' still cannot work after installing python$PY_MINOR-venv"
    command -v dot >/dev/null 2>&1 || die "still no 'dot' after installing graphviz"
    [[ -n $(fc-list :lang=zh family 2>/dev/null | head -n 1) ]] || die "fc-list still lists no CJK font"
    command -v chromium >/dev/null 2>&1 || die "still no 'chromium' after installing chromium"
    command -v pdffonts >/dev/null 2>&1 || die "still no 'pdffonts' after installing poppler-utils"
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || die "still no initdb after installing postgresql"
    say "system packages installed"
fi

# ---------------------------------------------------------------- the venv
VENV=${LIANFANG_VENV:-.venv}
[[ $VENV == /* ]] || VENV=$ROOT/$VENV
VPY=$VENV/bin/python
STAMP=$VENV/.lianfang-setup

# What the install depends on: the interpreter, pyproject.toml and this script's recipe.
WANT=$(printf '%s\n%s\n' "$PY $PY_FULL" "recipe 1" | cat - pyproject.toml | "$PY" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')

venv_python_matches() {
    [[ -x $VPY ]] && [[ $("$VPY" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null) == "$PY_FULL" ]]
}

# Importing the compiled engine proves the C build worked. On 3.13 it references
# PyEval_CallObject, gone from the C API, so load it with lazy binding as lianfang does.
engine_imports() {
    "$VPY" - <<'EOF' >/dev/null 2>&1
import os, sys
flags = sys.getdlopenflags()
sys.setdlopenflags(os.RTLD_LAZY)
try:
    import durable_rules_engine  # noqa: F401
finally:
    sys.setdlopenflags(flags)
import durable.engine, pydantic, click, networkx, graphviz  # noqa: F401
EOF
}

rel_venv=${VENV#"$ROOT"/}
if ! venv_python_matches; then
    if [[ -e $VENV ]]; then
        say "venv $rel_venv was made with another Python: recreating it"
        rm -rf "$VENV"
    fi
    say "creating venv $rel_venv"
    run_logged "creating the venv" "$PY" -m venv "$VENV"
fi

if [[ ${LIANFANG_FORCE_SETUP:-0} != 1 && -f $STAMP && $(cat "$STAMP") == "$WANT" ]] && engine_imports; then
    say "venv $rel_venv is up to date"
else
    rm -f "$STAMP"
    say "upgrading pip, setuptools, wheel"
    run_logged "upgrading pip" "$VPY" -m pip install --upgrade pip setuptools wheel
    # durable-rules' C code calls PyEval_CallObject, undeclared on 3.13 and implicit
    # declarations are errors from GCC 14 and Clang 16 on: keep them warnings.
    export CPPFLAGS="${CPPFLAGS:-} -Wno-error=implicit-function-declaration -Wno-error=int-conversion -Wno-error=incompatible-pointer-types"
    say "installing lianfang and its dev tools (pip install -e '.[dev]'; durable-rules compiles, ~1 min)"
    run_logged "pip install" "$VPY" -m pip install -e ".[dev]"
    engine_imports || die "durable-rules installed but its compiled module does not load in $rel_venv (try LIANFANG_FORCE_SETUP=1)"
    printf '%s\n' "$WANT" >"$STAMP"
    say "venv $rel_venv ready"
fi
