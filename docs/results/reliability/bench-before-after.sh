#!/usr/bin/env bash
# before (d5270fe) and after (HEAD) back to back on the same machine
export OPT_OUT_TRACKING=true DJL_CACHE_DIR=$HOME/.djl.ai
for v in before after; do
  if [ $v = before ]; then jar=/tmp/before/target/xner.jar; else jar=/work/main/target/xner.jar; fi
  J="java -Xmx8g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 -jar $jar"
  echo "== $v infer"; $J bench infer --model /work/main/runs/conll2002-nl --length 16 --batch 1,8,32 --steps 10 2>&1 | tail -3
  $J bench infer --model /work/main/runs/conll2002-nl --data-dir /work/shared/data --batch 32 --max-sentences 256 2>&1 | tail -1
  echo "== $v train"; $J bench train --data-dir /work/shared/data --steps 3 2>&1 | tail -2
done
