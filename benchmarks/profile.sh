#!/usr/bin/env bash
# CPU profile of the full request (FullRequestBenchmarks' host): anonymous vs a cached whm token vs the token on an
# endpoint without a requirement. Each variant runs alone in `ApiTokens.Benchmarks profile` (3 s warm-up, then a
# steady loop); Linux perf samples the whole process at 999 Hz with call graphs while the loop runs, the runtime
# writes a perf map so JIT-compiled frames have names, and profile.py turns the stacks into CPU time per request by
# component. Needs `perf` (Debian: linux-perf) and permission to use it (root, or kernel.perf_event_paranoid <= 1).
#   benchmarks/profile.sh [--server Kestrel|TestServer] [--seconds N]     (defaults: Kestrel, 20)
# Output: benchmarks/results/profile-<server>.md (the table) and the raw perf data under results/profile/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
server=Kestrel seconds=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --server) server="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; exit 1; }

# A perf map for JIT-compiled code; no W^X double mapping (perf cannot map those pages) and no ReadyToRun code
# (precompiled framework code has no perf map entries), so every managed frame has a name.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0
dotnet build "$here/ApiTokens.Benchmarks/ApiTokens.Benchmarks.csproj" -c Release -nologo -v q >/dev/null
exe="$here/ApiTokens.Benchmarks/bin/Release/net10.0/ApiTokens.Benchmarks.dll"
raw="$here/results/profile"
mkdir -p "$raw"
record=$((seconds - 2))
args=()
for variant in anonymous token unprotected; do
  log="$raw/$server-$variant.log"
  dotnet "$exe" profile "$variant" --server "$server" --seconds "$seconds" > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q "profile: start" "$log" && break; sleep 0.1; done
  grep -q "profile: start" "$log" || { echo "the $variant loop did not start; see $log" >&2; kill "$pid" 2>/dev/null; exit 1; }
  perf record -F 999 -g -p "$pid" -o "$raw/$server-$variant.perf" -- sleep "$record" >/dev/null 2>&1
  wait "$pid"
  perf script -i "$raw/$server-$variant.perf" -F comm,tid,period,ip,sym --no-demangle 2>/dev/null | gzip > "$raw/$server-$variant.stacks.gz"
  rm -f "$raw/$server-$variant.perf"
  grep '^profile ' "$log"
  args+=(--variant "$variant" "$raw/$server-$variant.stacks.gz" "$log")
done
python3 "$here/profile.py" --server "$server" --record-seconds "$record" --frequency 999 "${args[@]}" \
  | tee "$here/results/profile-$server.md"
