#!/usr/bin/env bash
# Checks what runtime/nmodal promises on the command line: output, one-line errors and exit codes.
# Run by `mvn verify` (runtime module, integration-test phase) after target/nmodal.jar is exported.
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
nmodal="$root/runtime/nmodal"
pass=0
fail=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT

check() {
  local name=$1
  shift
  if "$@"; then
    pass=$((pass + 1)); echo "ok    $name"
  else
    fail=$((fail + 1)); echo "FAIL  $name"
  fi
}
one_line() { [ "$(grep -c . "$err")" -eq 1 ]; }

t0=$(date +%s%N)
out=$(timeout 120 "$nmodal" exec 'nmodal:components' 2>"$err"); rc=$?
echo "nmodal:components took $(( ($(date +%s%N) - t0) / 1000000 )) ms"
check "components exits 0" [ "$rc" -eq 0 ]
check "components lists minilm, text, 384" grep -Eq 'encoder +minilm +text +384 +cpu' <<<"$out"
check "components lists both engines" grep -q 'engine *OnnxRuntime' <<<"$out"
check "components lists PyTorch too" grep -q 'engine *PyTorch' <<<"$out"

out=$(timeout 120 "$nmodal" exec 'nmodal:encode text "a cat sits on the mat"' 2>"$err"); rc=$?
check "encode exits 0" [ "$rc" -eq 0 ]
check "encode prints dimension 384" grep -q '^dimension  384$' <<<"$out"

timeout 120 "$nmodal" exec 'nmodal:frobnicate' >/dev/null 2>"$err"; rc=$?
check "unknown command exits 2" [ "$rc" -eq 2 ]
check "unknown command: one clear line" one_line
check "unknown command is named" grep -q "unknown command 'nmodal:frobnicate'" "$err"

timeout 120 "$nmodal" exec 'nmodal:encode' >/dev/null 2>"$err"; rc=$?
check "bad arguments exit 2" [ "$rc" -eq 2 ]
check "bad arguments: one line with usage" grep -q 'usage: nmodal:encode \[-e ENCODER\] <modality> <input>' "$err"

timeout 120 "$nmodal" exec 'nmodal:run' >/dev/null 2>"$err"; rc=$?
check "bad arguments of another bundle's command: usage from its own descriptors" \
  grep -q 'usage: nmodal:run \[-d DATA\] \[-o OUTPUT\] <pipeline>' "$err"

timeout 120 "$nmodal" exec 'nmodal:encode smell rose' >/dev/null 2>"$err"; rc=$?
check "failing command exits 1" [ "$rc" -eq 1 ]
check "failing command: one line naming what is available" grep -q "no encoder for modality 'smell'; available: .*minilm (text)" "$err"
timeout 120 "$nmodal" exec 'nmodal:encode image /no/such.png' >/dev/null 2>"$err"; rc=$?
check "missing media file: exit 1 and its path" grep -q "no such file: /no/such.png" "$err"

"$nmodal" exec >/dev/null 2>"$err"; rc=$?
check "exec without a command exits 2" [ "$rc" -eq 2 ]
"$nmodal" frobnicate >/dev/null 2>"$err"; rc=$?
check "unknown mode exits 2" [ "$rc" -eq 2 ]
check "unknown mode: one line" one_line

bad=$(mktemp --suffix=.json)
printf '{"id":"bad","data":{"format":"posts","path":"nowhere"},"encoders":{"text":"gpt-9"},"tasks":["stance"]}' >"$bad"
timeout 120 "$nmodal" run "$bad" >/dev/null 2>"$err"; rc=$?
rm -f "$bad"
check "pipeline with an unknown encoder exits 2" [ "$rc" -eq 2 ]
check "pipeline error: one line naming the field and the encoders" grep -q "encoders.text: unknown encoder 'gpt-9' (available: minilm)" "$err"
check "pipeline error: one line" one_line

"$nmodal" run /no/such/pipeline.json >/dev/null 2>"$err"; rc=$?
check "missing pipeline file exits 2" [ "$rc" -eq 2 ]

# the main job, on a small demo set (the full one is 2,000 posts and takes about 3 minutes)
out=$(timeout 600 "$nmodal" demo --posts 240 2>"$err"); rc=$?
check "demo exits 0" [ "$rc" -eq 0 ]
check "demo prints the ablation of both tasks" grep -q "^task account" <<<"$out"
check "demo reports the corrupt videos it met" grep -q "problem(s) with the data" <<<"$out"
check "demo writes the report" grep -q "report: .*report.html" <<<"$out"

echo "launcher: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
