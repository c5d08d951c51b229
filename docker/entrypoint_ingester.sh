#!/usr/bin/env bash
# The ingester container. Ingestions run for minutes to hours, so a task must not be stopped by
# scale-in or a deployment in the middle of one (CGAP's listener could be, and its message then
# came back up to 6 h later). The entrypoint owns the queue and the protection; the application
# only processes:
#
#   loop: receive ONE message (long poll) → enable ECS task scale-in protection → run
#         INGESTION_PROCESS_COMMAND with the message in INGESTION_MESSAGE_FILE → on exit 0 delete the
#         message, otherwise let it come back after INGESTION_RETRY_DELAY_SECONDS → release protection.
#
# SIGTERM (ECS stopping the task anyway: StopTask, a host retiring): an idle ingester finishes its
# receive, hands back anything it received and exits. A busy one gives the command
# INGESTION_STOP_GRACE_SECONDS to finish; if it does not, the command gets SIGTERM and the message
# is handed back (visible again at once) so another task picks it up. See docker/README.md.
#
# Without INGESTION_PROCESS_COMMAND the entrypoint runs CGAP's long-running listener as before:
# no protection, SIGTERM forwarded.
set -euo pipefail
LOG_NAME=ingester
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/task_protection.sh
source "$CONDUCTOR_HOME/lib/task_protection.sh"

# Exit status for a configuration this entrypoint cannot run with.
readonly MISCONFIGURED=78

run_listener() {
  local command="${INGESTION_LISTENER_COMMAND:-poetry run ingestion-listener production.ini --app-name app}"
  log "INGESTION_PROCESS_COMMAND is not set: running the listener without scale-in protection: ${command}"
  start_command "$command"
  local listener_pid=$STARTED_PID status=0
  # shellcheck disable=SC2064 # the pid is fixed now
  trap "signal_group ${listener_pid} TERM" TERM INT
  wait_for "$listener_pid" || status=$?
  log "the listener exited with status ${status}"
  exit "$status"
}

stopping=false
phase=idle # idle | polling | processing
message_id=""
process_pid=""
watchdog_pid=""

on_signal() {
  if $stopping; then return 0; fi
  stopping=true
  case $phase in
    processing)
      log "stop requested while processing message ${message_id}: it has ${INGESTION_STOP_GRACE_SECONDS} s to finish"
      # Not started yet: process_message starts the watchdog right after the command.
      if [[ -n $process_pid ]]; then start_watchdog; fi
      ;;
    polling) log "stop requested: finishing the current receive, then returning anything received" ;;
    *)
      log "stop requested"
      interrupt_pause
      ;;
  esac
}

# After the grace period, stop the command (TERM, then KILL) so the message can be handed back
# before ECS kills the whole task (its stopTimeout, at most 120 s on Fargate).
start_watchdog() {
  local pid=$process_pid
  (
    sleep "$INGESTION_STOP_GRACE_SECONDS"
    log "message ${message_id} did not finish in time: stopping its command to hand the message back"
    signal_group "$pid" TERM
    sleep 5
    signal_group "$pid" KILL
  ) &
  watchdog_pid=$!
}

stop_watchdog() {
  if [[ -n $watchdog_pid ]]; then
    signal_group "$watchdog_pid" TERM
    wait "$watchdog_pid" 2>/dev/null || true
    watchdog_pid=""
  fi
}

cleanup() {
  stop_watchdog
  stop_protection_renewal
  if [[ -n $process_pid ]]; then signal_group "$process_pid" TERM; fi
  rm -rf "${work:-}"
}

# sqs OPERATION ARGS...: an SQS call on the ingestion queue through lib/aws_call.py (no AWS CLI).
sqs() {
  conductor_python aws_call.py "$1" "$INGESTION_QUEUE_URL" "${@:2}"
}

hand_back() { # VISIBILITY_SECONDS
  sqs visibility "$receipt_handle" "$1" ||
    log "could not change the visibility of message ${message_id}; it returns when its visibility timeout ends"
}

