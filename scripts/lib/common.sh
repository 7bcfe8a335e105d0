# Shared by scripts/run, scripts/test and scripts/bench. Source it; it defines functions only.

# Installs what a fresh Debian machine of this kind lacks: PostgreSQL 15 with PostGIS, the C
# libraries the build links against, and the edge (nginx).
ensure_system_packages() {
  local missing=()
  command -v pg_ctl >/dev/null 2>&1 || [ -x /usr/lib/postgresql/15/bin/pg_ctl ] || missing+=(postgresql)
  dpkg -s postgresql-15-postgis-3 >/dev/null 2>&1 || missing+=(postgresql-15-postgis-3)
  dpkg -s libpq-dev >/dev/null 2>&1 || missing+=(libpq-dev)
  dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || missing+=(libcurl4-openssl-dev)
  dpkg -s libargon2-dev >/dev/null 2>&1 || missing+=(libargon2-dev)
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
  # the edge (deploy/nginx/): nginx, a certificate made with openssl, Debian's Leaflet for the map
  command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  dpkg -s libjs-leaflet >/dev/null 2>&1 || missing+=(libjs-leaflet)
  # the pages in a real browser (scripts/faces): Chromium, its driver and CJK fonts for the screenshots
  [ "${1:-}" = faces ] && { command -v chromedriver >/dev/null 2>&1 || missing+=(chromium chromium-driver); }
  [ "${1:-}" = faces ] && { dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk); }
  [ "${1:-}" = bench ] && { command -v pgbench >/dev/null 2>&1 || missing+=(postgresql-contrib); }
  [ "${1:-}" = bench ] && { command -v wrk >/dev/null 2>&1 || missing+=(wrk); }
  [ "${1:-}" = fuzz ] && { command -v promtool >/dev/null 2>&1 || missing+=(prometheus); }
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  export PATH="/usr/lib/postgresql/15/bin:$PATH"
}

# start_cluster DIR: creates (if needed) and starts a private PostgreSQL cluster in DIR, listening
# only on a unix socket in DIR/run. initdb refuses root, so the cluster belongs to `postgres`.
# Exports PGHOST, PGPORT, PGUSER for libpq.
start_cluster() {
  local dir=$1
  mkdir -p "$dir"
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir"
    as=(runuser -u postgres --)
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    "${as[@]}" initdb -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log"; return 1; }
  fi
  "${as[@]}" mkdir -p "$dir/run"
  if ! "${as[@]}" pg_ctl -D "$dir/data" status >/dev/null 2>&1; then
    "${as[@]}" pg_ctl -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-k $dir/run -c listen_addresses='' -c max_connections=${GRIDMESH_PG_MAX_CONNECTIONS:-300} -c shared_buffers=256MB -c fsync=${GRIDMESH_PG_FSYNC:-on}" start >/dev/null \
      || { tail -20 "$dir/postgres.log"; return 1; }
  fi
  export PGHOST="$dir/run" PGPORT=5432 PGUSER=postgres
}

stop_cluster() {
  local dir=$1
  local as=()
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  "${as[@]}" pg_ctl -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# Builds every product; prints the folder of the binaries.
build_products() {
  local configuration=${GRIDMESH_BUILD:-debug}
  swift build -c "$configuration" >&2
  swift build -c "$configuration" --show-bin-path
}
