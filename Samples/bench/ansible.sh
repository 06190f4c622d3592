# Sourced by suite.sh: the Ansible rows. ansible-core runs from its own virtual environment (.build/bench-ansible).
#
# Ansible's raw module sends a command and no standard input, while winaudit's bootstrap (like Ansible's own Windows
# module wrapper) reads its script from stdin, and cmd.exe caps a command line at 8191 characters (the collector is
# far longer). So Ansible runs ssh through Samples/bench/ansible-ssh, a shim that only adds the payload as stdin: the
# forks, the per-task work, ssh's connection sharing (ControlPersist) and the output handling are Ansible's own.

ansible_setup() {
  mkdir -p "$work/ansible"
  {
    echo "[lab]"
    while read -r address; do echo "$address"; done <"$work/addresses"
    echo
    echo "[lab:vars]"
    echo "ansible_connection=ssh"
    echo "ansible_user=$user"
    echo "ansible_port=$port"
    echo "ansible_ssh_private_key_file=$lab/id_ed25519"
    echo "ansible_ssh_executable=$PWD/Samples/bench/ansible-ssh"
    echo "ansible_ssh_common_args=-o UserKnownHostsFile=$lab/known_hosts -o KexAlgorithms=$kex -o BatchMode=yes"
    echo "ansible_ssh_use_tty=false"
  } >"$work/ansible/inventory.ini"
  {
    echo "- hosts: lab"
    echo "  gather_facts: false"
    echo "  vars:"
    echo "    winaudit_command: \"$command\""
    echo "  tasks:"
    for control in "${controls[@]}"; do
      echo "    - name: $control"
      echo "      raw: \"{{ winaudit_command }}\""
    done
  } >"$work/ansible/per-control.yml"
  export ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_FORKS="$concurrency" ANSIBLE_STDOUT_CALLBACK=minimal
  export ANSIBLE_LOCAL_TEMP="$work/ansible/tmp" ANSIBLE_SSH_CONTROL_PATH_DIR="$work/ansible/cp"
  export ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_NOCOLOR=1
  export WINAUDIT_BENCH_PAYLOAD="$work/payload" WINAUDIT_BENCH_CHECKS="$work/checks" WINAUDIT_BENCH_STATE="$work/ansible"
  # The rows run as scripts, so /usr/bin/time measures Ansible and everything it starts.
  cat >"$work/ansible/collector.sh" <<SCRIPT
#!/usr/bin/env bash
rm -f "$work"/ansible/count-*
# A connection-sharing folder of its own: each row starts without ssh masters left by another.
export ANSIBLE_SSH_CONTROL_PATH_DIR=\$(mktemp -d "$work/ansible/cp.XXXXXX")
WINAUDIT_BENCH_MODE=collector "$PWD/$venv/bin/ansible" lab -i "$work/ansible/inventory.ini" -m raw -a "\$(cat "$work/command")"
SCRIPT
  cat >"$work/ansible/per-control.sh" <<SCRIPT
#!/usr/bin/env bash
rm -f "$work"/ansible/count-*
export ANSIBLE_SSH_CONTROL_PATH_DIR=\$(mktemp -d "$work/ansible/cp.XXXXXX")
WINAUDIT_BENCH_MODE=checks "$PWD/$venv/bin/ansible-playbook" -i "$work/ansible/inventory.ini" \\
  "$work/ansible/per-control.yml"
SCRIPT
  chmod +x "$work/ansible/collector.sh" "$work/ansible/per-control.sh"
}

# Hosts whose raw output holds a facts document: the minimal callback prints each result as "HOST | CHANGED | rc=0 >>"
# (or "HOST | CHANGED => {json}") followed by its stdout.
ansible_answers() { # output-file wanted-per-host
  python3 - "$1" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
want = int(sys.argv[2])
answered = {}
for block in re.split(r'(?m)^(?=\S+ \| )', text):
    host = block.split(' | ', 1)[0]
    if '"collector":"winaudit"' in block or '\\"collector\\":\\"winaudit\\"' in block:
        answered[host] = answered.get(host, 0) + 1
print(sum(1 for count in answered.values() if count >= want))
PY
}

ansible_check_a() { ansible_answers "$work/out.ansible_a" 1; }
ansible_check_b() { ansible_answers "$work/out.ansible_b" "${#controls[@]}"; }
