#!/usr/bin/env bash
# The one-off deployment task: runs the deployment actions in order and stops at the first one
# that fails, exiting with that action's status. The conductor reads the task's exit code, so it
# must tell the truth: no `exit 0` at the end, no swallowed errors (CGAP's script had both).
#
# Actions are newline-separated commands (blank lines and # comments ignored):
#   DEPLOYMENT_ACTIONS           a routine deployment (CGAP's routine steps by default);
#   INITIAL_DEPLOYMENT_ACTIONS   instead, an initial one, which wipes the database and Elasticsearch:
#                                only when INITIAL_DEPLOYMENT=true AND ALLOW_DESTRUCTIVE_DEPLOYMENT
#                                names this environment (ENV_NAME), so a stray flag cannot wipe prod.
set -euo pipefail
LOG_NAME=deployment
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Exit status when a destructive deployment is requested without the explicit enablement.
readonly REFUSED=78

current_pid=""
on_signal() {
  log "stop requested: stopping the current action"
  if [[ -n $current_pid ]]; then signal_group "$current_pid" TERM; fi
  exit 143
}
trap on_signal TERM INT

load_app_config

# cgap-portal's deploy/docker/production/entrypoint_deployment.sh, today's actions and flags. Defaults use
# single quotes: variables in them expand when the action runs, after the config loaded.
# shellcheck disable=SC2016
DEFAULT_ACTIONS='poetry run create-mapping-on-deploy production.ini --app-name app --staggered
poetry run load-data-by-type production.ini --app-name app --prod --overwrite --indir master-inserts --itype higlass_view_config
poetry run load-data-by-type production.ini --app-name app --prod --overwrite --indir master-inserts --itype user
poetry run load-access-keys production.ini --app-name app --secret-name "$IDENTITY"'
# The initial path: the wipe (clear-db-es-contents refuses itself unless the ini's env is --only-if-env),
# the mapping, the full master data instead of the two item types, the access keys.
# shellcheck disable=SC2016
DEFAULT_INITIAL_ACTIONS='poetry run clear-db-es-contents production.ini --app-name app --only-if-env "$ALLOW_DESTRUCTIVE_DEPLOYMENT" --allow-prod
poetry run create-mapping-on-deploy production.ini --app-name app --staggered
poetry run load-data production.ini --app-name app --prod
poetry run load-access-keys production.ini --app-name app --secret-name "$IDENTITY"'

ENV_NAME="${ENV_NAME:-${ENCODED_ENV_NAME:-}}"
export ENV_NAME
DEPLOYMENT_ACTIONS="${DEPLOYMENT_ACTIONS:-$DEFAULT_ACTIONS}"
INITIAL_DEPLOYMENT_ACTIONS="${INITIAL_DEPLOYMENT_ACTIONS:-$DEFAULT_INITIAL_ACTIONS}"
# CGAP's task definitions set INITIAL_DEPLOYMENT to TRUE or to nothing.
initial="$(printf '%s' "${INITIAL_DEPLOYMENT:-}" | tr '[:upper:]' '[:lower:]')"

actions=()
add_actions() {
  local line
  while IFS= read -r line; do
    # Trim surrounding blanks; skip empty lines and comments.
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    if [[ -n $line && $line != '#'* ]]; then actions+=("$line"); fi
  done <<<"$1"
}

if [[ $initial == true ]]; then
  if [[ -z $ENV_NAME || "${ALLOW_DESTRUCTIVE_DEPLOYMENT:-}" != "$ENV_NAME" ]]; then
    log "refusing the initial deployment of '${ENV_NAME:-unnamed environment}': it wipes the database and Elasticsearch;" \
      "set ALLOW_DESTRUCTIVE_DEPLOYMENT=<environment name> on this task to allow it"
    exit "$REFUSED"
  fi
  export ALLOW_DESTRUCTIVE_DEPLOYMENT
  log "initial deployment of ${ENV_NAME}: destructive actions enabled"
  add_actions "$INITIAL_DEPLOYMENT_ACTIONS"
elif [[ -n $initial && $initial != false ]]; then
  log "INITIAL_DEPLOYMENT must be true or false, not '${INITIAL_DEPLOYMENT}'"
  exit "$REFUSED"
else
  add_actions "$DEPLOYMENT_ACTIONS"
fi

total=${#actions[@]}
step=0
for action in "${actions[@]}"; do
  step=$((step + 1))
  log "action ${step}/${total}: ${action}"
  # In the background with `wait`, so SIGTERM reaches the trap while an action runs.
  start_command "$action"
  current_pid=$STARTED_PID
  status=0
  wait_for "$current_pid" || status=$?
  current_pid=""
  if ((status != 0)); then
    log "action ${step}/${total} failed with status ${status}; stopping the deployment"
    exit "$status"
  fi
done
log "deployment finished: ${total} actions succeeded"
