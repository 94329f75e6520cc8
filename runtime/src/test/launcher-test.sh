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
  grep -q 'usage: nmodal:run \[-d DATA\] \[-o OUTPUT\] \[-r\] <pipeline>' "$err"

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
check "pipeline error: one line naming the field and the encoders" grep -q "encoders.text: unknown encoder 'gpt-9' (available: bge-small, minilm)" "$err"
check "pipeline error: one line" one_line

"$nmodal" run /no/such/pipeline.json >/dev/null 2>"$err"; rc=$?
check "missing pipeline file exits 2" [ "$rc" -eq 2 ]

# a fusion named with settings: the settings reach the fusion, which refuses one it does not know
fused=$(mktemp -d)
mk_fusion() {
  printf '{"id":"fused","data":{"format":"posts","path":"."},"encoders":{"text":"minilm","image":"image-classic"},
   "fusion":%s,"tasks":["stance"]}' "$1" >"$fused/p.json"
}
mk_fusion '{"name":"cross-attention","query":"image"}'
out=$(timeout 120 "$nmodal" exec "nmodal:validate $fused/p.json" 2>"$err"); rc=$?
check "a fusion with its settings validates" [ "$rc" -eq 0 ]
mk_fusion '{"name":"cross-attention","heads":2}'
timeout 120 "$nmodal" run "$fused/p.json" >/dev/null 2>"$err"; rc=$?
check "an unknown fusion setting exits 2" [ "$rc" -eq 2 ]
check "an unknown fusion setting: one line naming it" bash -c 'one_line() { [ "$(grep -c . "$0")" -eq 1 ]; }; one_line "$0" && grep -q "heads" "$0"' "$err"
printf '{"id":"../../escaped","data":{"format":"posts","path":"."},"encoders":{"text":"minilm"},"tasks":["s"]}' >"$fused/p.json"
timeout 120 "$nmodal" run "$fused/p.json" >/dev/null 2>"$err"; rc=$?
check "an id that would leave the work folder exits 2" [ "$rc" -eq 2 ]
# malformed pipeline files and data sets through the real launcher (the fuzz test in nmodal.assembly feeds 1,200
# more in-process): exit 2, one line naming the field, no stack trace, nothing written next to the files
bad_dir=$(mktemp -d)
mkdir -p "$bad_dir/data"
: >"$bad_dir/data/posts.jsonl"
before=$(ls -A "$bad_dir")
mk_bad() {
  printf '{"id":"b","data":{"format":"posts","path":"data"},"encoders":{"text":"minilm"},"tasks":["s"]%s}' "$1" \
    >"$bad_dir/p.json"
}
for case in ',"fusion":{}|fusion: missing field' ',"classifiers":[{}]|classifiers\[0\]: missing field' \
    ',"projection":{"dim":1e12}|projection.dim: must be a whole number from 2 to 4096' \
    ',"train":{"epochs":"3"}|train.epochs: must be a whole number' ',"train":{"batch":[1]}|train.batch:' \
    ',"train":{"patience":-1}|train.patience:' ',"tasks":["t"]|not valid JSON (duplicate key .tasks.)' \
    '|data.path: .*posts.jsonl: no posts (the file is empty)'; do
  mk_bad "${case%%|*}"
  timeout 120 "$nmodal" run "$bad_dir/p.json" >/dev/null 2>"$err"; rc=$?
  check "bad pipeline ${case%%|*}: exit 2, one line naming the field" bash -c \
    '[ "$1" -eq 2 ] && [ "$(grep -v "Warning: AutoNonVariableTypeMode" "$0" | grep -c .)" -eq 1 ] && grep -q "$2" "$0" \
     && ! grep -q "^[[:space:]]*at " "$0"' "$err" "$rc" "${case#*|}"
done
rm -f "$bad_dir/p.json"
check "nothing written next to the bad files" [ "$(ls -A "$bad_dir")" = "$before" ]
rm -rf "$bad_dir"

