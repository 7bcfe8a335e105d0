# The mesh on a cluster, as scripts/run, scripts/faces and scripts/fuzz bring it up. Source it after
# common.sh. The caller sets `bin` (the built products), `database`, `mesh_dir` (keys/, data/ and
# log/ go there), the `ports` array (daemon → port) and a `pids` array its clean-up stops.

mesh_daemons=(authd patrold meetingd reentryd vettingd)

# mesh_keys PASSWORD: the keys in $mesh_dir/keys (kept when they exist): token signing, the secrets'
# sealing key, reentryd's and vettingd's personal-data sealing keys and the shared lookup key; the
# demo directory's accounts with PASSWORD (their authenticator secrets in keys/demo-totp).
mesh_keys() {
  local keys=$mesh_dir/keys
  "$bin/gridctl" keys generate --dir "$keys" >/dev/null
  "$bin/gridctl" keys secrets --dir "$keys" >/dev/null
  for daemon in reentryd vettingd; do
    "$bin/gridctl" keys personal-data --dir "$keys" --sealing-file "$daemon-sealing.key" >/dev/null
  done
  export GRIDMESH_SECRETS_KEY_FILE=$keys/secrets.key GRIDMESH_LOOKUP_KEY_FILE=$keys/lookup.key
  "$bin/gridctl" accounts demo --password "$1" >"$keys/demo-totp"
}

# mesh_client_secrets: a fresh client secret for each daemon that calls its peers with tokens from authd.
mesh_client_secrets() {
  for daemon in meetingd reentryd vettingd; do
    "$bin/gridctl" accounts client-secret "svc-$daemon" --overlap-hours 0 --file "$mesh_dir/keys/$daemon.client-secret" >/dev/null
  done
}

# mesh_peer_urls: where the daemons that others call answer.
mesh_peer_urls() {
  export GRIDMESH_PATROLD_URL=http://127.0.0.1:${ports[patrold]} GRIDMESH_REENTRYD_URL=http://127.0.0.1:${ports[reentryd]}
}

# start_daemon NAME [VAR=VALUE…]: starts one daemon in the background as its own database role, on
# its port, with its data directory, client secret and sealing key, logging to $mesh_dir/log/NAME.log.
start_daemon() {
  local daemon=$1
  shift
  mkdir -p "$mesh_dir/log"
  env GRIDMESH_DATABASE="host=$PGHOST dbname=$database user=$daemon" GRIDMESH_HTTP_PORT=${ports[$daemon]} \
    GRIDMESH_DATA_DIR="$mesh_dir/data/$daemon" GRIDMESH_CLIENT_SECRET_FILE="$mesh_dir/keys/$daemon.client-secret" \
    GRIDMESH_SEALING_KEY_FILE="$mesh_dir/keys/$daemon-sealing.key" "$@" "$bin/$daemon" 2>>"$mesh_dir/log/$daemon.log" &
  pids+=($!)
}

# wait_ready NAME: until the daemon's /readyz answers (30 s), else its log's last lines and failure.
wait_ready() {
  for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:${ports[$1]}/readyz" >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "$1 did not become ready: $(tail -3 "$mesh_dir/log/$1.log")" >&2
  return 1
}

# start_mesh [VAR=VALUE…]: authd with the signing key (and the settings given), then, once it
# answers, the other daemons, which fetch its keys and their service tokens from it; returns when all
# are ready.
start_mesh() {
  export GRIDMESH_AUTHD_URL=http://127.0.0.1:${ports[authd]}
  mesh_peer_urls
  start_daemon authd GRIDMESH_TOKEN_SIGNING_KEY_FILE="$mesh_dir/keys/token-signing.jwk" "$@"
  wait_ready authd
  for daemon in "${mesh_daemons[@]:1}"; do start_daemon "$daemon"; done
  for daemon in "${mesh_daemons[@]:1}"; do wait_ready "$daemon"; done
}
