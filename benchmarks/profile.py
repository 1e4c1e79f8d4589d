#!/usr/bin/env python3
"""Turns perf CPU samples of the full-request loop into CPU time per request, by component.

benchmarks/profile.sh runs `ApiTokens.Benchmarks profile <variant>` and samples the whole process with
`perf record -F 999 -g` (cpu-clock: only running threads are sampled, so this is CPU time, kernel included), with
the runtime's perf map naming JIT-compiled frames. Each sample goes to the deepest frame on its stack that matches
a component below (a socket send in the kernel counts for the server or the client that made it). CPU per
request = samples / frequency / the requests the loop sent while perf recorded. Client and server share the
process and its 2 cores, as in FullRequestBenchmarks.
"""
import argparse
import collections
import gzip
import json
import re

# (component, frame pattern, ancestor that must also be on the stack or None); first match from the leaf up wins.
COMPONENTS = [
    ("whm: HMAC-SHA256 of the secret", r"ApiTokenVerifier\.ComputeDigest", None),
    ("whm: claims principal", r"WhmTokenHandler\.CreatePrincipal", None),
    ("whm: cache lookup and checks", r"ApiTokens\.(Verification|Caching)\.|Caching\.Memory\.", None),
    ("whm: handler (header, result)", r"ApiTokens\.Authentication\.", None),
    ("ApiTokens: privilege requirement", r"ApiTokens\.Authorization\.Privilege(AuthorizationHandler|PolicyProvider)", None),
    ("endpoint", r"Routing\.EndpointMiddleware|RequestDelegateFactory|dynamicClass\.lambda_method", None),
    ("ApiTokens: result handler", r"ApiTokens\.Authorization\.PrivilegeForbiddenResultHandler", None),
    ("ASP.NET: AppContext switch read per authorized request", r"System\.AppContext\.", r"AuthorizationMiddleware"),
    ("ASP.NET: authorization (policy evaluator, service, context)",
     r"Microsoft\.AspNetCore\.Authorization\.|Policy\.PolicyEvaluator", None),
    ("ASP.NET: authentication handler base", r"Microsoft\.AspNetCore\.Authentication\.AuthenticationHandler`1", None),
    ("ASP.NET: authentication service and middleware",
     r"Microsoft\.AspNetCore\.Authentication\.(AuthenticationService|AuthenticationMiddleware|AuthenticationHandlerProvider|AuthenticationHttpContextExtensions)",
     None),
    ("routing", r"Microsoft\.AspNetCore\.Routing\.", None),
    ("server (Kestrel / TestServer, hosting)", r"Server\.Kestrel|AspNetCore\.TestHost|AspNetCore\.Hosting\.", None),
    ("client (HttpClient, benchmark loop)", r"System\.Net\.Http\.|FullRequestBenchmarks|PipelineProfileLoop", None),
]
SPIN = re.compile(r"LowLevelSpinWaiter|sched_yield|SpinWait|Thread\.SpinWait|Thread\.Yield")
COMPILED = [(name, re.compile(p), re.compile(a) if a else None) for name, p, a in COMPONENTS]
OTHER = "other (thread pool, sockets, GC, JIT, runtime)"


def short(symbol):
    """'instance void [Asm] Ns.Type+Inner::Method(args)[OptimizedTier1]' -> 'Ns.Type+Inner.Method'."""
    symbol = re.sub(r"\(.*$", "", symbol)
    symbol = symbol.rsplit("] ", 1)[-1]
    return symbol.replace("::", ".")


def classify(frames):
    """frames: leaf first. The deepest frame that matches a component names the sample."""
    if any(SPIN.search(f) for f in frames[:6]):
        return "thread pool spinning"
    joined = "\n".join(frames)
    for frame in frames:
        for name, pattern, ancestor in COMPILED:
            if pattern.search(frame) and (ancestor is None or ancestor.search(joined)):
                return name
    return OTHER


def load(path):
    """perf script -F comm,tid,period,ip,sym output (gzip): samples separated by blank lines, frames leaf first."""
    totals = collections.Counter()
    frames = []
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(("\t", " ")) and line.strip():
                parts = line.strip().split(None, 1)
                frames.append(short(parts[1]) if len(parts) > 1 else "?")
            elif not line.strip():
                if frames:
                    totals[classify(frames)] += 1
                frames = []
        if frames:
            totals[classify(frames)] += 1
    return totals


def requests(log_path):
    with open(log_path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^profile \S+ \S+: requests=(\d+) .*?seconds=([\d.]+) ns_per_request=(\d+).*$", text, re.M)
    if not m:
        raise SystemExit(f"{log_path}: no 'profile ...' line")
    return int(m.group(1)), float(m.group(2)), m.group(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", nargs=3, action="append", metavar=("NAME", "STACKS", "LOG"), required=True)
    parser.add_argument("--server", default="")
    parser.add_argument("--frequency", type=float, default=999)
    parser.add_argument("--record-seconds", type=float, required=True, help="how long perf recorded")
    args = parser.parse_args()
    columns = []
    for name, stacks, log in args.variant:
        count, loop_seconds, line = requests(log)
        # perf recorded the first record-seconds of the loop; the loop's rate gives the requests in that window.
        in_window = count * min(args.record_seconds, loop_seconds) / loop_seconds
        totals = load(stacks)
        per_sample_us = 1e6 / args.frequency
        columns.append((name, {k: v * per_sample_us / in_window for k, v in totals.items()}, line))

    names = [c[0] for c in columns]
    two = len(names) > 1
    print(f"### CPU time per request by component{' (' + args.server + ')' if args.server else ''}, microseconds")
    print()
    print("| component | " + " | ".join(names) + (f" | {names[1]} − {names[0]} |" if two else " |"))
    print("|---|" + "---:|" * (len(names) + (1 if two else 0)))
    order = [c[0] for c in COMPONENTS] + ["thread pool spinning", OTHER]
    for component in order:
        values = [c[1].get(component, 0.0) for c in columns]
        if max(values) < 0.05:
            continue
        cells = " | ".join(f"{v:.2f}" for v in values)
        diff = f" | {values[1] - values[0]:+.2f}" if two else ""
        print(f"| {component} | {cells}{diff} |")
    sums = [sum(c[1].values()) for c in columns]
    print("| **total CPU per request** | " + " | ".join(f"**{s:.2f}**" for s in sums)
          + (f" | **{sums[1] - sums[0]:+.2f}** |" if two else " |"))
    print()
    for name, _, line in columns:
        print(f"- {name}: `{line}`")


if __name__ == "__main__":
    main()
