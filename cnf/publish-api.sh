#!/usr/bin/env bash
# Makes the API just built the published one that later builds are baselined against (run it when an API
# version is released, after `mvn -B verify` passed). Commit the result.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar=$(ls "$root"/bundles/nmodal.api/target/nmodal.api-*.jar | grep -v -- '-sources\|-javadoc' | head -n 1)
dir="$root/cnf/published/org/nmodal/nmodal.api/1.0.0-published"
mkdir -p "$dir"
cp "$jar" "$dir/nmodal.api-1.0.0-published.jar"
for f in "$dir"/*.jar "$dir"/*.pom; do sha1sum "$f" | cut -d' ' -f1 >"$f.sha1"; done
echo "published API: $jar -> $dir"
