#!/bin/sh
# baton vs Ansible, the lab's rolling deploy v1 -> v2 (serial 1, drained on
# both LBs, same stages), each under the same traffic on lb1's frontend (a
# curl loop): wall time and answers by status. Starts and stops the lab;
# run it under the lab lock from the repository, after npm run build:
#   flock /tmp/baton-lab.lock sh deploys/bench/compare-ansible.sh
set -u
cd "$(dirname "$0")/../.."
B="node dist/cli/main.js"
$B lab up > /tmp/labup.log 2>&1 || tail -5 /tmp/labup.log
D=~/.local/state/baton/lab
INV=$D/inventory.yaml
cat > /tmp/ansible-lab.ini <<INI
[web]
web1 ansible_host=127.0.3.1
web2 ansible_host=127.0.3.2
web3 ansible_host=127.0.3.3
[lb]
lb1 ansible_host=127.0.3.6
lb2 ansible_host=127.0.3.251
[all:vars]
ansible_port=2222
ansible_user=baton-lab
ansible_ssh_private_key_file=$D/id_ed25519
ansible_ssh_common_args=-o UserKnownHostsFile=$D/known_hosts -o StrictHostKeyChecking=yes
ansible_python_interpreter=/usr/bin/python3
INI
traffic() { : > $1; while [ -f /tmp/traffic.on ]; do curl -s -o /dev/null -w '%{http_code}\n' --max-time 2 http://127.0.3.6:8000/version >> $1; sleep 0.02; done; }
touch /tmp/traffic.on; traffic /tmp/codes-ansible.txt & TP=$!
s=$(date +%s.%N); ANSIBLE_HOST_KEY_CHECKING=True ansible-playbook -i /tmp/ansible-lab.ini deploys/bench/ansible-rolling.yml -e version=v2 >/tmp/ansible-rolling.log 2>&1; echo "ansible exit $? wall $(echo "$(date +%s.%N) - $s" | bc)"
rm /tmp/traffic.on; wait $TP
$B deploy rollback lab-rolling --to v1 --yes -i $INV >/dev/null 2>&1; echo "rollback exit $?"
touch /tmp/traffic.on; traffic /tmp/codes-baton.txt & TP=$!
s=$(date +%s.%N); $B deploy run lab-rolling --release v2 --yes -i $INV >/dev/null 2>&1; echo "baton exit $? wall $(echo "$(date +%s.%N) - $s" | bc)"
rm /tmp/traffic.on; wait $TP
echo baton: $(sort /tmp/codes-baton.txt | uniq -c | tr '\n' ' '); echo ansible: $(sort /tmp/codes-ansible.txt | uniq -c | tr '\n' ' ')
$B lab down > /dev/null 2>&1; echo down $?
