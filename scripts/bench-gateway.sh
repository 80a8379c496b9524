#!/usr/bin/env bash
# Gateway benchmarks, side by side in one run on loopback (docs/benchmarks.md):
#   throughput   small non-streaming /api/generate: direct to a node, through nginx, through the gateway
#   latency      p50/p99 at half of the gateway's maximum rate, --rounds rounds: direct, nginx, gateway, one after
#                another (hey, then the open loop), then each proxy side by side with direct in one open-loop run
#   memory       gateway RSS idle and with 1,000 concurrent open streams
#   streaming    inter-token gaps a client sees: direct vs gateway
#   routing      three nodes of different speeds at ~80% of capacity: TTFT goodput, model-aware vs round-robin
#   monitoring   the cost of --enable-performance-monitoring: the same gateway without and with it
#   dashboards   the cost of 10 open /dashboard pages (their event streams) on a gateway with monitoring and
#                the shipped alert rules, sampling every second
#   keys         the cost of API keys and per-key limits: the same gateway without keys and with a key file
#                (an inference key with requests/tokens per minute limits far above the load), wrk sending the key
#   profiling    the cost of heap sampling (on by default) and of --continuous-profiling: the same gateway with
#                --heap-profile-rate 0, with the default rate, and with both, in 60 s rounds (one continuous window each)
#   sustained    the seed's target: 1,000 requests/s for --sustain seconds through the gateway
# --variants adds two paths to throughput and latency: nginx with two worker processes
# (nginx-2w) and the gateway with one event-loop thread (gateway-1t), against the same node.
# Every load is bounded by a duration. Usage:
#   scripts/bench-gateway.sh [--duration 10] [--sustain 300] [--rounds 3] [--variants] [--only NAME[,NAME...]]
set -euo pipefail
cd "$(dirname "$0")/.."

duration=10
sustain=300
rounds=3
only=""
variants=0
while [ $# -gt 0 ]; do
    case "$1" in
        --duration | --sustain | --only | --rounds)
            [ $# -ge 2 ] || { echo "bench-gateway.sh: $1 needs a value" >&2; exit 2; } ;;
    esac
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --sustain) sustain="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --variants) variants=1; shift ;;
        *) echo "bench-gateway.sh: unknown argument '$1' (use --duration, --sustain, --rounds, --variants, --only)" >&2; exit 2 ;;
    esac
done
for pair in "duration:$duration" "sustain:$sustain" "rounds:$rounds"; do
    [[ "${pair#*:}" =~ ^[1-9][0-9]*$ ]] || { echo "bench-gateway.sh: --${pair%%:*} '${pair#*:}' is not a whole number > 0" >&2; exit 2; }
done
for tool in wrk hey nginx curl python3; do
    command -v "$tool" >/dev/null || { echo "bench-gateway.sh: $tool is missing: apt-get install -y wrk hey nginx curl" >&2; exit 2; }
done
# OLLAMAMAX_SCRATCH_PATH: a separate build folder (e.g. .build-release), so a release build
# can run while a debug build holds .build's lock.
scratch="${OLLAMAMAX_SCRATCH_PATH:-.build}"
swift build -c release --scratch-path "$scratch" --product ollama-distributed >/dev/null
bin="$scratch/release/ollama-distributed"
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pidfile in "$work"/nginx*.pid; do [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

wait_for() { # url
    for _ in $(seq 1 200); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done
    echo "bench-gateway.sh: nothing answers at $1" >&2; exit 1
}
start_sim() { # port config [extra...]
    local port=$1 config=$2; shift 2
    "$bin" node-sim --config "$config" --port "$port" "$@" >"$work/sim-$port.log" 2>&1 &
    pids+=($!)
    wait_for "http://127.0.0.1:$port/api/version"
}
start_gateway() { # port [args...]
    local port=$1; shift
    "$bin" start --listen "127.0.0.1:$port" "$@" >"$work/gw-$port.log" 2>&1 &
    gw_pid=$!
    pids+=($gw_pid)
    wait_for "http://127.0.0.1:$port/api/version"
}
# CPU time the hypervisor gave to other guests (steal), from /proc/stat: "total steal" ticks.
cpu_ticks() { awk '$1 == "cpu" {t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $9}' /proc/stat; }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
want() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }  # --only takes one name or several, comma-separated
body='{"model":"fast","prompt":"Why is the sky blue?","stream":false}'
stream_body='{"model":"fast","prompt":"Why is the sky blue?","options":{"num_predict":200}}'
echo "# gateway benchmarks, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), wrk/hey 64 connections, ${duration}s per run"

