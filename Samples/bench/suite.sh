#!/usr/bin/env bash
# The benchmark suite: winaudit next to the other shapes of the same work, measured side by side in one run
# (interleaved rounds, medians), then how winaudit scales with the fleet. Not a test: figures, not pass/fail.
#
#   Samples/bench/suite.sh                       # 50 hosts x 3 rounds, scaling 10 100 300 1000
#   BENCH_HOSTS=20 BENCH_ROUNDS=3 BENCH_SCALE="10 100" Samples/bench/suite.sh
#   BENCH_ANSIBLE=0 Samples/bench/suite.sh       # skip the Ansible rows (they install ansible-core from PyPI)
#   BENCH_HOSTS=0 BENCH_SCALE= BENCH_CONCURRENCY="8 16 32 64 128" Samples/bench/suite.sh   # only the sweep
#
# An empty BENCH_SCALE or BENCH_CONCURRENCY skips that part; BENCH_HOSTS=0 skips the side-by-side rows.
# BENCH_CONCURRENCY (default: none) audits BENCH_CONCURRENCY_HOSTS (300) hosts at each --concurrency given: the
# measurement behind winaudit's default (DefaultConcurrency: 16 per core, 16 to 128).
#
# Side by side, on BENCH_HOSTS healthy lab hosts, every client with the same parallelism (winaudit's default
# concurrency) and the same key exchange (curve25519-sha256: what libssh 0.10 negotiates; OpenSSH's default
# post-quantum exchange would cost the ssh rows about ten times the client CPU and flatter the ratios):
#   winaudit      winaudit audit: one connection, one powershell.exe, one script per host
#   floor         plain `ssh` per host running the same collector through the same bootstrap (the least any client
#                 can do over SSH)
#   per-check     plain `ssh` + one powershell.exe per control of the baseline (what InSpec's and most hand-written
#                 checks do: one command per check), hosts in parallel, controls one after another
#   ansible-a     ansible-core `ansible -m raw`, the collector once per host
#   ansible-b     ansible-core `ansible-playbook`, one raw task per control
# Every row checks that every host answered with a facts document before its time counts.
set -euo pipefail
cd "$(dirname "$0")/../.."
hosts=${BENCH_HOSTS:-50}
rounds=${BENCH_ROUNDS:-3}
scale=${BENCH_SCALE-10 100 300 1000}
sweep=${BENCH_CONCURRENCY-}
sweep_hosts=${BENCH_CONCURRENCY_HOSTS:-300}
ansible=${BENCH_ANSIBLE:-1}
prefix=${BENCH_ADDRESS_PREFIX:-127.0.200}
port=${BENCH_PORT:-2222}
kex=curve25519-sha256
work=$(mktemp -d /tmp/winaudit-suite.XXXXXX)

swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)
# winaudit's default concurrency (DefaultConcurrency): 16 per core, 16 to 128.
concurrency=$((16 * $(nproc)))
[ "$concurrency" -lt 16 ] && concurrency=16
[ "$concurrency" -gt 128 ] && concurrency=128
user=$(id -un)
lab="$work/lab"
trap '"$bin/winlab" down --dir "$lab" >/dev/null 2>&1 || true; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"' EXIT

measure() { # name command...: runs it, prints "wall cpu rss_kib" (its exit code is not ours)
  local name=$1
  shift
  /usr/bin/time -o "$work/time.$name" -f '%e %U %S %M' "$@" >"$work/out.$name" 2>"$work/err.$name" || true
  awk '{ printf "%.3f %.3f %d\n", $1, $2 + $3, $4 }' <"$work/time.$name"
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else print a[int((NR + 1) / 2)] }'; }

start_lab() { # count
  "$bin/winlab" fleet --count "$1" --from Samples/lab/hosts/healthy-2019.json --out "$work/fleet.yml" >/dev/null
  "$bin/winlab" up --fleet "$work/fleet.yml" --dir "$lab" --address-prefix "$prefix" --port "$port" --no-rdp \
    >/dev/null
  # The lab's inventory lists every address: the other clients read their targets from it.
  awk '/address:/ { print $2 }' "$lab/inventory.yml" >"$work/addresses"
}

