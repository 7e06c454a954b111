#!/usr/bin/env bash
# Fuzzes one reader of outside bytes (issue 26 §4) with Jazzer for SECONDS, then prints libFuzzer's summary (runs,
# seconds, corpus, coverage) and any finding. A crashing input is saved beside the target's seeds
# (src/test/resources/xner/<package>/<Target>Inputs/<method>/crash-*), so the regression run replays it from then on;
# the corpus the run grows stays in .cifuzz-corpus/ (not committed). One target at a time: libFuzzer runs one per JVM.
#   bench/fuzz.sh ConllReaderFuzzTest 300        # the targets: src/test/java/xner/*/*FuzzTest.java
# Limits: 30 s per input (a hang), 3 GB resident (native memory), 1 GB of heap (the fuzz profile's -Xmx1g).
set -euo pipefail
target="${1:?usage: $0 FUZZ_TEST_CLASS SECONDS}"
seconds="${2:?usage: $0 FUZZ_TEST_CLASS SECONDS}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p target/fuzz
log="target/fuzz/$target.log"
lscpu | grep -E '^Model name:' | tr -s ' '
command=(mvn -B -o test -Dtest="$target" -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds"
  -Djazzer.internal.arg.2=-timeout=30 -Djazzer.internal.arg.3=-rss_limit_mb=3072)
echo "JAZZER_FUZZ=1 ${command[*]}"
status=0
JAZZER_FUZZ=1 "${command[@]}" > "$log" 2>&1 || status=$?
grep -aE '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done [0-9]+ runs|== Java Exception|^(ERROR|WARNING): libFuzzer|Test unit written|Tests run:.*in xner' "$log" || true
echo "log: $log, exit $status"
exit "$status"
