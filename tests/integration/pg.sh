# tests/integration/pg.sh - a private PostgreSQL 15 for the tests of the
# PostgreSQL store, sourced after lib.sh:
#
#	. "$(dirname "$0")/pg.sh"
#	pg_have || { skip_all "no PostgreSQL 15 binaries"; }
#	pg_start			# sets PG_DIR, PG_SOCK, PG_URL, PG_ADMIN
#	... SPECGATE_DATABASE_URL=$PG_URL sg run ...
#	(pg_stop runs at exit)
#
# The server is Debian's (package postgresql, /usr/lib/postgresql/15/bin),
# started from a fresh initdb in its own temporary directory, listening on a
# unix socket in that directory only (listen_addresses = ''), so that tests
# running at the same time never meet.  initdb refuses to run as root: as
# root, the server runs as the unprivileged user `nobody` (runuser) and the
# directory is handed to it.  Two roles: `pgadmin` (the superuser, trusted
# on the socket: the tests' psql) and `runner`, which must give its
# password (scram-sha-256): the URL of the store carries it, so that the
# tests can check that it never shows.  pg_stop stops this server only,
# with pg_ctl; nothing else is ever killed.  The tests run it with fsync
# off; PG_FSYNC=on (bench/pg-store.sh) makes it as durable as SQLite's
# synchronous=FULL.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PASSWORD=runner-PW-93
PG_DIR=
PG_OWNER=

pg_have() {
	[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] &&
	    command -v psql >/dev/null 2>&1
}

# pg_as CMD...: CMD as the server's owner.
pg_as() {
	if [ -n "$PG_OWNER" ]; then
		runuser -u "$PG_OWNER" -- "$@"
	else
		"$@"
	fi
}

# psql as the superuser on the test database; extra arguments follow.
pg_psql() {
	psql -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -U pgadmin -d "${PG_DB:-specgate}" "$@"
}

pg_start() {
	PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/specgate-pg.XXXXXX")
	PG_SOCK=$PG_DIR/sock
	mkdir -p "$PG_SOCK"
	if [ "$(id -u)" = 0 ]; then
		PG_OWNER=nobody
		chown -R "$PG_OWNER" "$PG_DIR"
		chmod 0755 "$PG_DIR"
	fi
	trap 'pg_stop; rm -rf "$TRASH"' EXIT
	# --auth-local=trust for pgadmin; runner's line comes first below
	pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U pgadmin -E UTF8 \
	    --locale=C.UTF-8 --auth-local=trust --auth-host=reject \
	    >"$PG_DIR/initdb.log" 2>&1 || {
		cat "$PG_DIR/initdb.log" >&2
		return 1
	}
	{
		echo "local all runner scram-sha-256"
		cat "$PG_DIR/data/pg_hba.conf"
	} >"$PG_DIR/hba" && cat "$PG_DIR/hba" >"$PG_DIR/data/pg_hba.conf"
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
	    -o "-c listen_addresses= -c unix_socket_directories=$PG_SOCK -c fsync=${PG_FSYNC:-off} -c max_connections=60" \
	    start >/dev/null || {
		cat "$PG_DIR/server.log" >&2
		return 1
	}
	PG_DB=postgres pg_psql -c "CREATE ROLE runner LOGIN PASSWORD '$PG_PASSWORD'" \
	    -c "CREATE DATABASE specgate OWNER runner" || return 1
	PG_URL="postgres://runner:$PG_PASSWORD@/specgate?host=$PG_SOCK"
	PG_ADMIN="postgres://pgadmin@/specgate?host=$PG_SOCK"
	export PG_URL PG_ADMIN PG_SOCK PG_DIR
}

# pg_newdb NAME: another empty database owned by runner; prints its URL.
pg_newdb() {
	PG_DB=postgres pg_psql -c "CREATE DATABASE $1 OWNER runner" &&
	    echo "postgres://runner:$PG_PASSWORD@/$1?host=$PG_SOCK"
}

pg_stop() {
	[ -n "$PG_DIR" ] || return 0
	if [ -f "$PG_DIR/data/postmaster.pid" ]; then
		pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop \
		    >/dev/null 2>&1
	fi
	rm -rf "$PG_DIR"
	PG_DIR=
}
