#!/usr/bin/env bash
# Benchmark: audit a WinLab fleet of N healthy hosts with winaudit, next to a floor of N plain OpenSSH `ssh` clients
# in parallel, each running the same collector script once through the same bootstrap.
#
#   Samples/bench/fleet-audit.sh [HOSTS=50] [ROUNDS=3]
#
# Prints wall time, client CPU time (user+sys) and peak memory (max RSS) for each round and the median ratio of
# winaudit's wall time to the floor's. Builds in release mode. The lab's powershell.exe start-up time is the published
# cold-start figure (250 ms), so both sides pay the same per-host cost.
set -euo pipefail
cd "$(dirname "$0")/../.."
hosts=${1:-50}
rounds=${2:-3}
work=$(mktemp -d /tmp/winaudit-bench.XXXXXX)
prefix=${BENCH_ADDRESS_PREFIX:-127.0.40}
port=${BENCH_PORT:-2222}

swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)
"$bin/winlab" fleet --count "$hosts" --from Samples/lab/hosts/healthy-2019.json --out "$work/fleet.yml" >/dev/null
"$bin/winlab" up --fleet "$work/fleet.yml" --dir "$work/lab" --address-prefix "$prefix" --port "$port" >/dev/null
trap '"$bin/winlab" down --dir "$work/lab" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# The floor runs exactly what winaudit sends: the encoded bootstrap command line and the script as stdin.
command=$("$bin/winaudit" script --command-line)
"$bin/winaudit" script --stdin >"$work/payload"
user=$(id -un)

cat >"$work/floor.sh" <<EOF
#!/usr/bin/env bash
for i in \$(seq 1 $hosts); do
  ssh -i "$work/lab/id_ed25519" -o UserKnownHostsFile="$work/lab/known_hosts" -o BatchMode=yes -o LogLevel=ERROR \
    -p $port "$user@$prefix.\$i" "$command" <"$work/payload" >"$work/floor-\$i.out" &
done
wait
EOF
chmod +x "$work/floor.sh"

measure() { # command...: prints "wall cpu rss" (seconds, seconds, KiB); the command's exit code is not ours
  /usr/bin/time -o "$work/time" -f '%e %U %S %M' "$@" >/dev/null 2>"$work/stderr" || true
  awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' <"$work/time"
}

printf '%-6s %-9s %9s %9s %10s\n' round client wall_s cpu_s peak_MiB
ratios=()
for round in $(seq 1 "$rounds"); do
  read -r fw fc fm < <(measure "$work/floor.sh")
  read -r ww wc wm < <(measure "$bin/winaudit" audit --inventory "$work/lab/inventory.yml" --concurrency "$hosts" --format json)
  printf '%-6s %-9s %9.2f %9.2f %10.1f\n' "$round" "ssh x$hosts" "$fw" "$fc" "$(awk -v m="$fm" 'BEGIN{print m/1024}')"
  printf '%-6s %-9s %9.2f %9.2f %10.1f\n' "$round" winaudit "$ww" "$wc" "$(awk -v m="$wm" 'BEGIN{print m/1024}')"
  ratios+=("$(awk -v a="$ww" -v b="$fw" 'BEGIN{print a/b}')")
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
ok=$(cat "$work"/floor-*.out | grep -c '"schema":1' || true)
printf 'floor outputs with a facts document: %s of %s\n' "$ok" "$hosts"
printf 'median wall-time ratio winaudit/floor: %.3f (target <= 1.15)\n' "$median"
