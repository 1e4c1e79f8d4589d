#!/usr/bin/env bash
# wrk load test against samples/WhmAdmin on loopback: /json-api/version with a cached whm token vs /healthz,
# 10 s each. Prints requests/s, p50/p99 and the ratio. Needs wrk (apt-get install wrk).
#   WHMADMIN_AUTH   the Authorization header value to send, e.g. "whm root:ABC..." (required: a token of the sample)
#   WHMADMIN_URL    base address of an already running sample; if unset, the sample is started on 127.0.0.1:5180
#   LOAD_SECONDS    duration per endpoint (default 10), LOAD_CONNECTIONS (default 32), LOAD_THREADS (default 2)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
secs="${LOAD_SECONDS:-10}" conns="${LOAD_CONNECTIONS:-32}" threads="${LOAD_THREADS:-2}"

command -v wrk >/dev/null || { echo "load: wrk is not installed (apt-get install wrk)"; exit 1; }
if [[ ! -d "$root/samples/WhmAdmin" ]]; then
  echo "load: samples/WhmAdmin is not in this tree yet; load test not run"
  exit 1
fi
if [[ -z "${WHMADMIN_AUTH:-}" ]]; then
  echo "load: set WHMADMIN_AUTH to 'whm user:token' for a token of the sample; load test not run"
  exit 1
fi

pid=""
url="${WHMADMIN_URL:-}"
if [[ -z "$url" ]]; then
  url="http://127.0.0.1:5180"
  dotnet build "$root/samples/WhmAdmin" -c Release -nologo -v q >/dev/null
  (cd "$root/samples/WhmAdmin" && exec dotnet run -c Release --no-build --urls "$url") >/tmp/whmadmin-load.log 2>&1 &
  pid=$!
  trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 60); do curl -fs "$url/healthz" >/dev/null 2>&1 && break; sleep 1; done
fi

status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $WHMADMIN_AUTH" "$url/json-api/version")
[[ "$status" == 200 ]] || { echo "load: /json-api/version with the token answered $status, not 200"; exit 1; }

measure() { # name path [header]
  local args=(-t "$threads" -c "$conns" -d "${secs}s" --latency)
  [[ $# -ge 3 ]] && args+=(-H "Authorization: $3")
  wrk -d 2s -t "$threads" -c "$conns" ${3:+-H "Authorization: $3"} "$url$2" >/dev/null  # warm-up
  wrk "${args[@]}" "$url$2" | awk -v name="$1" '
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /^Requests\/sec/ {rps=$2} /Non-2xx/ {bad=$NF}
    END {printf "load %s: rps=%s p50=%s p99=%s non2xx=%s\n", name, rps, p50, p99, (bad==""?0:bad)}'
}
a=$(measure healthz /healthz)
b=$(measure "version-whm-cached" /json-api/version "$WHMADMIN_AUTH")
echo "$a"; echo "$b"
ra=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$a"); rb=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$b")
awk -v a="$ra" -v b="$rb" 'BEGIN {printf "load ratio: %.2fx (version with token rps / healthz rps)\n", b/a}'
