#!/usr/bin/env bash
# Counts the client's instructions for one audit of N healthy lab hosts with valgrind's callgrind (instructions, not
# seconds: the same on a loaded machine), then for one host, and prints the total, the cost per host and where it goes.
#
#   Samples/bench/profile.sh            # 300 hosts
#   PROFILE_HOSTS=100 PROFILE_PROBE=1 Samples/bench/profile.sh   # with the RDP probe (the lab then runs listeners)
#
# Two workarounds for Debian 12's valgrind 3.19, both outside winaudit: the binary is profiled without its debug
# information (valgrind 3.19 cannot read the DWARF 5 Swift emits; symbols stay), and sigsuspend-copy.c is preloaded
# (valgrind 3.19 writes into the mask libdispatch passes to sigsuspend, which is read-only, and crashes).
set -euo pipefail
cd "$(dirname "$0")/../.."
hosts=${PROFILE_HOSTS:-300}
probe=${PROFILE_PROBE:-0}
prefix=${PROFILE_ADDRESS_PREFIX:-127.0.220}
port=${PROFILE_PORT:-2431}
work=$(mktemp -d /tmp/winaudit-profile.XXXXXX)
command -v valgrind >/dev/null || { echo "profile.sh needs valgrind: apt-get install valgrind" >&2; exit 2; }

swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)
trap '"$bin/winlab" down --dir "$work/lab" >/dev/null 2>&1 || true; [ -n "${PROFILE_KEEP:-}" ] || rm -rf "$work"' EXIT
objcopy --strip-debug "$bin/winaudit" "$work/winaudit"
cc -shared -fPIC -O2 -o "$work/sigsuspend-copy.so" Samples/bench/sigsuspend-copy.c

rdp=(--no-rdp)
options=(--no-history --connect-timeout 120 --format json)
if [ "$probe" = 1 ]; then rdp=(); else options+=(--no-probe); fi
"$bin/winlab" fleet --count "$hosts" --from Samples/lab/hosts/healthy-2019.json --out "$work/fleet.yml" >/dev/null
"$bin/winlab" up --fleet "$work/fleet.yml" --dir "$work/lab" --address-prefix "$prefix" --port "$port" \
  "${rdp[@]}" >/dev/null

profile() { # name [audit options...]: total instructions of one audit under callgrind
  local name=$1
  shift
  LD_PRELOAD="$work/sigsuspend-copy.so" valgrind --tool=callgrind --callgrind-out-file="$work/$name.out" \
    "$work/winaudit" audit --inventory "$work/lab/inventory.yml" "${options[@]}" "$@" >"$work/$name.json" \
    2>"$work/$name.err" || true
  sed -n 's/.*I *refs: *//p' "$work/$name.err" | tr -d ,
}
audited() { python3 -c 'import json,sys; print(sum(1 for h in json.load(open(sys.argv[1]))["hosts"] if h["status"] in ("compliant","drift")))' "$1"; }

fleet=$(profile fleet)
one=$(profile one --limit bench-001)
echo "## callgrind: winaudit audit of $hosts healthy lab hosts$([ "$probe" = 1 ] || echo ', --no-probe')"
echo
echo "hosts audited: $(audited "$work/fleet.json")/$hosts"
awk -v f="$fleet" -v o="$one" -v n="$hosts" 'BEGIN {
  printf "instructions: %.2f G for %d hosts, %.0f M for one host (start-up included)\n", f / 1e9, n, o / 1e6
  printf "per host: %.1f M on average, %.1f M for each host after the first\n", f / n / 1e6, (f - o) / (n - 1) / 1e6 }'
echo
echo "By library (self cost):"
callgrind_annotate --inclusive=no --threshold=100 "$work/fleet.out" 2>/dev/null | sed -n '/file:function/,$p' \
  | grep -E '^ *[0-9,]+ ' | awk '{ gsub(",", "", $1); o = $NF; sub(/.*\//, "", o); sub(/\]$/, "", o); s[o] += $1 }
      END { for (o in s) if (o ~ /\.so|^winaudit$/ && s[o] / n >= 5e4) printf "  %8.1f M per host  %s\n", s[o] / n / 1e6, o }' \
      n="$hosts" | sort -rn
echo
echo "Where it goes (inclusive, per host):"
callgrind_annotate --inclusive=yes "$work/fleet.out" 2>/dev/null | swift demangle --simplified >"$work/inclusive.txt"
for name in 'LibSSHSession.connect(socket:)' 'ssh_userauth_publickey' 'ssh_session_is_known_server' \
  'LibSSHSession.run(command:' 'FactsDocument.decode(stdout:)' 'DiffEngine.findings(' 'JSONReport.write' \
  'InventoryLoader.load('; do
  line=$(grep -F "$name" "$work/inclusive.txt" | head -1 || true)
  [ -n "$line" ] || continue
  awk -v n="$hosts" -v name="$name" '{ gsub(",", "", $1); printf "  %8.2f M  %s\n", $1 / n / 1e6, name; exit }' <<<"$line"
done
