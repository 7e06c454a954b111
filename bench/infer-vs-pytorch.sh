#!/usr/bin/env bash
# Times xner's inference beside the plain-PyTorch reference, back to back on this machine: the model alone at
# the reference's shape (batch 32 × 48), then the whole tagging pipeline on Swiss German test sentences at
# batch 1 and 32, and at batch 32 with all the sentences handed over in one call (sorted by length, as
# `xner tag --input` does with its chunks). Run it on a quiet machine.
#   bench/infer-vs-pytorch.sh ../shared/data ../shared/bench/pytorch_bert_bench.py runs/de/model
set -euo pipefail
data="${1:?usage: $0 DATA_DIR PYTORCH_BENCH_PY MODEL_DIR}"
reference="${2:?usage: $0 DATA_DIR PYTORCH_BENCH_PY MODEL_DIR}"
model="${3:?usage: $0 DATA_DIR PYTORCH_BENCH_PY MODEL_DIR}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/bin/xner" bench infer --model "$model" --length 48 --batch 32 2>/dev/null
/usr/bin/python3 "$reference" infer 32 48 full 5 2 | grep RESULT
"$root/bin/xner" bench infer --model "$model" --data-dir "$data" --batch 1,32 --max-sentences "${SENTENCES:-640}" 2>/dev/null
"$root/bin/xner" bench infer --model "$model" --data-dir "$data" --batch 32 --chunk "${SENTENCES:-640}" \
    --max-sentences "${SENTENCES:-640}" 2>/dev/null | tail -1
/usr/bin/python3 "$reference" infer 1 16 full 20 2 | grep RESULT
