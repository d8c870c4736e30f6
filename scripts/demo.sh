#!/usr/bin/env bash
# Runs the whole chain on the bundled clip: a private mosquitto on a free
# loopback port, the hub, and the device daemon over demo/scenes.mjpeg once.
# Prints the cluster table and a one-line result, and leaves no process behind.
set -euo pipefail

cd "$(dirname "$0")/.."
work=.demo
bin=bin/edgecluster
device=demo-cam

need_mosquitto() {
  if command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ]; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "demo: installing mosquitto with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto >/dev/null
    return
  fi
  echo "demo: mosquitto is missing; install it with: sudo apt-get install -y mosquitto" >&2
  exit 1
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "demo: no free loopback port found" >&2
  exit 1
}

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

wait_for() { # file, what
  for _ in $(seq 1 100); do
    [ -s "$1" ] && return
    sleep 0.1
  done
  echo "demo: $2 did not start; see $work/*.log" >&2
  exit 1
}

need_mosquitto
mosquitto_bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)
rm -rf "$work" && mkdir -p "$work"

port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" \
  >"$work/mosquitto.conf"
"$mosquitto_bin" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)
broker="tcp://127.0.0.1:$port"

"$bin" hub --broker "$broker" --listen 127.0.0.1:0 --addr-file "$work/hub.addr" \
  --state "$work/hub.db" 2>"$work/hub.log" &
pids+=($!)
wait_for "$work/hub.addr" "the hub"
hub="http://$(cat "$work/hub.addr")"

echo "demo: broker $broker, hub $hub; embedding $(($(grep -c . demo/scenes.manifest.csv) - 1)) frames"
"$bin" run --source demo/scenes.mjpeg --broker "$broker" --state "$work/device.db" --http off \
  --device-id "$device" --once --assignments "$work/assignments.csv" 2>"$work/device.log"

"$bin" report --manifest demo/scenes.manifest.csv --assignments "$work/assignments.csv" \
  --state "$work/device.db" \
  --hub "$hub" --device-id "$device" --label demo
