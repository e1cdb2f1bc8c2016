#!/bin/sh
# lianfang's scheduled check for cron (docs/ci.md): cron mails whatever this prints.
#
#   lianfang-cron.sh WORKSPACE [LIANFANG]     (LIANFANG: the lianfang command, default: lianfang)
#
# - nothing is open at error level: prints nothing, exit 0;
# - something is: prints this run's Markdown report, exit 1;
# - the check could not run (2 bad input, 3 internal error): prints lianfang's message and says
#   so, exit 2 or 3. An older report is never printed: it would read as this month's.
# The reports are written to WORKSPACE/reports/ (created if missing): lianfang.md and
# lianfang-junit.xml, each replaced only by a run that produced it.
set -u
ws=${1:?usage: lianfang-cron.sh WORKSPACE [LIANFANG]}
lf=${2:-lianfang}
cd "$ws" || exit 2
mkdir -p reports || exit 2
rm -f reports/.lianfang.md.new reports/.lianfang-junit.xml.new

"$lf" check . --format junit -o reports/.lianfang-junit.xml.new --fail-on never
rc=$?
if [ "$rc" -eq 0 ]; then
    "$lf" check . --format markdown -o reports/.lianfang.md.new --fail-on error
    rc=$?
fi
case $rc in
0 | 1)
    mv -f reports/.lianfang-junit.xml.new reports/lianfang-junit.xml
    mv -f reports/.lianfang.md.new reports/lianfang.md
    [ "$rc" -eq 1 ] && cat reports/lianfang.md
    exit "$rc"
    ;;
*)
    rm -f reports/.lianfang.md.new reports/.lianfang-junit.xml.new
    echo "lianfang: the scheduled check of $ws could not run (exit $rc); no report was made this time."
    exit "$rc"
    ;;
esac
