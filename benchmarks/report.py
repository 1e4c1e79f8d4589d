#!/usr/bin/env python3
"""Reads BenchmarkDotNet's brief JSON reports (and the attack/load outputs), prints one line per figure with its
ratio, checks the targets of issue 7, draws the SVG chart and, with --write, regenerates RESULTS.md.
Standard library only."""
import argparse
import glob
import html
import json
import os
import platform
import re
import subprocess
import sys

AUTH = "AuthenticateBenchmarks"


def load(results_dir):
    rows, host = [], None
    for path in sorted(glob.glob(os.path.join(results_dir, "*-report-brief.json"))):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        host = host or data.get("HostEnvironmentInfo")
        for b in data["Benchmarks"]:
            stats = b.get("Statistics") or {}
            mean = stats.get("Mean")
            if mean is None:
                continue
            rows.append({
                "type": b["Type"],
                "method": b["Method"],
                "title": b["MethodTitle"].strip("'"),
                "params": b.get("Parameters") or "",
                "mean": mean,
                "error": (stats.get("ConfidenceInterval") or {}).get("Margin", float("nan")),
                "alloc": (b.get("Memory") or {}).get("BytesAllocatedPerOperation"),
            })
    return rows, host


def find(rows, type_, method, params=""):
    for r in rows:
        if r["type"] == type_ and r["method"] == method and r["params"] == params:
            return r
    return None


def fmt_time(ns):
    if ns is None:
        return "n/a"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}" if ns / scale < 100 else f"{ns / scale:.0f} {unit}"
    return f"{ns:.3g} ns"


def fmt_bytes(b):
    if b is None:
        return "n/a"
    return f"{b} B" if b < 1024 else f"{b / 1024:.2f} KB"


BASELINES = {
    "AuthenticateBenchmarks": ("Anonymous", None),
    "FullRequestBenchmarks": ("Anonymous", None),
    "HeaderParsingBenchmarks": ("WhmHeader", None),
    "ScaleBenchmarks": (None, "Tokens=1"),
    "SqliteScaleBenchmarks": (None, "Rows=1"),
    "PolicyBenchmarks": (None, "Privileges=1"),
    "HashingBenchmarks": (None, None),
    "HasherBenchmarks": (None, "Hasher=Isopoh"),
}


def baseline_for(rows, r):
    method, params = BASELINES.get(r["type"], (None, None))
    if method:
        return find(rows, r["type"], method, r["params"])
    if params:
        return find(rows, r["type"], r["method"], params)
    return None


def figure_lines(rows):
    lines = []
    for r in rows:
        base = baseline_for(rows, r)
        ratio = f"{r['mean'] / base['mean']:.2f}x vs {base['title'] if base['method'] != r['method'] else base['params']}" if base else ""
        name = r["title"] + (f" [{r['params']}]" if r["params"] else "")
        extra = ""
        if r["type"] == AUTH and r["method"] == "WhmCached":
            peers = [(m, find(rows, AUTH, m)) for m in ("JwtBearer", "BearerToken", "BasicAuth")]
            extra = " | " + ", ".join(f"{p['title']} {r['mean'] / p['mean']:.2f}x" for _, p in peers if p)
        lines.append(f"{r['type'].replace('Benchmarks', ''):<14} {name:<58} {fmt_time(r['mean']):>10} {fmt_bytes(r['alloc']):>10}  {ratio}{extra}")
    return lines


def compare_lines(attack):
    found = {}
    for line in attack:
        m = re.match(r"compare (.+?): median_ns=(\d+) alloc_b=(\d+)", line)
        if m:
            found[m.group(1)] = (float(m.group(2)), int(m.group(3)))
    return found


