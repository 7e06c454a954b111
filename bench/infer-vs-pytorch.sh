#!/usr/bin/env bash
# Times xner's inference beside the plain-PyTorch reference, back to back on this machine: the model alone at
# the reference's shapes (batch 32 × 48 and batch 1 × 16), then the whole tagging pipeline on Swiss German test
# sentences at batch 1 and 32, and at batch 32 with all the sentences handed over in one call (sorted by length,
# as `xner tag --input` does with its chunks). Each in fp32 and, where the CPU has bf16 units (amx_bf16,
# avx512_bf16), in bf16: xner's --precision bf16 beside PyTorch's CPU autocast. Run it on a quiet machine.
#   bench/infer-vs-pytorch.sh ../shared/data ../shared/bench/pytorch_bert_bench.py runs/de/model
set -euo pipefail
data="${1:?usage: $0 DATA_DIR PYTORCH_BENCH_PY MODEL_DIR}"
reference="${2:?usage: $0 DATA_DIR PYTORCH_BENCH_PY MODEL_DIR}"
model="${3:?usage: $0 DATA_DIR PYTORCH_BENCH_PY MODEL_DIR}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
precisions="fp32"
if grep -qwE 'amx_bf16|avx512_bf16' /proc/cpuinfo; then precisions="fp32 bf16"; fi
lscpu | grep -E '^(Model name|CPU family|Model):' | tr -s ' '
py() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$reference" "$@" | grep RESULT; }
for p in $precisions; do
  "$root/bin/xner" bench infer --model "$model" --length 48 --batch 32 --precision "$p" 2>/dev/null | tail -1
  py infer 32 48 full 5 2 "$p"
  "$root/bin/xner" bench infer --model "$model" --length 16 --batch 1 --steps 20 --precision "$p" 2>/dev/null | tail -1
  py infer 1 16 full 20 2 "$p"
  "$root/bin/xner" bench infer --model "$model" --data-dir "$data" --batch 1,32 --max-sentences "${SENTENCES:-640}" \
      --precision "$p" 2>/dev/null | tail -2
  "$root/bin/xner" bench infer --model "$model" --data-dir "$data" --batch 32 --chunk "${SENTENCES:-640}" \
      --max-sentences "${SENTENCES:-640}" --precision "$p" 2>/dev/null | tail -1
done
# ONNX Runtime beside them, for where bf16 stands against int8 (needs the model exported: xner export)
if [ -f "$model/model_quantized.onnx" ]; then
  "$root/bin/xner" bench infer --model "$model" --length 48 --batch 32 --runtime onnx,onnx-int8 2>/dev/null | grep batch
  "$root/bin/xner" bench infer --model "$model" --length 16 --batch 1 --steps 20 --runtime onnx,onnx-int8 2>/dev/null | grep batch
fi
