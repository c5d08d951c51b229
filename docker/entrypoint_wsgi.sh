#!/usr/bin/env bash
# The API container: nginx on port 8000 in front of the application server (CGAP: pserve on 6543).
# If either process dies the container exits with its status, so ECS replaces the task instead of
# leaving a half-working one behind the load balancer. SIGTERM stops both promptly.
set -euo pipefail
LOG_NAME=wsgi
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

APP_SERVER_COMMAND="${APP_SERVER_COMMAND:-pserve production.ini}"
NGINX_COMMAND="${NGINX_COMMAND:-nginx -c ${CONDUCTOR_HOME}/nginx.conf -g 'daemon off;'}"

stopping=false
app_pid=""
nginx_pid=""

stop_all() {
  stopping=true
  # SIGQUIT is nginx's graceful shutdown: it finishes the requests in flight, then exits.
  if [[ -n $nginx_pid ]]; then signal_group "$nginx_pid" QUIT; fi
  if [[ -n $app_pid ]]; then signal_group "$app_pid" TERM; fi
}
trap stop_all TERM INT

load_app_config
if $stopping; then exit 0; fi

log "starting the application server: ${APP_SERVER_COMMAND}"
start_command "$APP_SERVER_COMMAND"
app_pid=$STARTED_PID
log "starting nginx: ${NGINX_COMMAND}"
start_command "$NGINX_COMMAND"
nginx_pid=$STARTED_PID
# A SIGTERM that came while starting reached only what was running then.
if $stopping; then stop_all; fi

# Wait for the first of the two to exit (or for SIGTERM, which interrupts the wait). `wait -n`
# reports the status of the process that exited; a later `wait PID` could no longer see it.
first_status=0
while is_running "$app_pid" && is_running "$nginx_pid" && ! $stopping; do
  first_status=0
  wait -n || first_status=$?
done

status=0
if ! $stopping; then
  status=$first_status
  if is_running "$app_pid"; then
    log "nginx exited with status ${status}; stopping the application server"
  else
    log "the application server exited with status ${status}; stopping nginx"
  fi
  # A process that exits by itself is a failure even with status 0: the container must not linger.
  ((status != 0)) || status=1
  stop_all
fi

wait_for "$app_pid" || true
wait_for "$nginx_pid" || true
if ((status == 0)); then log "stopped on request"; fi
exit "$status"
