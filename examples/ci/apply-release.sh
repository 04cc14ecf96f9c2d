#!/usr/bin/env bash
# The operator's release, non-interactive (what the runbooks' PowerShell script did by
# hand): verified backup, the approved plan applied exactly, then the validation report.
#
#   DB_HOST=db-prod DB_USER=deploy DB_NAME=arisgourmet DB_PASSWORD=... \
#     examples/ci/apply-release.sh release.yaml schema/arisgourmet
#
# Exit codes: 0 applied and validated; 2 applied but validation failed; 1 refused or failed
# (nothing changed when refused; a failed step resumes when the script runs again).
set -euo pipefail

plan=${1:?usage: apply-release.sh PLAN.yaml SCHEMA_DIR}
schema=${2:?usage: apply-release.sh PLAN.yaml SCHEMA_DIR}
: "${DB_NAME:?set DB_HOST, DB_USER, DB_NAME (and DB_PASSWORD) for the target database}"
backup_dir=${BACKUP_DIR:-backups}

echo "== review: what will run"
canon show "$plan" --format markdown | sed -n '1,12p'

echo "== backup, apply"
canon apply "$plan" --yes --backup-dir "$backup_dir"

echo "== validation"
migrations=()
for m in ${REQUIRE_MIGRATIONS:-}; do migrations+=(--require-migration "$m"); done
canon validate --schema "$schema" "${migrations[@]}"