# a configuration value of the wrong type is refused with one line, and the component keeps working
cfg_load=$(mktemp -d)
echo "maxPixels=lots" >"$cfg_load/nmodal.media.cfg"
out=$(NMODAL_LOAD=$cfg_load timeout 120 "$nmodal" exec 'nmodal:status' 2>"$err"); rc=$?
check "maxPixels=lots: named in nmodal:status" grep -q "configuration nmodal.media: maxPixels='lots' is not a whole number" <<<"$out"
check "maxPixels=lots: one warning line naming PID, key and value" grep -q "WARNING nmodal.config: nmodal.media: maxPixels='lots'" "$err"
rm -rf "$cfg_load"

# the main job, on a small demo set (the full one is 2,000 posts and takes about 3 minutes)
out=$(timeout 600 "$nmodal" demo --posts 240 2>"$err"); rc=$?
check "demo exits 0" [ "$rc" -eq 0 ]
check "demo prints the ablation of both tasks" grep -q "^task account" <<<"$out"
check "demo reports the corrupt videos it met" grep -q "problem(s) with the data" <<<"$out"
check "demo writes the report" grep -q "report: .*report.html" <<<"$out"

# the five metadata adapters beside the text: six streams, so evaluate.subsets' default is singles + leave-one-out +
# all (13 subsets, not 63), each adapted stream evaluated alone, and posts lacking a field are missing it, not errors
mo=$(mktemp -d)
out=$(timeout 600 "$nmodal" run "$root/pipelines/demo-metadata.json" --data "${NMODAL_WORK:-$root/runtime/work}/demo-240" \
  --out "$mo/run" 2>"$err"); rc=$?
check "demo-metadata runs" [ "$rc" -eq 0 ]
check "... with the default subsets for six streams, said in the summary" grep -q "subsets evaluated (evaluate.subsets): default (6 streams, more than 4): singles + leave-one-out + all; 13 subset(s) of 6 modalities" <<<"$out"
compact=$(tr -d ' \n' <"$mo/run/report.json" 2>/dev/null)
check "... report.json lists the 13 subsets" grep -q '"ablation":{"rule":"default(6streams,morethan4):singles+leave-one-out+all;13subset(s)of6modalities","count":13' <<<"$compact"
for m in hashtags caption prompt when who; do
  check "... $m evaluated alone" grep -q "\"modalities\":\[\"$m\"\]" <<<"$compact"
done
check "... posts without tags are missing the prompt, not errors" bash -c 'grep -q "\"prompt\":[1-9]" <<<"$0" && ! grep -q "prompt" <<<"${0#*\"errors\"}"' "$compact"
rm -rf "$mo"

# the same pipeline served with the sentiformer fusion: the posted meta goes through the same adapters and encoders,
# the supervised fusion is stored with the version and answers; a post lacking fields misses those streams
sv=$(mktemp -d)
echo "port=0" >"$sv/nmodal.serving.cfg"
sed 's/"id": "demo-metadata"/"id": "served-meta"/; s/"fusion": "concat"/"fusion": {"name": "sentiformer", "epochs": 10}/' \
  "$root/pipelines/demo-metadata.json" >"$sv/p.json"
NMODAL_LOAD=$sv timeout 300 "$nmodal" serve "$sv/p.json" --data "${NMODAL_WORK:-$root/runtime/work}/demo-240" \
  >"$sv/log" 2>&1 &
server=$!
for _ in $(seq 1 400); do grep -q "nmodal: running" "$sv/log" && break; sleep 0.5; done
url=$(sed -n 's|^REST: POST \(http://[^ ]*\)$|\1|p' "$sv/log" | head -n 1)
model="${NMODAL_WORK:-$root/runtime/work}/trained/served-meta/$(sed -n 's/^serving served-meta \(v[0-9]*\) .*/\1/p' "$sv/log" | head -n 1)"
check "served with adapters: the version holds the six streams" grep -q "serving served-meta v[0-9]* \[text, hashtags, caption, prompt, when, who\]" "$sv/log"
check "... and the sentiformer fusion answers for stance" bash -c 'tr -d " \n" <"$0/model.json" | grep -q "\"supervised\":true,\"answeredBy\":\"sentiformer\""' "$model"
post=$(grep '"caption"' "${NMODAL_WORK:-$root/runtime/work}/demo-240/posts.jsonl" | grep '"tags"' | head -n 1)
answer=$(curl -s -X POST -H "Content-Type: application/json" --data-binary "$post" "$url")
check "... a posted post uses every stream" grep -q '"modalities":\["text","hashtags","caption","prompt","when","who"\]' <<<"$answer"
answer=$(curl -s -X POST -H "Content-Type: application/json" --data-binary '{"id":"m","meta":{"caption":"a road in a street","timestamp":"2024-05-01T08:00:00Z"}}' "$url")
check "... a post with a caption and a time only is answered from those" grep -q '"modalities":\["caption","when"\],"labels":{"stance":' <<<"$answer"
status=$(curl -s -o "$err" -w '%{http_code}' -X POST -H "Content-Type: application/json" --data-binary '{"id":"m","text":"x","meta":{"hashtags":"#one"}}' "$url")
check "... meta of the wrong type: 400 naming the field" bash -c '[ "$1" = 400 ] && grep -q "meta.hashtags: must be a list of strings" "$0"' "$err" "$status"
kill -TERM "$server"
for _ in $(seq 1 60); do kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
rm -rf "$sv"

