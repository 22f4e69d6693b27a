# Sourced by the load benchmarks: wrk and nginx from Debian when missing, and the
# line of figures one wrk run gives.
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
need_wrk_nginx() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  if [ ${#missing[@]} -gt 0 ]; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
# wrk_figures FILE NAME → "NAME,requests_per_s,p50_ms,p99_ms,non_2xx,socket_errors"
# (wrk run with --latency).
wrk_figures() {
  python3 - "$1" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(v):
    n, u = float(re.match(r"[\d.]+", v).group()), re.search(r"[a-z]+", v).group()
    return n * {"us": 0.001, "ms": 1, "s": 1000}[u]
lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", text, re.M))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: (.*)", text)
print(f"{sys.argv[2]},{rps:.0f},{ms(lat['50']):.2f},{ms(lat['99']):.2f},{errors.group(1) if errors else 0},{(sock.group(1) if sock else 'none').replace(',', ';')}")
PY
}
# nginx_static ROOT_FOLDER CONF_FOLDER: starts nginx in the background serving
# ROOT_FOLDER on a free loopback port; sets nginx_port and nginx_pid.
nginx_static() {
  local www=$1 conf=$2 port
  chmod a+x "$(dirname "$www")"; chmod -R a+rX "$www"   # nginx workers run unprivileged
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$conf"
  cat > "$conf/nginx.conf" <<NGINX
worker_processes auto;
pid $conf/nginx.pid;
error_log $conf/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $conf; proxy_temp_path $conf; fastcgi_temp_path $conf;
  uwsgi_temp_path $conf; scgi_temp_path $conf;
  types { text/calendar ics; }
  server { listen 127.0.0.1:$port; root $www; etag on; }
}
NGINX
  /usr/sbin/nginx -c "$conf/nginx.conf" -g 'daemon off;' >/dev/null 2>&1 &
  nginx_pid=$!
  nginx_port=$port
}
