# shellcheck shell=bash
# Helpers shared by the entrypoint_*.sh scripts. Sourced, never executed.
#
# Every command an entrypoint runs is a string from an environment variable (the task definition
# sets it; CGAP's command is the default), run by `bash -c` so operators can write redirections or
# `poetry run ...` without a wrapper script.

# Where the entrypoints, nginx.conf and lib/ live (/opt/conductor in the image, docker/ in tests).
CONDUCTOR_HOME="${CONDUCTOR_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export CONDUCTOR_HOME

# Job control puts every background command in its own process group, so a signal sent to the
# group reaches the whole tree (`poetry run` → python → workers), not only the `bash -c` wrapper.
set -m

# Log lines go to stderr (CloudWatch via the awslogs driver), prefixed with the entrypoint's name.
log() {
  printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${LOG_NAME:-${0##*/}}" "$*" >&2
}

# start_command COMMAND: runs COMMAND in the background as its own process group; sets STARTED_PID.
start_command() {
  bash -c "$1" &
  # shellcheck disable=SC2034 # read by the entrypoints
  STARTED_PID=$!
}

# signal_group PID SIGNAL: signals the whole process group led by PID; quiet if it is gone already.
signal_group() {
  kill -s "$2" -- "-$1" 2>/dev/null || kill -s "$2" "$1" 2>/dev/null || true
}

# is_running PID
is_running() {
  kill -0 "$1" 2>/dev/null
}

# wait_for PID: waits until the child PID exits and returns its exit status.
# A trapped signal interrupts `wait` with a status above 128 while the child may still run; the
# trap has done its work by then, so keep waiting for the child's own status.
wait_for() {
  local pid=$1 status
  while :; do
    status=0
    wait "$pid" || status=$?
    if ((status > 128)) && is_running "$pid"; then continue; fi
    if ((status > 128)); then
      # Interrupted just as the child exited, or the child died from a signal: ask once more.
      local again=0
      wait "$pid" 2>/dev/null || again=$?
      ((again == 127)) || status=$again
    fi
    return "$status"
  done
}

# pause SECONDS: sleeps in the background so a trapped SIGTERM is handled at once, not after the sleep.
pause() {
  sleep "$1" &
  PAUSE_PID=$!
  # A signal that came after the caller decided to pause, before the PID was known, found nothing
  # to kill: honour it now rather than sleep the whole pause.
  if [[ -n "${PAUSE_INTERRUPTED:-}" ]]; then kill "$PAUSE_PID" 2>/dev/null || true; fi
  wait_for "$PAUSE_PID" || true
  PAUSE_PID=""
}

# interrupt_pause: called from a signal trap (the entrypoint is stopping) to end the current pause
# and skip any later one.
interrupt_pause() {
  PAUSE_INTERRUPTED=1
  if [[ -n "${PAUSE_PID:-}" ]]; then kill "$PAUSE_PID" 2>/dev/null || true; fi
}

# conductor_python SCRIPT ARGS...: runs one of lib/*.py with the app's python (PYTHON, default
# python3), which uses boto3 for AWS calls when it has it and the standard library otherwise.
conductor_python() {
  "${PYTHON:-python3}" "$CONDUCTOR_HOME/lib/$1" "${@:2}"
}

# ensure_session_secret: cgap-portal's ini reads its session secret from SESSION_SECRET_FILE
# (default session-secret.b64 in the working directory; CGAP's image ships it empty). When that file
# is absent or empty, 256 random bytes, base64, are written to it (mode 0600), as cgap-portal's own
# entrypoint does at every start; a non-empty one is kept. The value is never printed.
ensure_session_secret() {
  local file="${SESSION_SECRET_FILE:-session-secret.b64}"
  if [[ -s $file ]]; then return 0; fi
  if ! (umask 077 && head -c 256 /dev/urandom | base64 >"$file") 2>/dev/null || [[ ! -s $file ]]; then
    log "could not write the session secret to ${file}"
    exit 1
  fi
  # An empty file the image shipped keeps its mode through the redirection: narrow it (as its owner).
  chmod 600 "$file" 2>/dev/null || log "could not make ${file} private (mode 0600): it keeps its mode"
  log "generated a session secret in ${file}"
}

# load_app_config: configuration before any command runs. When IDENTITY names a Secrets Manager
# secret, exports its keys into this shell (so every command inherits them) and, unless the app
# configures itself, renders APP_CONFIG_TEMPLATE into APP_CONFIG_FILE. Then, when CONFIGURE_COMMAND
# is set, runs the app's own configuration step (CGAP: python -m assume_identity) instead of the
# renderer. Any failure stops the container before its commands start. Values are never printed.
load_app_config() {
  ensure_session_secret
  if [[ -z "${IDENTITY:-}" ]]; then
    log "IDENTITY is not set: starting without configuration from Secrets Manager"
  else
    local exports
    if ! exports="$(conductor_python load_config.py)"; then
      log "could not load the configuration from secret ${IDENTITY}"
      exit 1
    fi
    # The loader prints only `export NAME=<shell-quoted value>` lines.
    eval "$exports"
  fi
  if [[ -n "${CONFIGURE_COMMAND:-}" ]]; then
    log "configuring with the app's own step: ${CONFIGURE_COMMAND}"
    local status=0
    bash -c "$CONFIGURE_COMMAND" || status=$?
    if ((status != 0)); then
      log "the app's configuration step failed with status ${status}"
      exit "$status"
    fi
  fi
}
