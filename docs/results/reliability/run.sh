#!/usr/bin/env bash
# Reliability figures for docs/results/reliability.md: memory of the service's largest inputs under a cgroup
# limit, a soak at concurrency 8 and 64, then kill -9 of train and of tag --input at 20 moments each.
set -u
cd /work/main
export OPT_OUT_TRACKING=true DJL_CACHE_DIR=$HOME/.djl.ai
J="java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 -jar /tmp/xj/xner.jar"
CG=/sys/fs/cgroup/memory/xnersoak
mkdir -p $CG; echo $((3*1024*1024*1024)) > $CG/memory.limit_in_bytes; echo 0 > $CG/memory.max_usage_in_bytes 2>/dev/null
rss() { grep VmRSS /proc/$1/status | awk '{print $2/1024 " MB"}'; }
bash -c "echo \$\$ > $CG/cgroup.procs; exec $J serve --model runs/conll2002-nl --port 8099" > /tmp/rel/serve.log 2>&1 &
PID=$!
sleep 15
echo "== memory (cgroup limit 3 GiB, -Xmx2g)"; echo "rss at start: $(rss $PID)"
curl -s -o /tmp/rel/max.out -w "20,000-character text: %{http_code} in %{time_total} s\n" -H 'Content-Type: application/json' --data-binary @/tmp/rel/max.json http://127.0.0.1:8099/
echo "rss after: $(rss $PID); cgroup peak $(( $(cat $CG/memory.max_usage_in_bytes) / 1048576 )) MB"
curl -s -o /tmp/rel/eight.out -w "8 texts of 3,500 characters: %{http_code} in %{time_total} s\n" -H 'Content-Type: application/json' --data-binary @/tmp/rel/eight.json http://127.0.0.1:8099/
echo "rss after: $(rss $PID); cgroup peak $(( $(cat $CG/memory.max_usage_in_bytes) / 1048576 )) MB"
one='{"inputs": "Jan Peeters woont in Gent en werkt bij Philips."}'
eight='{"inputs": ["Jan Peeters woont in Gent en werkt bij Philips.","Marie gaat naar Brussel.","De Europese Commissie vergadert in Straatsburg.","Kim Clijsters won de US Open.","Het bedrijf LDP is failliet.","Reuters meldt dat Fifa akkoord is.","Sepp Blatter sprak in Zurich.","Vincent De Poortere is persona non grata."]}'
echo "== latency, one short text a request, 20 in a row (s):"; for i in $(seq 1 20); do curl -s -o /dev/null -w "%{time_total} " -H 'Content-Type: application/json' -d "$one" http://127.0.0.1:8099/; done; echo
echo "== latency, eight short texts in one request, 10 in a row (s):"; for i in $(seq 1 10); do curl -s -o /dev/null -w "%{time_total} " -H 'Content-Type: application/json' -d "$eight" http://127.0.0.1:8099/; done; echo
echo "== soak"
$J bench serve --url http://127.0.0.1:8099/ --texts /tmp/rel/texts.txt --requests 10000 --duration 240 --concurrency 8,64 --bad-every 50 --pid $PID --json > /tmp/rel/soak.json 2>/tmp/rel/soak.err
cat /tmp/rel/soak.json
echo "cgroup peak $(( $(cat $CG/memory.max_usage_in_bytes) / 1048576 )) MB, failcnt $(cat $CG/memory.failcnt)"
kill -TERM $PID; wait $PID; echo "serve exit $?"; tail -3 /tmp/rel/serve.log
echo "== kill -9 of train, 20 moments"
XNER_DATA=/work/shared/data mvn -B -o -q test -Dtest=KillResumeTest -Dxner.kills=20 -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep -E "kill|moments|Tests run|FAIL" 
echo "== kill -9 of tag --input, 20 moments"
XNER_DATA=/work/shared/data mvn -B -o -q test -Dtest=KillTagTest -Dxner.kills=20 -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep -E "kill|Tests run|FAIL"
echo "== done $(date)"