# a run killed with kill -9 goes on from its last checkpoint (--resume): the same heads and scores as a run never
# stopped, its run.log appended to; the classifiers take settings from the file
rs=$(mktemp -d)
printf '{"id":"resume-check","data":{"format":"posts","path":"%s"},"encoders":{"text":"minilm","image":"image-classic",
 "video":"video-frames"},"projection":{"dim":32},"classifiers":["gaussian-nb",{"name":"random-forest","trees":20}],
 "tasks":["stance"],"train":{"epochs":40,"batch":32,"seed":7,"patience":100}}' \
  "${NMODAL_WORK:-$root/runtime/work}/demo-240" >"$rs/p.json"
timeout 300 "$nmodal" run "$rs/p.json" --out "$rs/whole" >/dev/null 2>&1
timeout 300 "$nmodal" run "$rs/p.json" --out "$rs/killed" >/dev/null 2>&1 &
for _ in $(seq 1 1800); do grep -q "epoch   5/40" "$rs/killed/run.log" 2>/dev/null && break; sleep 0.1; done
victim=$(pgrep -f "nmodal.exec=nmodal:run --out \"$rs/killed\"")
[ -z "$victim" ] || kill -9 $victim
wait $! 2>/dev/null
check "the killed run left its checkpoint and no report" bash -c '[ -f "$0/checkpoints/training.state" ] && [ ! -f "$0/report.json" ]' "$rs/killed"
out=$(timeout 300 "$nmodal" run --resume "$rs/killed" 2>"$err"); rc=$?
check "run --resume exits 0" [ "$rc" -eq 0 ]
check "the resumed run has the same heads as the run never killed" cmp -s "$rs/whole/checkpoints/heads.bin" "$rs/killed/checkpoints/heads.bin"
whole=$(grep -E '"(accuracy|macroF1)"' "$rs/whole/report.json")
resumed=$(grep -E '"(accuracy|macroF1)"' "$rs/killed/report.json" 2>/dev/null)
check "... and the same scores" bash -c '[ -n "$0" ] && [ "$0" = "$1" ]' "$whole" "$resumed"
check "run.log is appended to" bash -c 'grep -q "epoch   5/40" "$0/run.log" && grep -q "resuming resume-check" "$0/run.log" && [ "$(grep -c "epoch   1/40" "$0/run.log")" -eq 1 ]' "$rs/killed"
timeout 120 "$nmodal" run --resume "$rs/killed" >/dev/null 2>"$err"; rc=$?
check "resuming a finished run exits 2 with one line" bash -c '[ "$0" -eq 2 ] && [ "$(grep -c . "$1")" -eq 1 ] && grep -q "has finished" "$1" || { echo "exit $0, stderr:"; cat "$1"; false; }' "$rc" "$err"
sed -i 's/"trees":20/"tres":20/' "$rs/p.json"
timeout 120 "$nmodal" run "$rs/p.json" >/dev/null 2>"$err"; rc=$?
check "an unknown classifier setting exits 2" [ "$rc" -eq 2 ]
check "... with one line naming it" bash -c '[ "$(grep -c . "$0")" -eq 1 ] && grep -q "classifiers\[1\]: classifier .random-forest.: unknown setting .tres." "$0"' "$err"
rm -rf "$rs"

