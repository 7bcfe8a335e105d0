# The edge: nginx in front of the mesh as the one origin (deploy/nginx/). Source it after common.sh.

# render_edge_site TEMPLATE LISTEN SERVER_NAME CERTIFICATE KEY ACCESS_LOG FACES SNIPPETS: the site
# configuration for the daemons of the caller's `ports` array (scripts/run, scripts/faces, deploy/install).
# Sign-in attempts per client address: GRIDMESH_EDGE_SIGNIN_RATE (10r/m) with bursts of
# GRIDMESH_EDGE_SIGNIN_BURST (10); the browser tests, which sign in often, raise both.
render_edge_site() {
  sed -e "s|@LISTEN@|$2|" -e "s|@SERVER_NAME@|$3|" -e "s|@CERTIFICATE@|$4|" -e "s|@CERTIFICATE_KEY@|$5|" -e "s|@ACCESS_LOG@|$6|" \
    -e "s|@FACES@|$7|" -e "s|@SNIPPETS@|$8|" -e "s|@LEAFLET@|/usr/share/javascript/leaflet|" \
    -e "s|@SIGNIN_RATE@|${GRIDMESH_EDGE_SIGNIN_RATE:-10r/m}|" -e "s|@SIGNIN_BURST@|${GRIDMESH_EDGE_SIGNIN_BURST:-10}|" \
    -e "s|@PATROLD@|127.0.0.1:${ports[patrold]}|" -e "s|@MEETINGD@|127.0.0.1:${ports[meetingd]}|" \
    -e "s|@REENTRYD@|127.0.0.1:${ports[reentryd]}|" -e "s|@VETTINGD@|127.0.0.1:${ports[vettingd]}|" \
    -e "s|@AUTHD@|127.0.0.1:${ports[authd]}|" "$1"
}

# start_edge DIR LISTEN: renders deploy/nginx/ into DIR for the daemons of the caller's `ports`
# array, with a self-signed certificate for localhost made once, checks it and starts nginx in the
# foreground in the background; sets edge_pid. The pages are served from Faces/ of this tree.
start_edge() {
  local dir=$1 listen=$2
  mkdir -p "$dir"/tmp/{body,proxy,fastcgi,uwsgi,scgi}
  # nginx's workers run as nobody when started by root: they write request bodies here
  chmod -R a+rwx "$dir/tmp"
  if [ ! -f "$dir/edge.crt" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$dir/edge.key" -out "$dir/edge.crt" 2>/dev/null
  fi
  cp deploy/nginx/gridmesh-proxy.conf "$dir/gridmesh-proxy.conf"
  render_edge_site deploy/nginx/gridmesh.conf.in "$listen" localhost "$dir/edge.crt" "$dir/edge.key" "$dir/access.log" "$PWD/Faces" "$dir" \
    >"$dir/gridmesh.conf"
  sed -e "s|@PREFIX@|$dir|g" deploy/nginx/local.conf.in >"$dir/nginx.conf"
  nginx -q -t -p "$dir" -c "$dir/nginx.conf"
  nginx -p "$dir" -c "$dir/nginx.conf" &
  edge_pid=$!
  for _ in $(seq 1 50); do
    curl -ksf -o /dev/null "https://127.0.0.1:$listen/" && return
    sleep 0.1
  done
  echo "nginx did not answer on $listen: $(tail -5 "$dir/error.log")" >&2
  return 1
}
