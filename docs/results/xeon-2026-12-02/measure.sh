#!/usr/bin/env bash
# After the de-fr sub-run: one quiet sequence on this machine (Xeon), each step's start and load logged.
set -u
R=/work/run-main; D=/work/shared/data; P=/work/shared/bench/pytorch_bert_bench.py
O=/work/runs/xeon; M=/work/runs/chapter/runs/de-fr/model
while pgrep -f "experiment swiss-panx" >/dev/null; do sleep 15; done
cd $R
stamp() { echo "== $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg): $*"; }
{ lscpu | grep -E "Model name|^CPU\(s\)|Model:|CPU family"; } > $O/lscpu.txt
stamp train-vs-pytorch > $O/train-vs-pytorch.txt
bench/train-vs-pytorch.sh $D $P >> $O/train-vs-pytorch.txt 2>&1
stamp done >> $O/train-vs-pytorch.txt
stamp profile grouped > $O/profile.txt
bin/xner bench train --data-dir $D --profile >> $O/profile.txt 2>&1
stamp profile 24x32 >> $O/profile.txt
bin/xner bench train --data-dir $D --length 32 --profile >> $O/profile.txt 2>&1
stamp export > $O/export.txt
( time bin/xner export --model $M --output $M ) >> $O/export.txt 2>&1
( time bin/xner export --model $M --output $M --quantize int8 ) >> $O/export.txt 2>&1
M=$M D=$D P=$P docs/results/onnx-bench-fused.sh > $O/onnx-bench-fused-xeon.txt 2>&1
for rt in libtorch onnx onnx-int8; do
  stamp evaluate $rt > $O/eval-$rt.txt
  ( time bin/xner evaluate --model $M --data-dir $D --langs de --split test --runtime $rt ) >> $O/eval-$rt.txt 2>&1
done
stamp evaluate onnx-int8 as stored > $O/eval-onnx-int8-stored.txt
( time XNER_JAVA_OPTS="-Xmx8g -Dxner.onnx.fuse=false" bin/xner evaluate --model $M --data-dir $D --langs de --split test --runtime onnx-int8 ) >> $O/eval-onnx-int8-stored.txt 2>&1
stamp quick > $O/quick.txt
rm -rf /work/runs/quick-xeon
( time bin/xner experiment swiss-panx --data-dir $D --output /work/runs/quick-xeon --quick ) >> $O/quick.txt 2>&1
stamp all done >> $O/quick.txt
