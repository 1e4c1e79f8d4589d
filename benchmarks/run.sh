#!/usr/bin/env bash
# Runs the ApiTokens benchmarks and the attack harness, then prints one line per figure with its ratio.
#   benchmarks/run.sh           full run (BenchmarkDotNet MediumRun job: out of process, 2 launches, 10 warm-ups,
#                               15 iterations; about 40 minutes here); regenerates RESULTS.md
#   benchmarks/run.sh --quick   short in-process job for every figure (a few minutes); results in results/quick/
#   benchmarks/run.sh --medium  in-process, 10 iterations of 250 ms (~10 min); regenerates RESULTS.md
#   benchmarks/run.sh --load    also (or with --load-only, only) the wrk load test (load.sh: builds and starts
#                               samples/WhmAdmin on a free loopback port with a temp SQLite file, ~1 min plus the build)
#   extra arguments after -- go to BenchmarkDotNet (e.g. -- --filter '*Authenticate*')
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

mode=full load=0 bench=1 bdn_extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) mode=quick ;;
    --medium) mode=medium ;;
    --load) load=1 ;;
    --load-only) load=1 bench=0 ;;
    --) shift; bdn_extra=("$@"); break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [[ $mode == quick ]]; then
  out="$here/results/quick"
  bdn_args=(--filter '*' --job short --inProcess --iterationTime 100 --warmupCount 2 --iterationCount 4)
  run_desc="quick: ShortRun in process, 100 ms iterations, 2 warm-ups, 4 iterations"
elif [[ $mode == medium ]]; then
  out="$here/results"
  bdn_args=(--filter '*' --job short --inProcess --iterationTime 250 --warmupCount 3 --iterationCount 10)
  run_desc="medium: in process, 250 ms iterations, 3 warm-ups, 10 iterations (not the full default job)"
else
  out="$here/results"
  # The default job's automatic iteration counts (up to 100 per benchmark) need well over an hour for the
  # 40 benchmarks on 2 cores; MediumRun (2 launches x 15 iterations, out of process) is BenchmarkDotNet's
  # standard job for stable numbers and fits in about 40 minutes.
  bdn_args=(--filter '*' --job medium)
  run_desc="full: BenchmarkDotNet MediumRun job (out of process, 2 launches, 10 warm-ups, 15 iterations)"
fi
mkdir -p "$out"
exe="$here/ApiTokens.Benchmarks/bin/Release/net10.0/ApiTokens.Benchmarks.dll"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$here/ApiTokens.Benchmarks/ApiTokens.Benchmarks.csproj" -c Release -nologo -v q >/dev/null

if [[ $bench == 1 ]]; then
  rm -rf "$out/bdn"
  (cd "$here/ApiTokens.Benchmarks" && dotnet "$exe" "${bdn_args[@]}" --artifacts "$out/bdn" "${bdn_extra[@]}") > "$out/benchmarkdotnet.log" 2>&1 \
    || { echo "BenchmarkDotNet failed; see $out/benchmarkdotnet.log" >&2; tail -30 "$out/benchmarkdotnet.log" >&2; exit 1; }
  # Keep only the exporters' output (markdown + JSON) next to the log.
  find "$out" -maxdepth 1 -name '*-report*' -delete
  cp "$out"/bdn/results/*-report-github.md "$out"/bdn/results/*-report-brief.json "$out"/
  rm -rf "$out/bdn"
  quick_flag=(); [[ $mode == quick ]] && quick_flag=(--quick)
  { dotnet "$exe" compare "${quick_flag[@]}"; dotnet "$exe" attack "${quick_flag[@]}"; } > "$out/attack.txt"
fi

if [[ $load == 1 ]]; then
  "$here/load.sh" > "$out/load.txt" || true
fi

report_args=(--results "$out" --attack "$out/attack.txt" --load "$out/load.txt" --svg "$out/auth.svg" --run "$run_desc")
if [[ $mode != quick ]]; then
  report_args+=(--write "$here/RESULTS.md")
fi
python3 "$here/report.py" "${report_args[@]}"
