#!/usr/bin/env bash
# The indexer container: runs the indexing command every INDEXER_INTERVAL_SECONDS, forever.
# A failing run is logged and retried at the next interval (the indexing queue keeps the work), so
# a flaky Elasticsearch does not crash-loop the service. SIGTERM stops the current run and exits.
set -euo pipefail
LOG_NAME=indexer
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

INDEXER_COMMAND="${INDEXER_COMMAND:-poetry run es-index-data production.ini --app-name app}"
INDEXER_INTERVAL_SECONDS="${INDEXER_INTERVAL_SECONDS:-1}"

stopping=false
run_pid=""

stop() {
  stopping=true
  if [[ -n $run_pid ]]; then signal_group "$run_pid" TERM; fi
  interrupt_pause
}
trap stop TERM INT

load_app_config

log "indexing every ${INDEXER_INTERVAL_SECONDS} s: ${INDEXER_COMMAND}"
runs=0
while ! $stopping; do
  runs=$((runs + 1))
  start_command "$INDEXER_COMMAND"
  run_pid=$STARTED_PID
  status=0
  wait_for "$run_pid" || status=$?
  run_pid=""
  if ((status != 0)) && ! $stopping; then
    log "indexing run ${runs} failed with status ${status}; next run in ${INDEXER_INTERVAL_SECONDS} s"
  fi
  if ! $stopping; then pause "$INDEXER_INTERVAL_SECONDS"; fi
done
log "stopped after ${runs} runs"
