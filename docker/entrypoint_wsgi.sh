#!/usr/bin/env bash
# The API container as cgap-portal runs it (its supervisord.conf): the application server's workers,
# one `pserve production.ini http_port=<port>` per port, behind nginx on port 8000, which balances
# them. If any of them dies the container exits with its status, so ECS replaces the task instead of
# leaving a half-working one behind the load balancer. SIGTERM stops them all promptly.
set -euo pipefail
LOG_NAME=wsgi
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

APP_SERVER_COMMAND="${APP_SERVER_COMMAND:-pserve production.ini}"
# cgap-portal's five workers; nginx.conf's upstream lists the same ports. Empty: one app server,
# APP_SERVER_COMMAND as it is.
APP_SERVER_PORTS="${APP_SERVER_PORTS-6543 6544 6545 6546 6547}"
NGINX_COMMAND="${NGINX_COMMAND:-nginx -c ${CONDUCTOR_HOME}/nginx.conf -g 'daemon off;'}"

stopping=false
app_pids=()
nginx_pid=""

stop_all() {
  stopping=true
  # SIGQUIT is nginx's graceful shutdown: it finishes the requests in flight, then exits.
  if [[ -n $nginx_pid ]]; then signal_group "$nginx_pid" QUIT; fi
  local pid
  for pid in "${app_pids[@]}"; do signal_group "$pid" TERM; done
}
trap stop_all TERM INT

all_running() {
  local pid
  for pid in "${app_pids[@]}" "$nginx_pid"; do is_running "$pid" || return 1; done
}

load_app_config
if $stopping; then exit 0; fi

read -r -a ports <<<"$APP_SERVER_PORTS"
commands=()
if ((${#ports[@]} == 0)); then commands=("$APP_SERVER_COMMAND"); fi
for port in "${ports[@]}"; do commands+=("${APP_SERVER_COMMAND} http_port=${port}"); done
for command in "${commands[@]}"; do
  log "starting the application server: ${command}"
  start_command "$command"
  app_pids+=("$STARTED_PID")
done
log "starting nginx: ${NGINX_COMMAND}"
start_command "$NGINX_COMMAND"
nginx_pid=$STARTED_PID
# A SIGTERM that came while starting reached only what was running then.
if $stopping; then stop_all; fi

# Wait for the first to exit (or for SIGTERM, which interrupts the wait). `wait -n` reports the
# status of the process that exited; a later `wait PID` could no longer see it.
first_status=0
while all_running && ! $stopping; do
  first_status=0
  wait -n || first_status=$?
done

status=0
if ! $stopping; then
  status=$first_status
  if is_running "$nginx_pid"; then
    log "an application server exited with status ${status}; stopping the others and nginx"
  else
    log "nginx exited with status ${status}; stopping the application servers"
  fi
  # A process that exits by itself is a failure even with status 0: the container must not linger.
  ((status != 0)) || status=1
  stop_all
fi

for pid in "${app_pids[@]}"; do wait_for "$pid" || true; done
wait_for "$nginx_pid" || true
if ((status == 0)); then log "stopped on request"; fi
exit "$status"
