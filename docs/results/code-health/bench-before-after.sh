#!/usr/bin/env bash
# issue 13: before (ee1db61, before the code-health work) and after (main) back to back on one machine, same model
export OPT_OUT_TRACKING=true DJL_CACHE_DIR=$HOME/.djl.ai
M=/work/runs/de-4k   # a German fine-tune of mBERT (docs/results/onnx-f1/xner-run.json)
lscpu | grep "Model name"
for v in before after; do
  if [ $v = before ]; then jar=/tmp/before13/target/xner.jar; else jar=/work/main/target/xner.jar; fi
  J="java -Xmx8g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 -jar $jar"
  uptime
  echo "== $v infer"; $J bench infer --model $M --length 16 --batch 1,32 --steps 10 2>&1 | grep -v "^\s*$" | tail -3
  $J bench infer --model $M --data-dir /work/shared/data --batch 32 --max-sentences 256 2>&1 | tail -1
  echo "== $v train"; $J bench train --data-dir /work/shared/data --steps 3 2>&1 | grep RESULT
done
uptime
