#!/usr/bin/env bash
# The lab topology of docker-compose.yml as native processes on 127.0.0.1: Mosquitto with the
# repo's ACL and a generated password file, and each simulated instrument (robot-1, xrd-1,
# furnace-1, furnace-2, eis-1) as its own ionloop process sharing a bench folder. The orchestrator is run
# against it with `run` and `recover`. Used by the crash-resume integration test.
#
#   deploy/native/lab.sh up DIR            start broker and instruments; settings in DIR/lab.env
#   deploy/native/lab.sh run DIR FILE ...  run a campaign on that lab (extra args to `ionloop run`)
#   deploy/native/lab.sh recover DIR ID ... recover a campaign on that lab after a crash
#   deploy/native/lab.sh node DIR ...      one orchestrator node of a cluster on that lab
#                                          (ionloop serve --cluster; needs IONLOOP_JDBC_URL at `up`,
#                                          IONLOOP_CLUSTER_PORT and IONLOOP_CLUSTER_SEED_NODES)
#   deploy/native/lab.sh gateway DIR ID... a gateway node of that cluster driving instruments ID...
#                                          (ionloop gateway; IONLOOP_CLUSTER_PORT and _SEED_NODES)
#   deploy/native/lab.sh down DIR          stop everything started by `up`
#
# Ports come from MQTT_PORT, FURNACE1_PORT, FURNACE2_PORT, EIS_PORT (defaults 1883, 1502, 1504,
# 1503); the lab clock from TIME_SCALE (default 1e-4); the store from IONLOOP_JDBC_URL (default
# an H2 file in DIR). Needs mosquitto (Debian package) and a built ionloop.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ionloop="$root/bin/ionloop"
command="${1:-}"
dir="${2:-}"
[[ -n "$command" && -n "$dir" ]] || { sed -n '2,20p' "${BASH_SOURCE[0]}"; exit 2; }
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

up() {
  local mqtt="${MQTT_PORT:-1883}" f1="${FURNACE1_PORT:-1502}" f2="${FURNACE2_PORT:-1504}" eis="${EIS_PORT:-1503}"
  local scale="${TIME_SCALE:-1e-4}"
  command -v mosquitto_passwd >/dev/null || { echo "mosquitto is not installed (apt-get install mosquitto)" >&2; exit 1; }
  "$ionloop" --version > /dev/null   # builds once if needed, not once per process
  export IONLOOP_NO_BUILD=1
  local orchestrator_pw robot_pw xrd_pw
  orchestrator_pw="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  robot_pw="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  xrd_pw="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  rm -f "$dir/passwd"
  mosquitto_passwd -b -c "$dir/passwd" ionloop "$orchestrator_pw" 2>/dev/null
  mosquitto_passwd -b "$dir/passwd" robot-1 "$robot_pw" 2>/dev/null
  mosquitto_passwd -b "$dir/passwd" xrd-1 "$xrd_pw" 2>/dev/null
  chmod 600 "$dir/passwd"
  {
    echo "listener $mqtt 127.0.0.1"
    echo "allow_anonymous false"
    echo "password_file $dir/passwd"
    echo "acl_file $root/deploy/mosquitto/acl"
    echo "set_tcp_nodelay true"
    echo "max_packet_size 65536"
    echo "log_dest file $dir/mosquitto.log"
    [[ "$(id -u)" -eq 0 ]] && echo "user root"   # as root it would drop to 'mosquitto', who cannot read $dir
  } > "$dir/mosquitto.conf"
  /usr/sbin/mosquitto -c "$dir/mosquitto.conf" > /dev/null 2>&1 &
  echo $! > "$dir/mosquitto.pid"
  wait_for_port "$mqtt"
  mkdir -p "$dir/bench"
  IONLOOP_SIM_MQTT_USERNAME=robot-1 IONLOOP_SIM_MQTT_PASSWORD="$robot_pw" \
    start_sim robot-1 --broker "tcp://127.0.0.1:$mqtt" --seed 3
  IONLOOP_SIM_MQTT_USERNAME=xrd-1 IONLOOP_SIM_MQTT_PASSWORD="$xrd_pw" \
    start_sim xrd-1 --broker "tcp://127.0.0.1:$mqtt" --seed 7
  start_sim furnace-1 --port "$f1"
  start_sim furnace-2 --port "$f2"
  start_sim eis-1 --port "$eis" --seed 5
  for port in "$f1" "$f2" "$eis"; do wait_for_port "$port"; done
  wait_for_line "$dir/robot-1.log" "ready"
  wait_for_line "$dir/xrd-1.log" "ready"
  cat > "$dir/lab.env" <<ENV
IONLOOP_MQTT_USERNAME=ionloop
IONLOOP_MQTT_PASSWORD=$orchestrator_pw
LAB_ARGS="--broker tcp://127.0.0.1:$mqtt --endpoint furnace-1=127.0.0.1:$f1 --endpoint furnace-2=127.0.0.1:$f2 --endpoint eis-1=127.0.0.1:$eis --lab-clock $scale --poll-ms 10"
STORE_ARGS="${IONLOOP_JDBC_URL:+--jdbc-url $IONLOOP_JDBC_URL} --db $dir/ionloop"
ENV
  echo "lab up in $dir: broker tcp://127.0.0.1:$mqtt, furnaces :$f1 :$f2, analyzer :$eis"
}

start_sim() {
  local id="$1"; shift
  "$ionloop" sim instrument "$id" --bench "$dir/bench" --time-scale "${TIME_SCALE:-1e-4}" "$@" \
    > "$dir/$id.log" 2>&1 &
  echo $! > "$dir/$id.pid"
}

wait_for_port() {
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1 after 30 s (logs in $dir)" >&2
  exit 1
}

wait_for_line() {
  for _ in $(seq 1 300); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$1 never said '$2'" >&2
  exit 1
}

orchestrate() {
  [[ -f "$dir/lab.env" ]] || { echo "no lab in $dir: run '$0 up $dir' first" >&2; exit 1; }
  set -a; . "$dir/lab.env"; set +a
  # shellcheck disable=SC2086  # the argument lists are meant to split
  exec "$ionloop" "$@" $LAB_ARGS $STORE_ARGS
}

gateway() {
  [[ -f "$dir/lab.env" ]] || { echo "no lab in $dir: run '$0 up $dir' first" >&2; exit 1; }
  set -a; . "$dir/lab.env"; set +a
  # shellcheck disable=SC2086  # the argument list is meant to split; a gateway has no store
  exec "$ionloop" gateway "$@" $LAB_ARGS
}

down() {
  for pidfile in "$dir"/*.pid; do
    [[ -f "$pidfile" ]] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

case "$command" in
  up) up ;;
  run) shift 2; orchestrate run "$@" ;;
  recover) shift 2; orchestrate campaign recover "$@" ;;
  node) shift 2; orchestrate serve --cluster "$@" ;;
  gateway) shift 2; gateway "$@" ;;
  down) down ;;
  *) echo "unknown command '$command' (up, run, recover, node, gateway, down)" >&2; exit 2 ;;
esac