# receive_message: long-polls for one message; returns 1 when none came, 2 when receiving failed.
# Sets message_id, receipt_handle and receive_count, and writes the body to $work/body.
receive_message() {
  local status=0
  phase=polling
  sqs receive "$INGESTION_POLL_WAIT_SECONDS" "$work/body" >"$work/received" &
  # Not interrupted by SIGTERM: killing a receive that already took a message would hide it for
  # the queue's whole visibility timeout.
  wait_for $! || status=$?
  phase=idle
  if ((status != 0)); then
    log "receiving from the ingestion queue failed with status ${status}"
    return 2
  fi
  if [[ ! -s $work/received ]]; then return 1; fi
  {
    read -r message_id
    read -r receipt_handle
    read -r receive_count
  } <"$work/received"
}

process_message() {
  local status=0
  if ! set_task_protection true; then
    log "not processing message ${message_id} without protection: handing it back"
    hand_back 0
    pause "$INGESTION_ERROR_PAUSE_SECONDS"
    return 0
  fi
  start_protection_renewal "$TASK_PROTECTION_RENEW_SECONDS"

  phase=processing
  if $stopping; then
    phase=idle
    stop_protection_renewal
    log "handing back message ${message_id}: stop requested before it started"
    hand_back 0
    set_task_protection false || true
    return 0
  fi
  log "processing message ${message_id} (receive ${receive_count:-?})"
  export INGESTION_MESSAGE_FILE="$work/body" INGESTION_MESSAGE_ID="$message_id" INGESTION_RECEIVE_COUNT="$receive_count"
  start_command "$INGESTION_PROCESS_COMMAND"
  process_pid=$STARTED_PID
  if $stopping && [[ -z $watchdog_pid ]]; then start_watchdog; fi
  wait_for "$process_pid" || status=$?
  process_pid=""
  phase=idle
  unset INGESTION_MESSAGE_FILE INGESTION_MESSAGE_ID INGESTION_RECEIVE_COUNT
  stop_watchdog
  stop_protection_renewal

  # Settle the message before releasing the protection: until then this task must not be stopped.
  if ((status == 0)); then
    if sqs delete "$receipt_handle"; then
      log "message ${message_id} processed and deleted"
    else
      log "message ${message_id} processed but not deleted: it will be delivered again"
    fi
  elif $stopping; then
    log "message ${message_id} stopped with status ${status}: handing it back"
    hand_back 0
  else
    log "message ${message_id} failed with status ${status}: retrying in ${INGESTION_RETRY_DELAY_SECONDS} s"
    hand_back "$INGESTION_RETRY_DELAY_SECONDS"
  fi
  set_task_protection false || true
  rm -f "$work/body"
}

load_app_config
if [[ -z "${INGESTION_PROCESS_COMMAND:-}" ]]; then run_listener; fi

INGESTION_POLL_WAIT_SECONDS="${INGESTION_POLL_WAIT_SECONDS:-20}"
INGESTION_STOP_GRACE_SECONDS="${INGESTION_STOP_GRACE_SECONDS:-90}"
INGESTION_RETRY_DELAY_SECONDS="${INGESTION_RETRY_DELAY_SECONDS:-300}"
INGESTION_ERROR_PAUSE_SECONDS="${INGESTION_ERROR_PAUSE_SECONDS:-10}"
TASK_PROTECTION_RENEW_SECONDS="${TASK_PROTECTION_RENEW_SECONDS:-$((TASK_PROTECTION_MINUTES * 30))}"

if [[ -z "${INGESTION_QUEUE_URL:-}" ]]; then
  if [[ -z "${INGESTION_QUEUE_NAME:-}" ]]; then
    log "set INGESTION_QUEUE_URL or INGESTION_QUEUE_NAME (e.g. <env>-ingestion-queue)"
    exit "$MISCONFIGURED"
  fi
  INGESTION_QUEUE_URL="$(conductor_python aws_call.py queue-url "$INGESTION_QUEUE_NAME")"
fi
if [[ -z "${ECS_AGENT_URI:-}" ]]; then
  log "ECS_AGENT_URI is not set (not on ECS?): processing without scale-in protection"
fi

work="$(mktemp -d)"
trap cleanup EXIT
trap on_signal TERM INT

log "taking messages one at a time from ${INGESTION_QUEUE_URL}: ${INGESTION_PROCESS_COMMAND}"
while ! $stopping; do
  received=0
  receive_message || received=$?
  if ((received == 0)); then
    if $stopping; then
      log "handing back message ${message_id}, received while stopping"
      hand_back 0
      break
    fi
    process_message
  elif ((received == 2)) && ! $stopping; then
    pause "$INGESTION_ERROR_PAUSE_SECONDS"
  fi
done
log "stopped"
