#!/usr/bin/env bash
cd /work/main
export OPT_OUT_TRACKING=true DJL_CACHE_DIR=$HOME/.djl.ai
J="java -Xmx1g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 -jar /tmp/xj/xner.jar"
CG=/sys/fs/cgroup/memory/xnerkw; mkdir -p $CG; echo $((2*1024*1024*1024)) > $CG/memory.limit_in_bytes
bash -c "echo \$\$ > $CG/cgroup.procs; exec $J serve --model /tmp/rel/keyword-model --port 8098" > /tmp/rel/serve-kw.log 2>&1 &
PID=$!; sleep 8
$J bench serve --url http://127.0.0.1:8098/ --texts /tmp/rel/texts.txt --requests 10000 --duration 600 --concurrency 8,64 --bad-every 50 --pid $PID --json > /tmp/rel/soak-keyword.json 2>/tmp/rel/soak-keyword.err
echo "cgroup (2 GiB) peak $(( $(cat $CG/memory.max_usage_in_bytes) / 1048576 )) MB, failcnt $(cat $CG/memory.failcnt)" >> /tmp/rel/soak-keyword.err
kill -TERM $PID; wait $PID; echo "serve exit $?" >> /tmp/rel/soak-keyword.err