start_nginx() { # name workers port: nginx in front of the node on 18501
    cat >"$work/$1.conf" <<NGINX
worker_processes $2;
pid $work/$1.pid;
error_log $work/$1-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
    upstream node { least_conn; server 127.0.0.1:18501; keepalive 128; }
    server {
        listen 127.0.0.1:$3;
        location / { proxy_pass http://node; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
    }
}
NGINX
    nginx -c "$work/$1.conf"
}
# The paths throughput and latency compare, name:port.
paths="direct:18501 nginx:18502 gateway:18503"
[ "$variants" = 1 ] && paths="direct:18501 nginx:18502 nginx-2w:18507 gateway:18503 gateway-1t:18508"
if want throughput || want latency || want memory || want monitoring || want dashboards || want keys || want profiling; then
    start_sim 18501 scripts/bench/node-sim-fast.yaml
    start_nginx nginx 1 18502
    direct_proxy="--node http://127.0.0.1:18501 --max-in-flight 4096 --num-parallel 4096 --queue-size 8192"
    if [ "$variants" = 1 ]; then
        start_nginx nginx-2w 2 18507
        start_gateway 18508 --threads 1 $direct_proxy
    fi
    start_gateway 18503 $direct_proxy
    gw_main=$gw_pid
    idle_rss=$(rss_mib "$gw_pid")
    curl -sf http://127.0.0.1:18503/api/generate -d "$body" >/dev/null
fi

