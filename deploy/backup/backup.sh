#!/usr/bin/env bash
# Logical backup of the xborder database: one custom-format pg_dump archive
# (compressed; restorable whole or table by table), written under a
# temporary name and renamed only when complete, then read back once.
#
# usage: backup.sh DIR
# libpq environment: PGHOST, PGPORT, PGDATABASE, PGUSER (the migration role,
# which owns every table), PGPASSFILE.  PG_BINDIR: where pg_dump is (default: PATH).
# Prints the archive's path.  Run nightly (cron or a systemd timer) and keep
# the archives off the database host; take WAL archives too for
# point-in-time recovery (docs/DEPLOYING.md).
set -euo pipefail
dir=${1:?usage: backup.sh DIR}
bin=${PG_BINDIR:+$PG_BINDIR/}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$dir/xborder-${PGDATABASE:-xborder}-$stamp.dump"
"${bin}pg_dump" --format=custom --compress=6 --no-password --file="$out.partial"
mv "$out.partial" "$out"
"${bin}pg_restore" --list "$out" > /dev/null
echo "$out"
