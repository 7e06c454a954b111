#!/usr/bin/env bash
# Memory of tagging one long PDF with tag --input (issue 24 §1): a PDF of PAGES pages (default 300, ~3,000 characters
# each) written by PDFBox, tagged by a tiny model under a few heap limits; prints, per limit, whether it ran and the
# process's peak resident memory (GNU time's %M). The model is tiny on purpose: what is measured is what the document
# costs (Tika/PDFBox, its text, its tokens' probabilities, its output record). A BERT-base model adds its own
# ~0.7 GB of native weights and ~70 MB per 512-token window of a pass (see "Memory and disk" in the README).
# Usage: bench/document-memory.sh [OUT_DIR] [PAGES] [HEAPS...]   e.g. bench/document-memory.sh runs/docmem 300 128m 256m 1g
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/document-memory}; pages=${2:-300}; shift $(( $# > 2 ? 2 : $# )) || true
heaps=("$@"); [ ${#heaps[@]} -gt 0 ] || heaps=(128m 256m 512m)
mkdir -p "$out"
lscpu | grep -E "Model name|CPU family|^Model:" | tee "$out/lscpu.txt"
# the core's test jar (the keyword model) and the module's lib (PDFBox), as bin/xner builds them for a document
if [ ! -f target/xner-tests.jar ] || [ ! -d documents/target/lib ]; then
  mvn -q -B install -DskipTests && mvn -q -B -f documents/pom.xml package -DskipTests
fi
java -cp "documents/target/lib/*:target/xner-tests.jar" bench/DocumentMemory.java "$out" "$pages"
pdf="$out/$pages-pages.pdf"
echo "$pdf: $(du -k "$pdf" | cut -f1) KB"
for heap in "${heaps[@]}"; do
  set +e
  XNER_JAVA_OPTS="-Xmx$heap" /usr/bin/time -f "%M %e" -o "$out/time-$heap.txt" \
    bin/xner tag --model "$out/model" --input "$pdf" --output "$out/tagged-$heap.jsonl" > "$out/tag-$heap.out" 2>&1
  status=$?
  set -e
  read -r kb seconds < <(tail -1 "$out/time-$heap.txt") || true
  echo "-Xmx$heap: exit $status, peak resident $(( ${kb:-0} / 1024 )) MB, ${seconds:-?} s; $(grep -o '[0-9,]* documents read.*' "$out/tag-$heap.out" | tail -1)"
  [ $status -eq 0 ] || tail -3 "$out/tag-$heap.out"
done
[ -f "$out/tagged-${heaps[-1]}.jsonl" ] && jq -r '"text: \(.text | length) characters, entities: \(.entities | length), last page: \(.entities[-1].page)"' "$out/tagged-${heaps[-1]}.jsonl"