check_winaudit() { # how many hosts winaudit audited (a status other than unreachable/error)
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for h in d["hosts"] if h["status"] not in ("unreachable","error")))' "$work/out.winaudit" 2>/dev/null || echo 0
}

if [ "$hosts" -gt 0 ]; then
# ---- side by side ------------------------------------------------------------------------------------------------
start_lab "$hosts"
"$bin/winaudit" script --command-line >"$work/command"
"$bin/winaudit" script --stdin >"$work/payload"
command=$(cat "$work/command")
ssh_options=(-i "$lab/id_ed25519" -o "UserKnownHostsFile=$lab/known_hosts" -o BatchMode=yes -o LogLevel=ERROR
  -o "KexAlgorithms=$kex" -p "$port")

# One payload per control: the collector cut down to that control (and what it requires).
mapfile -t controls < <("$bin/winaudit" playbook controls)
mkdir -p "$work/checks"
for control in "${controls[@]}"; do
  "$bin/winaudit" script --stdin --control "$control" >"$work/checks/$control"
done

cat >"$work/floor.sh" <<EOF
#!/usr/bin/env bash
xargs -P $concurrency -I{} sh -c 'ssh $(printf '%q ' "${ssh_options[@]}") "$user@{}" "\$0" <"$work/payload" >"$work/floor-{}.out"' "$command" <"$work/addresses"
EOF
cat >"$work/percheck-host.sh" <<EOF
#!/usr/bin/env bash
# One host: one ssh and one powershell.exe per control, one after another.
for payload in "$work"/checks/*; do
  ssh $(printf '%q ' "${ssh_options[@]}") "$user@\$1" "$command" <"\$payload" || exit 1
done >"$work/percheck-\$1.out"
EOF
cat >"$work/percheck.sh" <<EOF
#!/usr/bin/env bash
xargs -P $concurrency -I{} "$work/percheck-host.sh" {} <"$work/addresses"
EOF
chmod +x "$work"/*.sh

check_files() { # glob: how many files hold a facts document
  local count=0
  for file in $1; do grep -q '"collector":"winaudit"' "$file" 2>/dev/null && count=$((count + 1)); done
  echo "$count"
}
check_percheck() { # hosts whose every check answered
  local count=0
  for file in "$work"/percheck-*.out; do
    [ "$(grep -c '"collector":"winaudit"' "$file" 2>/dev/null || true)" -eq "${#controls[@]}" ] && count=$((count + 1))
  done
  echo "$count"
}

# ---- Ansible (ansible-core from PyPI in a virtual environment of its own) --------------------------------------
ansible_note=""
if [ "$ansible" = 1 ]; then
  venv=.build/bench-ansible
  if [ ! -x "$venv/bin/ansible" ]; then
    { python3 -m venv "$venv" && "$venv/bin/pip" install -q 'ansible-core>=2.15'; } >"$work/ansible-install" 2>&1 \
      || ansible_note="ansible-core could not be installed: $(tail -1 "$work/ansible-install")"
  fi
fi
if [ "$ansible" = 1 ] && [ -z "$ansible_note" ]; then
  . Samples/bench/ansible.sh
  ansible_setup || true
fi

rows=(floor winaudit per-check)
[ "$ansible" = 1 ] && [ -z "$ansible_note" ] && rows+=(ansible-a ansible-b)
declare -A walls cpus rsss oks
for round in $(seq 1 "$rounds"); do
  for row in "${rows[@]}"; do
    rm -f "$work"/floor-*.out "$work"/percheck-*.out
    case $row in
      floor) read -r w c m < <(measure floor "$work/floor.sh"); ok=$(check_files "$work/floor-*.out") ;;
      winaudit)
        read -r w c m < <(measure winaudit "$bin/winaudit" audit --inventory "$lab/inventory.yml" --format json \
          --no-probe --no-history)
        ok=$(check_winaudit) ;;
      per-check) read -r w c m < <(measure percheck "$work/percheck.sh"); ok=$(check_percheck) ;;
      ansible-a) read -r w c m < <(measure ansible_a timeout 900 "$work/ansible/collector.sh"); ok=$(ansible_check_a || echo 0) ;;
      ansible-b) read -r w c m < <(measure ansible_b timeout 1800 "$work/ansible/per-control.sh"); ok=$(ansible_check_b || echo 0) ;;
    esac
    printf 'round %s %-10s wall %7.2f s  cpu %7.2f s  peak %7.1f MiB  hosts answered %s/%s\n' "$round" "$row" \
      "$w" "$c" "$(awk -v m="$m" 'BEGIN { print m / 1024 }')" "$ok" "$hosts" >&2
    walls[$row]+="$w "
    cpus[$row]+="$c "
    rsss[$row]+="$m "
    oks[$row]+="$ok "
  done
done
"$bin/winlab" down --dir "$lab" >/dev/null

echo
echo "## Side by side: $hosts healthy lab hosts, $rounds interleaved rounds (medians), parallelism $concurrency, kex $kex"
echo
printf '| %-10s | %8s | %14s | %14s | %16s | %15s |\n' client "wall (s)" "client CPU (s)" "peak RSS (MiB)" \
  "hosts answered" "winaudit / this"
printf '|%s|\n' "------------|----------|----------------|----------------|------------------|-----------------"
wa=$(echo "${walls[winaudit]}" | tr ' ' '\n' | grep . | median)
for row in "${rows[@]}"; do
  w=$(echo "${walls[$row]}" | tr ' ' '\n' | grep . | median)
  c=$(echo "${cpus[$row]}" | tr ' ' '\n' | grep . | median)
  m=$(echo "${rsss[$row]}" | tr ' ' '\n' | grep . | median)
  o=$(echo "${oks[$row]}" | tr ' ' '\n' | grep . | sort -n | head -1)
  printf '| %-10s | %8.2f | %14.2f | %14.1f | %16s | %15.3f |\n' "$row" "$w" "$c" \
    "$(awk -v m="$m" 'BEGIN { print m / 1024 }')" "$o/$hosts" "$(awk -v a="$wa" -v b="$w" 'BEGIN { print a / b }')"
done
[ -n "$ansible_note" ] && echo && echo "Ansible rows left out: $ansible_note"
fi

# ---- scaling -----------------------------------------------------------------------------------------------------
if [ -n "${scale// /}" ]; then
  echo
  echo "## Scaling: winaudit audit at the default concurrency ($concurrency), healthy hosts, one run per size"
  echo
  printf '| %6s | %8s | %20s | %14s | %14s |\n' hosts "wall (s)" "client CPU/host (ms)" "peak RSS (MiB)" \
    "hosts audited"
  printf '|%s|\n' "--------|----------|----------------------|----------------|----------------"
  for count in $scale; do
    start_lab "$count"
    read -r w c m < <(measure winaudit "$bin/winaudit" audit --inventory "$lab/inventory.yml" --format json \
      --no-probe --no-history)
    ok=$(check_winaudit)
    printf '| %6s | %8.2f | %20.2f | %14.1f | %14s |\n' "$count" "$w" \
      "$(awk -v c="$c" -v n="$count" 'BEGIN { print c * 1000 / n }')" "$(awk -v m="$m" 'BEGIN { print m / 1024 }')" \
      "$ok/$count"
    "$bin/winlab" down --dir "$lab" >/dev/null
  done
fi

# ---- concurrency -------------------------------------------------------------------------------------------------
if [ -n "${sweep// /}" ]; then
  echo
  echo "## Concurrency: winaudit audit of $sweep_hosts healthy hosts at each --concurrency, $(nproc) cores, one run each"
  echo
  printf '| %11s | %8s | %20s | %14s | %14s |\n' concurrency "wall (s)" "client CPU/host (ms)" "peak RSS (MiB)" \
    "hosts audited"
  printf '|%s|\n' "-------------|----------|----------------------|----------------|----------------"
  start_lab "$sweep_hosts"
  for n in $sweep; do
    read -r w c m < <(measure winaudit "$bin/winaudit" audit --inventory "$lab/inventory.yml" --format json \
      --no-probe --no-history --concurrency "$n")
    ok=$(check_winaudit)
    printf '| %11s | %8.2f | %20.2f | %14.1f | %14s |\n' "$n" "$w" \
      "$(awk -v c="$c" -v n="$sweep_hosts" 'BEGIN { print c * 1000 / n }')" \
      "$(awk -v m="$m" 'BEGIN { print m / 1024 }')" "$ok/$sweep_hosts"
  done
  "$bin/winlab" down --dir "$lab" >/dev/null
fi
