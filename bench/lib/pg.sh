# Sourced by the benchmarks that need PostgreSQL: a throwaway cluster in a folder,
# reached by a Unix socket in it, stopped by pg_stop. Needs Debian's postgresql
# (scripts/setup.sh installs it). As root, the cluster runs as the postgres account.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "bench: no /usr/lib/postgresql/*/bin/initdb (run scripts/setup.sh)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_start() { # folder
  pg_dir=$1
  [ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
  as_pg "$pgbin/initdb" --auth=trust --no-sync --no-locale -E UTF8 -U tournee -D "$pg_dir/data" >/dev/null
  as_pg "$pgbin/pg_ctl" start -w -s -D "$pg_dir/data" -l "$pg_dir/pg.log" \
    -o "-c listen_addresses='' -k $pg_dir -p 5432 -c max_connections=300"
}
pg_stop() { [ -n "${pg_dir:-}" ] && as_pg "$pgbin/pg_ctl" stop -m immediate -D "$pg_dir/data" >/dev/null 2>&1 || true; }
psql() { "$pgbin/psql" -X -q -At -h "$pg_dir" -p 5432 -U tournee "$@"; }
pg_url() { echo "postgres://tournee@localhost/$1?host=$pg_dir&port=5432"; } # database
