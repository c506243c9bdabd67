#!/usr/bin/env bash
# Restore drill: restore an archive made by backup.sh into a NEW database,
# then prove it: `xborder ledger verify` (every hash chain, every stored
# balance against the postings) must pass; with SOURCE_DB, every account's
# balances and every transaction's hash must also equal the source's (give
# it when the source has not changed since the dump: the suite's drill, a
# paused replica, a maintenance window).
#
# usage: restore-drill.sh DUMP SCRATCH_DB [SOURCE_DB]
# libpq environment: PGHOST, PGPORT, PGUSER (a role that may create
# databases and owns or may read the source), PGPASSFILE.  PG_BINDIR: where
# pg_restore/createdb/psql are (default: PATH).  XBORDER_DRILL_URL: the
# SQLAlchemy URL of the server without the database name, e.g.
# postgresql+asyncpg://xborder_migrator@db.internal:5432 ; XBORDER: the
# xborder command (default: xborder); the XBORDER_* keys as for the service.
# Exit status 0 only when everything matches; the scratch database is kept
# for inspection (drop it afterwards).
set -euo pipefail
dump=${1:?usage: restore-drill.sh DUMP SCRATCH_DB SOURCE_DB}
scratch=${2:?scratch database}
source_db=${3:-}
bin=${PG_BINDIR:+$PG_BINDIR/}
xborder=${XBORDER:-xborder}

"${bin}createdb" --template=template0 "$scratch"
"${bin}pg_restore" --exit-on-error --no-password --dbname="$scratch" "$dump"

XBORDER_DATABASE_URL="${XBORDER_DRILL_URL:?}/$scratch" $xborder ledger verify

figures() {
  "${bin}psql" -X -A -t -v ON_ERROR_STOP=1 --dbname="$1" -c "
    SELECT 'accounts ' || count(*) || ' ' || md5(coalesce(string_agg(id::text || ':' || debits_posted || ':' || credits_posted || ':' || debits_pending || ':' || credits_pending, ',' ORDER BY id), ''))
      FROM accounts
    UNION ALL
    SELECT 'transactions ' || count(*) || ' ' || md5(coalesce(string_agg(id::text || ':' || hash, ',' ORDER BY id), ''))
      FROM transactions
    UNION ALL
    SELECT 'postings ' || count(*) FROM postings"
}
got=$(figures "$scratch")
if [ -z "$source_db" ]; then
  echo "restored: $got" | tr '\n' ' '; echo
  echo "restore drill passed: ledger verified (no source to compare with)"
  exit 0
fi
want=$(figures "$source_db")
echo "source:   $want" | tr '\n' ' '; echo
echo "restored: $got" | tr '\n' ' '; echo
if [ "$want" != "$got" ]; then
  echo "restore drill FAILED: the restored database differs from the source" >&2
  exit 1
fi
echo "restore drill passed: ledger verified, every balance and chain head equal"