if want throughput; then
    echo "## throughput: POST /api/generate stream:false (4 tokens), wrk -t2 -c64"
    for target in $paths; do
        name=${target%%:*}; port=${target##*:}
        out=$(wrk -t 2 -c 64 -d "${duration}s" --latency -s scripts/bench/generate.lua "http://127.0.0.1:$port/api/generate")
        rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
        p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
        p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
        errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
        echo "$name rps=$rps p50=$p50 p99=$p99 ${errors:-errors=0}"
        echo "$name $rps" >>"$work/throughput"
    done
fi

if want latency; then
    # Two clients, each in --rounds rounds (one stall of the shared machine moves a single run's
    # p99 by milliseconds, so the medians over rounds are what to compare):
    #   hey       32 rate-limited workers at half the gateway's wrk maximum. Closed per worker: a
    #             worker waits out a stall instead of sending into it, so stalls are partly hidden.
    #   open loop ollama-distributed load --rate: requests leave at planned times and latency
    #             counts from the plan, so a stall shows in full. This client costs more CPU per
    #             request than wrk, so its rate is half of what it drives through the gateway
    #             itself (closed loop, 64 connections); at half the wrk maximum the shared cores
    #             would be saturated. The three paths take turns, at that rate each. (Running
    #             them at once, a third each, so that every stall falls on all three alike,
    #             saturated the cores in two of three rounds: three clients at once cost too much.)
    gateway_max=$(awk '$1 == "gateway" {print $2}' "$work/throughput" 2>/dev/null || true)
    gateway_max=${gateway_max:-4000}
    half=$(python3 -c "print(max(1, int(float('$gateway_max') / 2 / 32)))")
    echo "## latency at half the gateway's maximum: hey -c 32 -q $half per worker ($((half * 32)) requests/s), ${duration}s runs, $rounds rounds"
    for round in $(seq 1 "$rounds"); do
        for target in $paths; do
            name=${target%%:*}; port=${target##*:}
            before=$(cpu_ticks)
            hey -z "${duration}s" -c 32 -q "$half" -m POST -T application/json -d "$body" -o csv \
                "http://127.0.0.1:$port/api/generate" >"$work/hey-$name-$round.csv"
            echo "$before $(cpu_ticks)" >"$work/steal-hey-$name-$round"
        done
    done
    path_names=$(for target in $paths; do printf '%s,' "${target%%:*}"; done)
    python3 scripts/bench/latency_rounds.py "$work" "$rounds" hey "${path_names%,}"
    latency_run() { # mode name port round load-arguments...
        local mode=$1 name=$2 port=$3 round=$4; shift 4
        "$bin" load run --url "http://127.0.0.1:$port" --model fast --no-stream --duration "${duration}s" \
            --prompt-tokens 8 --output-tokens 4 --warmup 100 --output "$work/lat-$mode-$name-$round.json" "$@" >/dev/null 2>&1
    }
    latency_run max gateway 18503 1 --concurrency 64
    load_max=$(python3 -c "
import json
metrics = {m['name']: m for m in json.load(open('$work/lat-max-gateway-1.json'))['benchmarks'][0]['metrics']}
print(int(metrics['throughput']['samples'][0]))")
    rate=$((load_max / 2 > 3 ? load_max / 2 : 3))
    echo "## latency, open loop: ollama-distributed load drives $load_max requests/s through the gateway (closed loop, 64 connections); half: $rate requests/s"
    for round in $(seq 1 "$rounds"); do
        for target in $paths; do
            name=${target%%:*}; port=${target##*:}
            before=$(cpu_ticks)
            latency_run turns "$name" "$port" "$round" --rate "$rate"
            echo "$before $(cpu_ticks)" >"$work/steal-turns-$name-$round"
        done
    done
    python3 scripts/bench/latency_rounds.py "$work" "$rounds" turns "${path_names%,}"
    # Side by side: the direct path and one proxy in the same run of one load process, their
    # sends interleaved, so each stall of the machine falls on both alike (in turns, each path
    # meets its own stalls); what the proxy adds is paired within the run. The machine carries
    # the rate of one path in turns above, half to each path.
    share=$((rate / 2 > 1 ? rate / 2 : 1))
    first=${paths%% *}
    direct_url="http://127.0.0.1:${first##*:}"
    echo "## latency, side by side: direct and each proxy in one run of ollama-distributed load, sends interleaved, $share requests/s each"
    for round in $(seq 1 "$rounds"); do
        for target in ${paths#* }; do
            name=${target%%:*}; port=${target##*:}
            before=$(cpu_ticks)
            "$bin" load run --url "$direct_url" --url "http://127.0.0.1:$port" --model fast --no-stream --duration "${duration}s" \
                --prompt-tokens 8 --output-tokens 4 --warmup 100 --rate "$share" --output "$work/lat-pairs-$name-$round.json" >/dev/null 2>&1
            echo "$before $(cpu_ticks)" >"$work/steal-pairs-$name-$round"
        done
    done
    python3 scripts/bench/latency_rounds.py "$work" "$rounds" pairs "$(echo $paths | tr ' ' ',')"
fi

if want memory; then
    echo "## memory: gateway RSS"
    echo "idle (fresh start) rss_mib=$idle_rss; after the runs above rss_mib=$(rss_mib "$gw_pid")"
    peak=0
    # 1,000 streams held open by a slow node: 400 tokens at 20 tokens/s, about 20 s each.
    start_sim 18504 scripts/bench/gateway-nodes.yaml --num-parallel 1000 --decode-rate 20
    start_gateway 18505 --node http://127.0.0.1:18504 --max-in-flight 1000 --num-parallel 1000 --queue-size 2000
    curl -sf http://127.0.0.1:18505/api/generate -d '{"model":"llama3.2","prompt":"warm","stream":false,"options":{"num_predict":1}}' >/dev/null
    echo "idle-after-warmup rss_mib=$(rss_mib "$gw_pid")"
    hey -n 1000 -c 1000 -m POST -T application/json \
        -d '{"model":"llama3.2","prompt":"x","options":{"num_predict":400}}' -t 90 \
        "http://127.0.0.1:18505/api/generate" >"$work/streams.txt" 2>&1 &
    hey_pid=$!
    while kill -0 "$hey_pid" 2>/dev/null; do
        now=$(rss_mib "$gw_pid"); peak=$(python3 -c "print(max($peak, $now))")
        open=$(curl -sf http://127.0.0.1:18505/ollamamax/nodes | python3 -c 'import json,sys; print(json.load(sys.stdin)["nodes"][0]["node"]["inFlight"])' 2>/dev/null || echo "?")
        echo "$now $open" >>"$work/mem-samples"
        sleep 0.5
    done
    max_open=$(awk '$2 != "?" && $2 > m {m = $2} END {print m + 0}' "$work/mem-samples")
    echo "1000-streams peak_rss_mib=$peak max_in_flight_seen=$max_open $(grep -E '\[200\]' "$work/streams.txt" | xargs)"
    # The streams' gateway goes; the first one (idle meanwhile) serves the runs below.
    kill "$gw_pid"; wait "$gw_pid" 2>/dev/null || true
    gw_pid=$gw_main
fi

if want monitoring; then
    echo "## monitoring overhead: gateway without vs with --enable-performance-monitoring, wrk -t2 -c64, alternating, 3 rounds"
    echo "## (throughput, and the gateway's own CPU time per request from /proc/PID/stat, which shared cores disturb less)"
    gw_plain=$gw_pid
    start_gateway 18506 --node http://127.0.0.1:18501 --max-in-flight 4096 --num-parallel 4096 --queue-size 8192 \
        --enable-performance-monitoring
    gw_on=$gw_pid
    curl -sf http://127.0.0.1:18506/api/generate -d "$body" >/dev/null
    ticks=$(getconf CLK_TCK)
    cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
    for script in generate.lua generate-stream.lua; do
        for round in 1 2 3; do
            for target in off:18503:$gw_plain on:18506:$gw_on; do
                IFS=: read -r mode port pid <<<"$target"
                before=$(cpu_ticks "$pid")
                out=$(wrk -t 2 -c 64 -d "${duration}s" -s "scripts/bench/$script" "http://127.0.0.1:$port/api/generate")
                after=$(cpu_ticks "$pid")
                rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
                requests=$(echo "$out" | awk '/requests in/ {print $1}')
                cpu_us=$(python3 -c "print(f'{($after - $before) / $ticks * 1e6 / $requests:.1f}')")
                echo "$script round=$round monitoring=$mode rps=$rps cpu_us_per_request=$cpu_us"
                echo "$script $mode $rps $cpu_us" >>"$work/monitoring"
            done
        done
    done
    python3 - "$work/monitoring" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    script, mode, rps, cpu = line.split()
    runs.setdefault((script, mode), []).append((float(rps), float(cpu)))
for script in sorted({s for s, _ in runs}):
    off_rps = statistics.median(r for r, _ in runs[(script, "off")])
    on_rps = statistics.median(r for r, _ in runs[(script, "on")])
    off_cpu = statistics.median(c for _, c in runs[(script, "off")])
    on_cpu = statistics.median(c for _, c in runs[(script, "on")])
    print(f"{script} rps median_off={off_rps:.0f} median_on={on_rps:.0f} ratio_on_off={on_rps / off_rps:.3f}; "
          f"cpu_us_per_request median_off={off_cpu:.1f} median_on={on_cpu:.1f} ratio_on_off={on_cpu / off_cpu:.3f}")
PY
    kill "$gw_on"; wait "$gw_on" 2>/dev/null || true
    gw_pid=$gw_plain
fi

if want dashboards; then
    echo "## dashboards: one gateway (monitoring on, the shipped alert rules, a sample every second: five times the default) without and with 10 open dashboard event streams, wrk -t2 -c64, alternating, 3 rounds"
    echo "## (throughput, and the gateway's own CPU time per request from /proc/PID/stat)"
    cat >"$work/dashboards.yaml" <<YAML
monitoring:
  enabled: true
  sample_interval: 1s
alerting:
  rule_files: [$PWD/monitoring/templates/rules/ollamamax-alerts.yml]
YAML
    start_gateway 18560 --config "$work/dashboards.yaml" --node http://127.0.0.1:18501 --max-in-flight 4096 --num-parallel 4096 --queue-size 8192
    gw_dash=$gw_pid
    curl -sf http://127.0.0.1:18560/api/generate -d "$body" >/dev/null
    ticks=$(getconf CLK_TCK)
    gw_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
    for round in 1 2 3; do
        for mode in off on; do
            pages=()
            if [ "$mode" = on ]; then
                for _ in $(seq 1 10); do
                    curl -sN --max-time $((duration + 10)) http://127.0.0.1:18560/dashboard/events >/dev/null 2>&1 &
                    pages+=($!)
                done
                sleep 2  # the pages connect and get their first window before the load starts
            fi
            before=$(gw_ticks "$gw_dash")
            out=$(wrk -t 2 -c 64 -d "${duration}s" -s scripts/bench/generate.lua "http://127.0.0.1:18560/api/generate")
            after=$(gw_ticks "$gw_dash")
            if [ ${#pages[@]} -gt 0 ]; then  # a bare `wait` would wait for the node and the gateways too
                kill "${pages[@]}" 2>/dev/null || true
                wait "${pages[@]}" 2>/dev/null || true
            fi
            rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
            requests=$(echo "$out" | awk '/requests in/ {print $1}')
            cpu_us=$(python3 -c "print(f'{($after - $before) / $ticks * 1e6 / $requests:.1f}')")
            echo "round=$round dashboards=$mode rps=$rps cpu_us_per_request=$cpu_us"
            echo "$mode $rps $cpu_us" >>"$work/dashboards"
        done
    done
    python3 - "$work/dashboards" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    mode, rps, cpu = line.split()
    runs.setdefault(mode, []).append((float(rps), float(cpu)))
off_rps = statistics.median(r for r, _ in runs["off"])
on_rps = statistics.median(r for r, _ in runs["on"])
off_cpu = statistics.median(c for _, c in runs["off"])
on_cpu = statistics.median(c for _, c in runs["on"])
print(f"dashboards rps median_off={off_rps:.0f} median_on={on_rps:.0f} ratio_on_off={on_rps / off_rps:.3f}; "
      f"cpu_us_per_request median_off={off_cpu:.1f} median_on={on_cpu:.1f} ratio_on_off={on_cpu / off_cpu:.3f}")
PY
    kill "$gw_dash"; wait "$gw_dash" 2>/dev/null || true
fi

if want keys; then
    echo "## keys: gateway without keys vs with an API key file (Bearer key checked and per-key rpm/tpm limits on every request), wrk -t2 -c64, alternating, 3 rounds"
    key="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    digest=$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)
    cat >"$work/keys.yaml" <<KEYS
keys:
  - name: bench
    sha256: $digest
    role: inference
    limits: { requests_per_minute: 100000000, tokens_per_minute: 1000000000 }
KEYS
    chmod 600 "$work/keys.yaml"
    for script in generate generate-stream; do
        sed "/^wrk.method/a wrk.headers[\"Authorization\"] = \"Bearer $key\"" "scripts/bench/$script.lua" >"$work/$script-key.lua"
    done
    gw_plain=$gw_pid
    "$bin" start --listen 127.0.0.1:18509 --api-keys "$work/keys.yaml" --node http://127.0.0.1:18501 \
        --max-in-flight 4096 --num-parallel 4096 --queue-size 8192 >"$work/gw-18509.log" 2>&1 &
    gw_keys=$!
    pids+=($gw_keys)
    wait_for "http://127.0.0.1:18509/"
    curl -sf -H "Authorization: Bearer $key" http://127.0.0.1:18509/api/generate -d "$body" >/dev/null
    for script in generate generate-stream; do
        for round in 1 2 3; do
            for target in off:18503:scripts/bench/$script.lua on:18509:$work/$script-key.lua; do
                IFS=: read -r mode port lua <<<"$target"
                out=$(wrk -t 2 -c 64 -d "${duration}s" -s "$lua" "http://127.0.0.1:$port/api/generate")
                rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
                errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
                echo "$script round=$round keys=$mode rps=$rps ${errors:-errors=0}"
                echo "$script $mode $rps" >>"$work/keys"
            done
        done
    done
    python3 - "$work/keys" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    script, mode, rps = line.split()
    runs.setdefault((script, mode), []).append(float(rps))
for script in sorted({s for s, _ in runs}):
    off = statistics.median(runs[(script, "off")])
    on = statistics.median(runs[(script, "on")])
    print(f"{script} rps median_off={off:.0f} median_on={on:.0f} ratio_on_off={on / off:.3f} loss={(1 - on / off) * 100:.1f}%")
PY
    kill "$gw_keys"; wait "$gw_keys" 2>/dev/null || true
    gw_pid=$gw_plain
fi

if want profiling; then
    echo "## profiling overhead: --heap-profile-rate 0 vs the default heap sampling vs heap sampling and --continuous-profiling,"
    echo "## wrk -t2 -c64 for 60 s per round (a continuous-profiling window is 10 s of every 60 s), alternating, 3 rounds"
    gw_plain=$gw_pid
    proxy="--node http://127.0.0.1:18501 --max-in-flight 4096 --num-parallel 4096 --queue-size 8192"
    start_gateway 18550 $proxy --heap-profile-rate 0
    gw_none=$gw_pid
    start_gateway 18551 $proxy
    gw_heap=$gw_pid
    start_gateway 18552 $proxy --continuous-profiling
    gw_both=$gw_pid
    for port in 18550 18551 18552; do curl -sf "http://127.0.0.1:$port/api/generate" -d "$body" >/dev/null; done
    ticks=$(getconf CLK_TCK)
    cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
    for round in $(seq 1 "$rounds"); do
        for target in none:18550:$gw_none heap:18551:$gw_heap heap+continuous:18552:$gw_both; do
            IFS=: read -r mode port pid <<<"$target"
            before=$(cpu_ticks "$pid")
            out=$(wrk -t 2 -c 64 -d 60s -s scripts/bench/generate.lua "http://127.0.0.1:$port/api/generate")
            after=$(cpu_ticks "$pid")
            rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
            requests=$(echo "$out" | awk '/requests in/ {print $1}')
            errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
            cpu_us=$(python3 -c "print(f'{($after - $before) / $ticks * 1e6 / $requests:.1f}')")
            echo "round=$round profiling=$mode rps=$rps cpu_us_per_request=$cpu_us ${errors:-errors=0}"
            echo "$mode $rps $cpu_us" >>"$work/profiling"
        done
    done
    python3 - "$work/profiling" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    mode, rps, cpu = line.split()
    runs.setdefault(mode, []).append((float(rps), float(cpu)))
base_rps = statistics.median(r for r, _ in runs["none"])
base_cpu = statistics.median(c for _, c in runs["none"])
for mode in ("none", "heap", "heap+continuous"):
    rps = statistics.median(r for r, _ in runs[mode])
    cpu = statistics.median(c for _, c in runs[mode])
    print(f"{mode} rps median={rps:.0f} ratio={rps / base_rps:.3f} loss={(1 - rps / base_rps) * 100:.1f}%; "
          f"cpu_us_per_request median={cpu:.1f} ratio={cpu / base_cpu:.3f}")
PY
    kill "$gw_none" "$gw_heap" "$gw_both"; wait "$gw_none" "$gw_heap" "$gw_both" 2>/dev/null || true
    gw_pid=$gw_plain
fi

if want streaming; then
    echo "## streaming: inter-token gaps seen by a client, 10 streams x 200 tokens at 200 tokens/s, one at a time, per API (/api/generate, /v1/messages, /v1/responses)"
    start_sim 18540 scripts/bench/gateway-nodes.yaml --decode-rate 200 --jitter 0
    start_gateway 18541 --node http://127.0.0.1:18540
    curl -sf http://127.0.0.1:18541/api/generate -d '{"model":"llama3.2","prompt":"warm","stream":false,"options":{"num_predict":1}}' >/dev/null
    for api in ollama anthropic responses; do
        for target in direct:18540 gateway:18541; do
            echo "$api ${target%%:*} $(python3 scripts/bench/stream_gaps.py "http://127.0.0.1:${target##*:}" 10 200 "$api")"
        done
    done
    kill "$gw_pid"; wait "$gw_pid" 2>/dev/null || true
fi

if want routing; then
    echo "## routing quality: 3 nodes (80, 53, 40 tokens/s; 4 slots each), 32-token streams, TTFT SLO 1s"
    start_sim 18510 scripts/bench/gateway-nodes.yaml --count 3 --speed-spread 0.5
    # Capacity: node i serves 4 requests per (32 / (80 / (1 + 0.5 i))) s.
    capacity=$(python3 -c "print(sum(4 / (32 / (80 / (1 + 0.5 * i))) for i in range(3)))")
    rate=$(python3 -c "print(int(0.8 * $capacity))")
    echo "capacity=${capacity} req/s, offered=${rate} req/s (hey -c $rate -q 1)"
    port=18520  # one port per strategy, clear of every other port this script uses
    for strategy in round-robin model-aware least-outstanding; do
        port=$((port + 1))
        start_gateway "$port" --node http://127.0.0.1:18510 --node http://127.0.0.1:18511 --node http://127.0.0.1:18512 \
            --strategy "$strategy" --num-parallel 4 --max-in-flight 64
        for p in 18510 18511 18512; do
            curl -sf "http://127.0.0.1:$p/api/generate" -d '{"model":"llama3.2","prompt":"warm","stream":false,"options":{"num_predict":1}}' >/dev/null
        done
        hey -z "$((duration * 3))s" -c "$rate" -q 1 -m POST -T application/json \
            -d '{"model":"llama3.2","prompt":"Why is the sky blue?"}' -o csv \
            "http://127.0.0.1:$port/api/generate" >"$work/route-$strategy.csv"
        python3 - "$work/route-$strategy.csv" "$strategy" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
ttft = sorted(float(r["Response-delay"]) for r in rows if r["status-code"] == "200")
good = sum(1 for t in ttft if t < 1.0)
q = lambda p: ttft[min(len(ttft) - 1, int(p * len(ttft)))] if ttft else float("nan")
print(f"{sys.argv[2]} requests={len(rows)} ok={len(ttft)} goodput={good / max(1, len(rows)):.3f} ttft_p50={q(0.5)*1000:.0f}ms ttft_p95={q(0.95)*1000:.0f}ms")
PY
        kill "$gw_pid"; wait "$gw_pid" 2>/dev/null || true
    done
fi

if want sustained; then
    echo "## sustained: 1,000 req/s for ${sustain}s through the gateway over 3 nodes (hey -c 100 -q 10)"
    for p in 18530 18531 18532; do start_sim "$p" scripts/bench/node-sim-fast.yaml; done
    start_gateway 18533 --node http://127.0.0.1:18530 --node http://127.0.0.1:18531 --node http://127.0.0.1:18532 \
        --max-in-flight 1024 --num-parallel 1024
    hey -z "${sustain}s" -c 100 -q 10 -m POST -T application/json -d "$body" -o csv \
        "http://127.0.0.1:18533/api/generate" >"$work/sustained.csv"
    python3 - "$work/sustained.csv" "$sustain" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
lat = sorted(float(r["response-time"]) for r in rows)
errors = sum(1 for r in rows if r["status-code"] != "200")
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
print(f"requests={len(rows)} rate={len(rows)/float(sys.argv[2]):.1f}/s p50={q(0.5)*1000:.2f}ms p95={q(0.95)*1000:.2f}ms p99={q(0.99)*1000:.2f}ms errors={errors} ({errors/len(rows):.4%})")
PY
fi
