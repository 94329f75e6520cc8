#!/usr/bin/env bash
# Browser test of the web dashboard: a runtime trains a small pipeline with the dashboard on; headless Chromium
# (Debian's `chromium`) opens the page, the components table must list the encoders and the training curve must
# gain points between two looks; a screenshot is saved to runtime/target/dashboard.png.
# Run by `mvn verify` (runtime module, integration-test phase) after the launcher test made the small demo set.
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
nmodal="$root/runtime/nmodal"
work=${NMODAL_WORK:-$root/runtime/work}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "dashboard test: no chromium on PATH (.ci/run installs Debian's chromium)"; exit 1; }
port=${NMODAL_TEST_HTTP_PORT:-18322}
url="http://127.0.0.1:$port/nmodal/"
tmp=$(mktemp -d)
pass=0
fail=0
check() {
  local name=$1
  shift
  if "$@"; then pass=$((pass + 1)); echo "ok    $name"; else fail=$((fail + 1)); echo "FAIL  $name"; fi
}
look() {
  timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --user-data-dir="$tmp/profile" \
    --virtual-time-budget=3000 --dump-dom "${url}?snapshot" 2>/dev/null
}
points() { grep -o 'data-points="[0-9]*"' | head -n 1 | tr -dc '0-9'; }

[ -f "$work/demo-240/posts.jsonl" ] || { echo "dashboard test: no demo-240 set (the launcher test makes it)"; exit 1; }
# many epochs with no early stop, so the curve is still growing while the browser looks
cat >"$tmp/long.json" <<JSON
{"id": "dashboard-test", "data": {"format": "posts", "path": "$work/demo-240"},
 "encoders": {"text": "minilm", "image": "image-classic", "video": "video-frames"},
 "projection": {"dim": 64}, "loss": {"name": "nmodal-infonce", "temperature": 0.1},
 "classifiers": ["logistic"], "tasks": ["stance"],
 "train": {"epochs": 1500, "batch": 16, "patience": 1500, "seed": 1}}
JSON
mkdir -p "$tmp/load" "$root/runtime/target"
# a text file named like a bundle: the dashboard must say what is wrong with it
echo "this is not a jar" >"$tmp/load/x.jar"
touch -d '-5 seconds' "$tmp/load/x.jar"
NMODAL_STAY=1 NMODAL_HTTP_PORT=$port NMODAL_LOAD="$tmp/load" timeout 600 "$nmodal" run "$tmp/long.json" \
  --out "$tmp/run" >"$tmp/runtime.log" 2>&1 &
server=$!
for _ in $(seq 1 240); do
  # the first epoch done, not only the job begun: under load the first epoch alone can outlast both looks
  curl -s "${url}api/state" | grep -q '"epoch":' && break
  sleep 0.5
done
check "the dashboard answers on 127.0.0.1:$port" bash -c "curl -s -o /dev/null -w '%{http_code}' $url | grep -q 200"
first=$(look)
sleep 3
second=$(look)
p1=$(points <<<"$first")
p2=$(points <<<"$second")
echo "training curve: ${p1:-none} points, then ${p2:-none}"
check "the components table lists MiniLM" grep -q 'data-name="minilm"' <<<"$second"
check "the components table shows states" grep -q '<td class="ok">ok</td>' <<<"$second"
check "the training curve gains points" test "${p2:-0}" -gt "${p1:-0}"
check "the page names a load-folder file that is not a bundle" grep -q 'x.jar: not a jar (zip) file, not a bundle' <<<"$second"
page=$(curl -s "$url"; curl -s "${url}app.js")
check "the page loads nothing from the internet" bash -c '! grep -Eq "(src|href)=\"https?://|fetch\(.https?://" <<<"$0"' "$page"
# live updates: the event stream sends the state as the epochs come in
events=$(curl -sN --max-time 4 "${url}api/events")
last_epoch() { grep -o '"epoch":[0-9]*' | tail -n 1 | tr -dc '0-9'; }
e1=$(grep '^data:' <<<"$events" | head -n 1 | last_epoch)
e2=$(grep '^data:' <<<"$events" | tail -n 1 | last_epoch)
echo "event stream: $(grep -c '^data:' <<<"$events") events, epoch ${e1:-none} then ${e2:-none}"
check "server-sent events carry new epochs" test "${e2:-0}" -gt "${e1:-0}"
timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --user-data-dir="$tmp/profile" \
  --virtual-time-budget=3000 --window-size=1280,1500 --screenshot="$root/runtime/target/dashboard.png" "${url}?snapshot" \
  >/dev/null 2>&1
check "a screenshot is saved" test -s "$root/runtime/target/dashboard.png"
kill -TERM "$server" 2>/dev/null
for _ in $(seq 1 60); do kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
kill -0 "$server" 2>/dev/null && { kill -KILL "$server"; echo "runtime did not stop; its log:"; tail -20 "$tmp/runtime.log"; }
[ "$fail" -eq 0 ] || { echo "runtime log:"; tail -30 "$tmp/runtime.log"; }
rm -rf "$tmp"
echo "dashboard: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
