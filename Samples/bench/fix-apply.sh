#!/usr/bin/env bash
# Benchmark: `winaudit fix --apply --yes` on a WinLab fleet of N hosts cloned from a drifting host, before and after
# the framed session (one powershell.exe per host for audit, pre-read, apply and verify), side by side in one run.
#
#   Samples/bench/fix-apply.sh [HOSTS=50] [ROUNDS=3]
#
# "before" is the hidden `--one-process-per-script` switch, which runs each script in a powershell.exe of its own as
# winaudit did before (four per host); "after" is the default. Rounds interleave the two; after each measured apply an
# unmeasured rollback brings the drift back. Prints wall time, client CPU (user+sys) and powershell.exe starts per
# host for each run, the end summary line (every host must have converged), and the median wall-time ratio. The lab's
# powershell.exe start-up time is the published cold-start figure of Windows PowerShell 5.1 (250 ms) unless
# BENCH_STARTUP_MS says otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
hosts=${1:-50}
rounds=${2:-3}
from=${BENCH_FROM:-Samples/lab/hosts/nla-off.json}
prefix=${BENCH_ADDRESS_PREFIX:-127.0.99}
port=${BENCH_PORT:-2422}
startup=${BENCH_STARTUP_MS:-250}
work=$(mktemp -d /tmp/winaudit-fixbench.XXXXXX)

# BENCH_CONFIGURATION=debug measures a debug build; BENCH_BIN=DIR uses the winaudit and winlab already built there.
configuration=${BENCH_CONFIGURATION:-release}
if [ -n "${BENCH_BIN:-}" ]; then
  bin=$BENCH_BIN
else
  swift build -c "$configuration" >/dev/null
  bin=$(swift build -c "$configuration" --show-bin-path)
fi
# BENCH_WINLAB=PATH runs the lab with another winlab binary (the far side; both variants share it).
winlab=${BENCH_WINLAB:-$bin/winlab}
"$winlab" fleet --count "$hosts" --from "$from" --out "$work/fleet.yml" >/dev/null
"$winlab" up --fleet "$work/fleet.yml" --dir "$work/lab" --address-prefix "$prefix" --port "$port" \
  --startup-milliseconds "$startup" >/dev/null
trap '"$winlab" down --dir "$work/lab" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

starts() { cat "$work"/lab/hosts/*/process-count 2>/dev/null | wc -l || true; }

# One measured apply: prints "wall cpu starts-per-host summary" and leaves the run id in $work/run.
apply() { # extra flags...
  local before after summary
  before=$(starts)
  /usr/bin/time -o "$work/time" -f '%e %U %S' "$bin/winaudit" fix --inventory "$work/lab/inventory.yml" \
    --journal "$work/journal" --no-agent --apply --yes --concurrency "$hosts" "$@" >"$work/out" 2>"$work/err" || true
  after=$(starts)
  summary=$(grep -o 'summary ([^)]*)' "$work/out" | tail -1 || true)
  sed -n 's/^winaudit fix: run \([^ ]*\).*/\1/p' "$work/out" | head -1 >"$work/run"
  awk -v s="$((after - before))" -v n="$hosts" -v sum="$summary" \
    '{ printf "%.2f %.2f %.2f %s\n", $1, $2 + $3, s / n, sum }' <"$work/time"
}

# Rolls the last measured run back (not measured), so the next apply finds the drift again.
restore() {
  local run
  run=$(cat "$work/run")
  if [ -n "$run" ]; then
    "$bin/winaudit" rollback "$run" --journal "$work/journal" --no-agent --yes \
      --known-hosts "$work/lab/known_hosts" --concurrency "$hosts" >/dev/null 2>&1 || true
  fi
}

printf '%-6s %-30s %8s %8s %12s  %s\n' round variant wall_s cpu_s ps_per_host summary
ratios=()
for round in $(seq 1 "$rounds"); do
  apply --one-process-per-script >"$work/line"
  read -r bw bc bs bsum <"$work/line"
  restore
  printf '%-6s %-30s %8.2f %8.2f %12.2f  %s\n' "$round" "before (one per script)" "$bw" "$bc" "$bs" "$bsum"
  apply >"$work/line"
  read -r aw ac as asum <"$work/line"
  restore
  printf '%-6s %-30s %8.2f %8.2f %12.2f  %s\n' "$round" "after (one per host)" "$aw" "$ac" "$as" "$asum"
  ratios+=("$(awk -v a="$aw" -v b="$bw" 'BEGIN{print a/b}')")
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
printf 'median wall-time ratio after/before: %.3f (%s hosts from %s, powershell.exe start-up %s ms, %s build)\n' \
  "$median" "$hosts" "$(basename "$from")" "$startup" "$configuration"