def targets(rows, attack=()):
    out = []

    def add(name, ok, detail):
        out.append((name, "met" if ok else ("NOT met" if ok is not None else "not measured"), detail))

    cached = find(rows, AUTH, "WhmCached")
    jwt, bearer, basic = find(rows, AUTH, "JwtBearer"), find(rows, AUTH, "BearerToken"), find(rows, AUTH, "BasicAuth")
    if cached and jwt:
        add("cached whm faster than JWT bearer", cached["mean"] < jwt["mean"], f"{cached['mean'] / jwt['mean']:.2f}x JWT's time")
        add("allocation no larger than JWT bearer's", cached["alloc"] <= jwt["alloc"], f"{fmt_bytes(cached['alloc'])} vs {fmt_bytes(jwt['alloc'])}")
    if cached and bearer:
        add("cached whm faster than built-in bearer token", cached["mean"] < bearer["mean"], f"{cached['mean'] / bearer['mean']:.2f}x bearer's time")
    if cached and basic:
        add("cached whm within 1.5x of basic auth", cached["mean"] <= 1.5 * basic["mean"], f"{cached['mean'] / basic['mean']:.2f}x basic's time")
    for method, label in (("Cached", "cached"), ("Cold", "cold")):
        one, million = find(rows, "ScaleBenchmarks", method, "Tokens=1"), find(rows, "ScaleBenchmarks", method, "Tokens=1000000")
        if one and million:
            add(f"scale flat: 1M tokens within 1.1x of 1 token ({label}, in-memory)", million["mean"] <= 1.1 * one["mean"], f"{million['mean'] / one['mean']:.2f}x")
    for method, label in (("Cached", "cached"), ("Cold", "cold"), ("StoreLookup", "store lookup alone")):
        one, many = find(rows, "SqliteScaleBenchmarks", method, "Rows=1"), find(rows, "SqliteScaleBenchmarks", method, "Rows=100000")
        if one and many:
            add(f"scale flat on SQLite: 100,000 rows within 1.1x of 1 row ({label})", many["mean"] <= 1.1 * one["mean"], f"{many['mean'] / one['mean']:.2f}x")
    for server in ("TestServer", "Kestrel"):
        anon, tok = find(rows, "FullRequestBenchmarks", "Anonymous", f"Server={server}"), find(rows, "FullRequestBenchmarks", "WithToken", f"Server={server}")
        if anon and tok:
            add(f"full request ({server}) with token >= 0.85x anonymous throughput", anon["mean"] / tok["mean"] >= 0.85, f"{anon['mean'] / tok['mean']:.2f}x throughput")
    for line in attack:
        m = re.match(r"compare full request (\S+): .*throughput_ratio=([0-9.]+)", line)
        if m:
            r = float(m.group(2))
            add(f"(interleaved) full request ({m.group(1)}) with token >= 0.85x anonymous throughput", r >= 0.85, f"{r:.2f}x throughput")
    for line in attack:
        m = re.match(r"load ratio: ([0-9.]+)x", line)
        if m:
            r = float(m.group(1))
            add("(wrk, samples/WhmAdmin) /json-api/version with token >= 0.85x /healthz throughput", r >= 0.85, f"{r:.2f}x throughput")
    cmp = compare_lines(attack)
    w = cmp.get("whm cached")
    if w:
        for peer, limit, label in (("JWT bearer HS256", 1.0, "faster than JWT bearer"), ("ASP.NET bearer token", 1.0, "faster than built-in bearer token"),
                                   ("idunno basic", 1.5, "within 1.5x of basic auth")):
            if peer in cmp:
                r = w[0] / cmp[peer][0]
                add(f"(interleaved) cached whm {label}", r < limit if limit == 1.0 else r <= limit, f"{r:.2f}x {peer}'s median time")
    return out


def svg_chart(rows, path):
    order = ["Anonymous", "BasicAuth", "WhmCached", "BearerToken", "JwtBearer"]
    bars = [find(rows, AUTH, m) for m in order]
    bars = [b for b in bars if b]
    cold = find(rows, AUTH, "WhmCold")
    if not bars:
        return False
    width, left, bar_h, gap, top = 760, 230, 26, 12, 40
    height = top + len(bars) * (bar_h + gap) + 60
    vmax = max(b["mean"] for b in bars) * 1.15
    scale = (width - left - 120) / vmax
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="13">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{width / 2}" y="22" text-anchor="middle" font-weight="bold">Time per authenticated request (AuthenticateAsync, mean; lower is better)</text>',
    ]
    for i, b in enumerate(bars):
        y = top + i * (bar_h + gap)
        w = max(1.0, b["mean"] * scale)
        color = "#2b7bb9" if b["method"] == "WhmCached" else ("#bbbbbb" if b["method"] == "Anonymous" else "#e08a2c")
        parts.append(f'<text x="{left - 8}" y="{y + bar_h * 0.68}" text-anchor="end">{html.escape(b["title"])}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}"/>')
        parts.append(f'<text x="{left + w + 6:.1f}" y="{y + bar_h * 0.68}">{fmt_time(b["mean"])} · {fmt_bytes(b["alloc"])}</text>')
    y = top + len(bars) * (bar_h + gap) + 20
    if cold:
        parts.append(f'<text x="{left}" y="{y}" fill="#555">Off scale: {html.escape(cold["title"])} = {fmt_time(cold["mean"])} (once per token per cache lifetime)</text>')
    parts.append('</svg>')
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(parts) + "\n")
    return True