"$nmodal" serve >/dev/null 2>"$err"; rc=$?
check "serve without a pipeline exits 2" [ "$rc" -eq 2 ]
check "serve without a pipeline: usage" grep -q "usage: runtime/nmodal serve <pipeline.json> \[--data DIR\]" "$err"

# a feature in the load folder is active on every start, not only the first (the bundle cache is kept)
feature=$(mktemp -d)
cp "$root/features/audio/target/feature/"* "$feature/"
first=$(NMODAL_LOAD=$feature timeout 120 "$nmodal" exec 'nmodal:components' 2>/dev/null)
second=$(NMODAL_LOAD=$feature timeout 120 "$nmodal" exec 'nmodal:components' 2>/dev/null)
check "a dropped-in feature is active on the first start" grep -q "audio-melstats" <<<"$first"
check "... and again on the next start" grep -q "audio-melstats" <<<"$second"
# the load folder is the truth on start: a jar deleted while nmodal was stopped, or a whole other load folder, does
# not come back from the bundle cache
rm -f "$feature"/*.jar
third=$(NMODAL_LOAD=$feature timeout 120 "$nmodal" exec 'nmodal:components' 2>/dev/null)
check "a feature deleted while nmodal was stopped is gone on the next start" bash -c '! grep -q "audio-melstats" <<<"$0" && grep -q minilm <<<"$0"' "$third"
cp "$root/features/audio/target/feature/"*.jar "$feature/"
NMODAL_LOAD=$feature timeout 120 "$nmodal" exec 'nmodal:components' >/dev/null 2>&1
other=$(mktemp -d)
fourth=$(NMODAL_LOAD=$other timeout 120 "$nmodal" exec 'nmodal:components' 2>/dev/null)
check "... and a bundle of another load folder is not started" bash -c '! grep -q "audio-melstats" <<<"$0" && grep -q minilm <<<"$0"' "$fourth"
rm -rf "$feature"
# files FileInstall cannot use are named: a text file called .jar, an empty .jar, a .cfg with garbage lines
echo "this is not a jar" >"$other/x.jar"
: >"$other/empty.jar"
printf 'frames=8\nthis line is garbage\n' >"$other/nmodal.encoder.video.frames.cfg"
touch -d '-5 seconds' "$other"/*
out=$(NMODAL_LOAD=$other timeout 120 "$nmodal" exec 'nmodal:status' 2>"$err"); rc=$?
check "bad load-folder files: status still exits 0" [ "$rc" -eq 0 ]
check "... nmodal:status names the text file called .jar" grep -q "^load folder: $other/x.jar: not a jar (zip) file" <<<"$out"
check "... the empty .jar" grep -q "^load folder: $other/empty.jar: an empty file (0 bytes)" <<<"$out"
check "... the garbage line of the .cfg" grep -q "^load folder: $other/nmodal.encoder.video.frames.cfg: 1 line(s) not key=value: line 2 'this line is garbage'" <<<"$out"
check "... and a log line says it too" grep -q "WARNING nmodal.load: load folder: $other/x.jar" "$err"
rm -rf "$other"

# serving: the demo pipeline on the small demo set, any free port, one REST prediction, then TERM
load=$(mktemp -d)
log=$(mktemp)
echo "port=0" >"$load/nmodal.serving.cfg"
NMODAL_LOAD=$load NMODAL_HTTP_PORT=18323 timeout 300 "$nmodal" serve "$root/pipelines/demo-trimodal.json" \
  --data "${NMODAL_WORK:-$root/runtime/work}/demo-240" >"$log" 2>&1 &
server=$!
for _ in $(seq 1 240); do grep -q "nmodal: running" "$log" && break; sleep 0.5; done
check "serve reaches running" grep -q "nmodal: running" "$log"
url=$(sed -n 's|^REST: POST \(http://[^ ]*\)$|\1|p' "$log" | head -n 1)
check "serve prints its REST address on 127.0.0.1" grep -q "^http://127.0.0.1:[0-9]*/api/pipelines/demo-trimodal/predict$" <<<"$url"
check "port= in nmodal.serving.cfg moves the port (over NMODAL_HTTP_PORT)" bash -c '! grep -q ":18323/" <<<"$0"' "$url"
post=$(sed -n 5p "${NMODAL_WORK:-$root/runtime/work}/demo-240/posts.jsonl")
answer=$(curl -s -X POST -H "Content-Type: application/json" --data-binary "$post" "$url")
check "a REST prediction names the version and the modalities" grep -q '"version":"v[0-9]*","modalities":\["text","image","video"\]' <<<"$answer"
check "a REST prediction has stance probabilities" grep -q '"stance":{"anti":' <<<"$answer"
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Content-Type: application/json" --data-binary '{"text":' "$url")
check "a broken post gets 400" [ "$status" = 400 ]
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary "$post" "$url")
check "a post without Content-Type: application/json gets 415" [ "$status" = 415 ]
# media paths stay inside the data folder: outside, upwards, through a symlink and missing get one and the same answer
demo="${NMODAL_WORK:-$root/runtime/work}/demo-240"
ln -sf /etc/passwd "$demo/escape.png"
answers=""
for path in /etc/passwd ../../../../../../etc/passwd escape.png no-such-file.png; do
  reply=$(curl -s -w ' %{http_code}' -X POST -H "Content-Type: application/json" \
    --data-binary "{\"id\":\"t\",\"text\":\"x\",\"image\":\"$path\"}" "$url" | tr -d '\n')
  answers+="$reply"$'\n'
