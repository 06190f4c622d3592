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
    echo "  tasks:"
    for control in "${controls[@]}"; do
      echo "    - name: $control"
      echo "      raw: \"{{ winaudit_command }}\""
    done
  } >"$work/ansible/per-control.yml"
  export ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_FORKS="$concurrency" ANSIBLE_STDOUT_CALLBACK=json
  export ANSIBLE_LOCAL_TEMP="$work/ansible/tmp" ANSIBLE_SSH_CONTROL_PATH_DIR="$work/ansible/cp"
  export ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_NOCOLOR=1
  export WINAUDIT_BENCH_PAYLOAD="$work/payload" WINAUDIT_BENCH_CHECKS="$work/checks" WINAUDIT_BENCH_STATE="$work/ansible"
}

ansible_collector() {
  rm -f "$work"/ansible/count-*
  WINAUDIT_BENCH_MODE=collector "$venv/bin/ansible" lab -i "$work/ansible/inventory.ini" -m raw -a "$command"
}

ansible_per_control() {
  rm -f "$work"/ansible/count-*
  WINAUDIT_BENCH_MODE=checks "$venv/bin/ansible-playbook" -i "$work/ansible/inventory.ini" \
    -e "winaudit_command=$command" "$work/ansible/per-control.yml"
}

# Hosts whose raw output holds a facts document (the json callback prints every host's stdout).
ansible_check_a() {
  python3 - "$work/out.ansible_a" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
print(len(set(re.findall(r'(\d+\.\d+\.\d+\.\d+) \| CHANGED \| rc=0 >>\n[^|]*?\\?"collector\\?":\\?"winaudit', text))) or
      text.count('"collector":"winaudit"'))
PY
}

ansible_check_b() {
  python3 - "$work/out.ansible_b" "${#controls[@]}" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
want = int(sys.argv[2])
answered = {}
for play in doc.get("plays", []):
    for task in play.get("tasks", []):
        for host, result in task.get("hosts", {}).items():
            if '"collector":"winaudit"' in result.get("stdout", ""):
                answered[host] = answered.get(host, 0) + 1
print(sum(1 for count in answered.values() if count == want))
PY
}
