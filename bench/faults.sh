#!/usr/bin/env bash
# The fault suite of issue #10 part 5, many times over (not part of CI, which runs each case
# twice): `bench/faults.sh [REPEATS] [pytest -k expression]`, e.g. `bench/faults.sh 20 smtp`.
# Needs PostgreSQL and Redis as for `make test-integration`, and redis-server on the PATH (the
# broker case starts its own on a free port). Prints one line per run of a case (the summary
# that pytest_terminal_summary writes at the end), then a tally.
set -uo pipefail
cd "$(dirname "$0")/.."
REPEATS=${1:-20}
SELECT=${2:-}
LOG=${FAULT_BENCH_LOG:-var/fault-bench.log}
mkdir -p "$(dirname "$LOG")"
start=$(date +%s)
FAULT_REAL_BEATS=1 FAULT_REPEATS=$REPEATS RUN_INTEGRATION=1 CELERY_TASK_ALWAYS_EAGER=0 \
  DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qlcb_faults} \
  CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/14} \
  .venv/bin/python -m pytest -q -p no:cacheprovider -m integration -rf \
  tests/integration/test_digest_faults.py tests/integration/test_redis_faults.py \
  tests/integration/test_beat_faults.py tests/integration/test_smtp_faults.py \
  tests/integration/test_db_faults.py ${SELECT:+-k "$SELECT"} >"$LOG" 2>&1
status=$?
grep "^FAULT" "$LOG"
echo
echo "runs: $(grep -c '^FAULT [0-9].*lost' "$LOG"), failed tests: $(grep -c '^FAILED' "$LOG"), in $(( $(date +%s) - start )) s (log: $LOG)"
awk '/^FAULT [0-9]/ && /lost/ {
  for (i = 1; i <= NF; i++) {
    if ($i == "lost" && $(i - 1) != "which") lost += $(i + 1); if ($i == "doubled") doubled += $(i + 1)
    if ($i == "marked-unconfirmed") unconfirmed += $(i + 1)
  }
} END { printf "total: lost %d (all marked-unconfirmed, or the run failed), doubled %d, marked-unconfirmed %d\n", lost, doubled, unconfirmed }' "$LOG"
exit $status
