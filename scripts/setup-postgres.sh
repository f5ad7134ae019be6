#!/usr/bin/env bash
# PostgreSQL for workflow 2's change capture: logical decoding (wal_level=logical) and room for
# replication slots and WAL senders. Idempotent: it restarts the server only when a setting changed,
# which a local Debian cluster allows (pg_ctlcluster); elsewhere it says what to restart.
#
#   scripts/setup-postgres.sh        # PGHOST, PGPORT, PGUSER as for psql (127.0.0.1, 5432, postgres)
#   PG_CLUSTER="16 main" scripts/setup-postgres.sh
set -euo pipefail
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGDATABASE=postgres
cluster="${PG_CLUSTER:-15 main}"

setting() { psql -qAtc "SHOW $1"; }

changed=()
if [ "$(setting wal_level)" != logical ]; then
  psql -qc "ALTER SYSTEM SET wal_level = logical"
  changed+=(wal_level)
fi
# The defaults (10) suffice; only raise a server that was set lower.
for name in max_replication_slots max_wal_senders; do
  if [ "$(setting "$name")" -lt 10 ]; then
    psql -qc "ALTER SYSTEM SET $name = 10"
    changed+=("$name")
  fi
done

if [ ${#changed[@]} -eq 0 ]; then
  echo "postgres: wal_level=logical, max_replication_slots=$(setting max_replication_slots), max_wal_senders=$(setting max_wal_senders); nothing to change"
  exit 0
fi

echo "postgres: set ${changed[*]}; restarting cluster $cluster"
if ! command -v pg_ctlcluster >/dev/null; then
  echo "postgres: restart the server at $PGHOST:$PGPORT yourself for ${changed[*]} to take effect" >&2
  exit 1
fi
# shellcheck disable=SC2086 # "15 main": version and name, two arguments
pg_ctlcluster --skip-systemctl-redirect $cluster restart
for _ in $(seq 1 60); do
  if pg_isready -q; then
    break
  fi
  sleep 0.5
done
if [ "$(setting wal_level)" != logical ]; then
  echo "postgres: wal_level is still $(setting wal_level) after the restart" >&2
  exit 1
fi
echo "postgres: wal_level=logical"