done
rm -f "$demo/escape.png"
check "media paths outside the data folder get 400" bash -c '[ "$(grep -c " 400$" <<<"$0")" -eq 4 ]' "$answers"
check "... the same answer whether or not the file exists" bash -c '[ "$(sort -u <<<"$0" | grep -c .)" -eq 1 ]' "$answers"
check "... naming no server path" bash -c '! grep -q "/etc\|$1" <<<"$0"' "$answers" "$demo"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: rebinding.example" "${url%/demo-trimodal/predict}")
check "a foreign Host header is refused" [ "$status" = 421 ]
dash=$(curl -s -o /dev/null -w '%{http_code}' "${url%/api/pipelines/demo-trimodal/predict}/nmodal/api/state")
check "the dashboard answers on the same port" [ "$dash" = 200 ]
for body in '{"text": 5}' '{"text": ["a", "b"]}' '{"image": {"base64": "aGVsbG8=", "name": "/"}}' '{}' '{"id": "x"}'; do
  status=$(curl -s -o "$err" -w '%{http_code}' -X POST -H "Content-Type: application/json" --data-binary "$body" "$url")
  check "REST $body: 400 with one line" bash -c '[ "$1" = 400 ] && grep -q "^{\"error\":\"[^\"]*\(text\|image.name\|no usable input\)" "$0"' "$err" "$status"
done
status=$(curl -s -o /dev/null -w '%{http_code}' -X TRACE "${url%/api/pipelines/demo-trimodal/predict}/nmodal/")
check "TRACE is not echoed" [ "$status" = 405 ]
status=$(curl -s -o /dev/null -w '%{http_code}' "${url%/api/pipelines/demo-trimodal/predict}/nmodal/runs/report.html")
check "runs/report.html without a run folder is a 404, not a 500" [ "$status" = 404 ]
# requests while the server stops get 503 (or no connection), never a 400 or a 404: nmodal parts that already left
# answer nothing, and the port closes as Felix HTTP starts to stop, before it removes the servlets (PortCloser)
( for _ in $(seq 1 300); do curl -s -m 2 -o /dev/null -w '%{http_code}\n' -X POST \
    -H "Content-Type: application/json" --data-binary "$post" "$url"; done >"$log.codes" ) &
poster=$!
sleep 0.5
kill -TERM "$server"
for _ in $(seq 1 60); do kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
wait "$poster"
check "requests during shutdown: only 200, 503 or no answer" \
  bash -c '! grep -qv "^\(200\|503\|000\)$" "$0"' "$log.codes"
rm -f "$log.codes"
check "TERM stops the server" bash -c "! kill -0 $server 2>/dev/null"
rm -rf "$load" "$log"
out=$(timeout 120 "$nmodal" exec 'nmodal:provenance demo-trimodal' 2>"$err"); rc=$?
check "provenance of the demo model exits 0" [ "$rc" -eq 0 ]
check "provenance names the bundles, licences and data" bash -c 'grep -q "\"bundle\": \"nmodal.encoder.video\"" <<<"$0" && grep -q "\"dataFingerprint\": \"sha256:" <<<"$0"' "$out"

echo "launcher: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
