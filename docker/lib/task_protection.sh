# shellcheck shell=bash
# ECS task scale-in protection through the container agent: while a task is protected, neither
# service auto scaling nor a deployment stops it. Sourced by entrypoint_ingester.sh after common.sh;
# the call itself is lib/task_protection.py (python's standard library: no curl, no AWS CLI).
# ECS_AGENT_URI is injected by ECS; without it (a local run) protection calls are skipped.

# Minutes a protection lasts unless renewed (1-2880). 360 matches CGAP's 6 h ingestion visibility.
TASK_PROTECTION_MINUTES="${TASK_PROTECTION_MINUTES:-360}"

# set_task_protection true|false: returns non-zero when the agent did not confirm the change.
set_task_protection() {
  if [[ -z "${ECS_AGENT_URI:-}" ]]; then return 0; fi
  local why request=(off)
  if [[ $1 == true ]]; then request=(on "$TASK_PROTECTION_MINUTES"); fi
  if ! why="$(conductor_python task_protection.py "${request[@]}")"; then
    log "task protection ${1}: ${why}"
    return 1
  fi
  if [[ $1 == true ]]; then
    log "task protection on for ${TASK_PROTECTION_MINUTES} min"
  else
    log "task protection off"
  fi
}

# start_protection_renewal SECONDS: re-applies the protection every SECONDS in the background, so
# work that outlasts TASK_PROTECTION_MINUTES stays protected; sets RENEWAL_PID.
start_protection_renewal() {
  local every=$1
  (
    trap 'exit 0' TERM
    while sleep "$every"; do set_task_protection true || true; done
  ) &
  RENEWAL_PID=$!
}

stop_protection_renewal() {
  if [[ -n "${RENEWAL_PID:-}" ]]; then
    signal_group "$RENEWAL_PID" TERM
    wait "$RENEWAL_PID" 2>/dev/null || true
    RENEWAL_PID=""
  fi
}
