#!/usr/bin/env bash
# wrk load test against samples/WhmAdmin on loopback: /json-api/version with a cached whm token (privilege
# basic-whm-functions, root's token) vs the anonymous /livez, 10 s each. Prints requests/s, p50/p99 and the ratio.
# Self-contained on a fresh clone: builds the sample (Release), starts it on a free 127.0.0.1 port with a temp SQLite
# file and light Argon2 parameters, creates a token with the sample's CLI, runs wrk, stops the app, deletes the file.
# Needs wrk (apt-get install wrk), curl and python3 (for the free port).
#   LOAD_SECONDS    duration per endpoint (default 10), LOAD_CONNECTIONS (default 32), LOAD_THREADS (default 2)
#   WHMADMIN_URL + WHMADMIN_AUTH   use an already running sample instead ("whm user:token"); nothing is started
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
secs="${LOAD_SECONDS:-10}" conns="${LOAD_CONNECTIONS:-32}" threads="${LOAD_THREADS:-2}"

command -v wrk >/dev/null || { echo "load: wrk is not installed (apt-get install wrk)"; exit 1; }
command -v curl >/dev/null || { echo "load: curl is not installed"; exit 1; }
[[ -d "$root/samples/WhmAdmin" ]] || { echo "load: samples/WhmAdmin is not in this tree; load test not run"; exit 1; }

pid="" tmp=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  [[ -n "$tmp" ]] && rm -rf "$tmp"
}
trap cleanup EXIT

url="${WHMADMIN_URL:-}" auth="${WHMADMIN_AUTH:-}"
if [[ -z "$url" ]]; then
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
  dotnet build "$root/samples/WhmAdmin/WhmAdmin.csproj" -c Release -nologo -v q >/dev/null
  dll="$(ls "$root"/samples/WhmAdmin/bin/Release/net*/WhmAdmin.dll | head -1)"
  tmp="$(mktemp -d)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  url="http://127.0.0.1:$port"
  # The sample as shipped (its appsettings, logging included), on a throwaway database with light hashing: the
  # cached path never runs Argon2, the parameters only make the token's creation and first request fast.
  export ConnectionStrings__ApiTokens="Data Source=$tmp/whmadmin.db"
  export ApiTokens__Hashing__MemoryCost=64 ApiTokens__Hashing__TimeCost=1 ApiTokens__Hashing__Parallelism=1
  export WhmAdmin__RootPassword="load-test-$RANDOM$RANDOM" ASPNETCORE_ENVIRONMENT=Production
  token="$(dotnet "$dll" tokens create --user root --name "load-test" 2>"$tmp/cli.log" | tail -1)"
  [[ -n "$token" ]] || { echo "load: the sample's CLI printed no token:"; tail -5 "$tmp/cli.log"; exit 1; }
  auth="whm root:$token"
  dotnet "$dll" --urls "$url" >"$tmp/app.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do curl -fs "$url/livez" >/dev/null 2>&1 && break; sleep 0.5; done
fi
[[ -n "$auth" ]] || { echo "load: WHMADMIN_URL is set but WHMADMIN_AUTH is not"; exit 1; }

status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $auth" "$url/json-api/version")
[[ "$status" == 200 ]] || { echo "load: /json-api/version with the token answered $status, not 200"; [[ -n "$tmp" ]] && tail -20 "$tmp/app.log"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' "$url/json-api/version")
[[ "$status" == 401 ]] || { echo "load: /json-api/version without a token answered $status, not 401"; exit 1; }

measure() { # name path [authorization]
  local hdr=()
  [[ $# -ge 3 ]] && hdr=(-H "Authorization: $3")
  wrk -d 2s -t "$threads" -c "$conns" "${hdr[@]}" "$url$2" >/dev/null  # warm-up
  wrk -d "${secs}s" -t "$threads" -c "$conns" --latency "${hdr[@]}" "$url$2" | awk -v name="$1" '
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /^Requests\/sec/ {rps=$2} /Non-2xx/ {bad=$NF} /Socket errors/ {err=$0}
    END {printf "load %s: rps=%s p50=%s p99=%s non2xx=%s%s\n", name, rps, p50, p99, (bad==""?0:bad), (err==""?"":" (" err ")")}'
}
echo "# wrk ${secs}s per endpoint, $threads threads, $conns connections, keep-alive, against samples/WhmAdmin (Release, SQLite, $url); $(nproc) cores shared by wrk and the app"
a=$(measure livez /livez)
b=$(measure version-whm-cached /json-api/version "$auth")
echo "$a"; echo "$b"
ra=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$a"); rb=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$b")
awk -v a="$ra" -v b="$rb" 'BEGIN {printf "load ratio: %.2fx (version with whm token rps / livez rps)\n", b/a}'