def machine(host):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            m = re.search(r"model name\s*:\s*(.+)", f.read())
            cpu = m.group(1).strip() if m else cpu
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kb = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1))
            mem = f"{kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    h = host or {}
    return (f"{cpu}, {h.get('LogicalCoreCount', os.cpu_count())} logical cores, {mem}; {h.get('OsVersion', platform.platform())}; "
            f"{h.get('RuntimeVersion', '?')}, SDK {h.get('DotNetCliVersion', '?')}, BenchmarkDotNet {h.get('BenchmarkDotNetVersion', '?')}")


def tables(rows):
    out, types = [], []
    for r in rows:
        if r["type"] not in types:
            types.append(r["type"])
    for t in types:
        out += [f"### {t}", "", "| Benchmark | Params | Mean | ± (99.9% CI) | Ratio | Allocated |", "|---|---|---:|---:|---:|---:|"]
        for r in (x for x in rows if x["type"] == t):
            base = baseline_for(rows, r)
            ratio = f"{r['mean'] / base['mean']:.2f}" if base else "-"
            out.append(f"| {r['title']} | {r['params'] or '-'} | {fmt_time(r['mean'])} | {fmt_time(r['error'])} | {ratio} | {fmt_bytes(r['alloc'])} |")
        out.append("")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True, help="folder with BenchmarkDotNet's *-report-brief.json")
    ap.add_argument("--attack", help="attack harness output")
    ap.add_argument("--load", help="load test output")
    ap.add_argument("--svg", help="write the handler chart here")
    ap.add_argument("--write", help="regenerate this RESULTS.md")
    ap.add_argument("--run", default="", help="how the run was made (job), for RESULTS.md")
    args = ap.parse_args()

    rows, host = load(args.results)
    if not rows:
        print(f"no BenchmarkDotNet results in {args.results}", file=sys.stderr)
        return 1
    for line in figure_lines(rows):
        print(line)
    attack = open(args.attack, encoding="utf-8").read().strip().splitlines() if args.attack and os.path.exists(args.attack) else []
    load_lines = open(args.load, encoding="utf-8").read().strip().splitlines() if args.load and os.path.exists(args.load) else []
    for line in attack + load_lines:
        print(line)
    checks = targets(rows, attack + load_lines)
    for name, status, detail in checks:
        print(f"target {status:<12} {name}: {detail}")
    if args.svg:
        svg_chart(rows, args.svg)

    if args.write:
        chart = os.path.relpath(args.svg, os.path.dirname(os.path.abspath(args.write))) if args.svg else None
        md = ["# Benchmark results", "",
              "Generated by `benchmarks/run.sh` (`benchmarks/report.py`) from BenchmarkDotNet's JSON in `benchmarks/results/`. "
              "Do not edit by hand: rerun the script.", "",
              f"- Machine: {machine(host)}",
              f"- Run: {args.run or 'BenchmarkDotNet default job'}",
              "- Absolute times on 2 cores are noisy; compare the ratios, which come from one run.",
              ""]
        if chart:
            md += [f"![Time per authenticated request by handler]({chart})", ""]
        md += ["## Targets (cached `whm` path)", "", "| Target | Result | Measured |", "|---|---|---|"]
        md += [f"| {n} | {s} | {d} |" for n, s, d in checks]
        md += ["", "## Figures", ""] + tables(rows)
        md += ["## Interleaved handler comparison, attack and concurrency (attack: Argon2 at default parameters)", "", "```"] + (attack or ["(not run)"]) + ["```", ""]
        md += ["## Load test (wrk, samples/WhmAdmin)", "", "```"] + (load_lines or ["(not run: see run.sh --load)"]) + ["```", ""]
        here = os.path.dirname(os.path.abspath(__file__))
        profiles = [os.path.join(here, "results", f"profile-{server}.md") for server in ("Kestrel", "TestServer")]
        profiles = [p for p in profiles if os.path.exists(p)]
        if profiles:
            md += ["## CPU profile of the full request (`benchmarks/profile.sh`, perf at 999 Hz)", "",
                   "One variant at a time in a steady loop; CPU time per request by component, kernel included, "
                   "client and server in one process as in the full-request benchmark. Regenerate with "
                   "`benchmarks/profile.sh --server Kestrel` and `--server TestServer`; not part of `run.sh`.", ""]
            for p in profiles:
                md += [open(p, encoding="utf-8").read().strip().replace("### ", "#### ", 1), ""]
        notes = os.path.join(here, "NOTES.md")
        if os.path.exists(notes):
            md += [open(notes, encoding="utf-8").read().strip(), ""]
        with open(args.write, "w", encoding="utf-8") as f:
            f.write("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
