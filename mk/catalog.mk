# Catalog database (sqlstore): its conformance suite runs on SQLite and on
# the local PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres).

# In `make test` an unreachable PostgreSQL fails the suite instead of
# skipping it.
MUSIC_REQUIRE_POSTGRES ?= 1
export MUSIC_REQUIRE_POSTGRES

TEST_PREREQS += catalog-postgres

.PHONY: catalog-postgres
# catalog-postgres makes sure PostgreSQL answers on 127.0.0.1:5432: start
# the installed cluster if it is down, or install Debian's postgresql with
# trust auth for local TCP if there is none. Does nothing when it is up.
catalog-postgres:
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then exit 0; fi; \
	if ! command -v pg_ctlcluster >/dev/null 2>&1; then \
		echo "installing Debian package postgresql"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
		hba=$$(ls /etc/postgresql/*/main/pg_hba.conf | head -n1); \
		sed -i '1i host all postgres 127.0.0.1/32 trust' "$$hba"; \
	fi; \
	ver=$$(ls /etc/postgresql | head -n1); \
	pg_ctlcluster --skip-systemctl-redirect $$ver main start || true; \
	for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; \
	echo "PostgreSQL at 127.0.0.1:5432 did not come up" >&2; exit 1
