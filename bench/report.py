#!/usr/bin/env python3
"""Turns the raw figures of bench/run.sh (JSON lines) into the Markdown report and the PNG chart.

Usage: report.py RESULTS.jsonl REPORT.md CHART.png
Only the standard library and matplotlib (Debian's python3-matplotlib); without matplotlib the report is
written and the chart is skipped with a note.
"""
import json
import os
import sys

# issue 19's targets. "Added" is Sluice minus its floor (the bare proxy, bench/BareProxy.java) at the same rate in
# the same run; ratios are to the floor measured in the same run (the bare proxy, or bench/bare-quarkus for start-up).
TARGETS = {
    "added_p50_500": 0.3,     # ms, Sluice − bare proxy at 500 req/s open loop
    "added_p99_500": 2.0,     # ms, same
    "rps_ratio": 0.5,         # Sluice's throughput at saturation ÷ the bare proxy's, zero errors
    "cpu_ratio": 2.0,         # Sluice's CPU per request at saturation ÷ the bare proxy's
    "cpu_us_500": 300,        # Sluice's CPU per request at a steady 500 req/s
    "added_ttft": 0.5,        # ms, Sluice − bare proxy, time to first token p50
    "startup_ratio": 1.5,     # Sluice's time to its first served request ÷ the bare Quarkus app's, same JDK and mode
    "rss_mb": 200,            # under load, JVM mode
}
LABEL = {"direct": "direct", "floor": "bare proxy", "sluice": "Sluice"}
STARTUP_MODES = (("jdk17", "JDK 17"), ("jdk25", "JDK 25, no AOT cache"), ("jdk25-aot", "JDK 25 + AOT cache"))


def load(path):
    recs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                recs.append(json.loads(line))
            except json.JSONDecodeError as e:
                print(f"report.py: line {n} of {path} is not JSON ({e}): {line[:200]}", file=sys.stderr)
    return recs


def fmt(v, digits=2):
    if v is None or v == "":
        return "–"
    if isinstance(v, str):
        return v
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) >= 100):
        return f"{int(v):,}"
    return f"{v:,.{digits}f}"


def wrk_ms(s):
    """wrk's latency figures ('812.00us', '1.21ms', '2.00s') in ms."""
    if s is None or s == "":
        return None
    s = str(s)
    for unit, f in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if s.endswith(unit):
            try:
                return float(s[: -len(unit)]) * f
            except ValueError:
                return None
    try:
        return float(s)
    except ValueError:
        return None


def table(headers, rows):
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(out)


def verdict(ok):
    if ok is None:
        return "not measured"
    return "**PASS**" if ok else "**MISS**"


def main():
    results, report_path, chart_path = sys.argv[1], sys.argv[2], sys.argv[3]
    recs = load(results)
    machine = next((r for r in recs if r.get("kind") == "machine"), {})
    end = next((r for r in recs if r.get("kind") == "end"), {})
    clk = float(machine.get("clk_tck", 100))

    def cpu_us(ticks, requests):
        if not requests or ticks is None:
            return None
        return ticks / clk * 1e6 / requests

    rate = [r for r in recs if r.get("mode") == "rate" and r.get("scenario") == "overhead"]
    thr = [r for r in recs if r.get("scenario") == "throughput"]
    ttft = {r["target"]: r for r in recs if r.get("scenario") == "stream-ttft"}
    conc = {r["target"]: r for r in recs if r.get("scenario") == "stream-concurrent"}
    rss = {r["phase"]: r for r in recs if r.get("kind") == "rss"}
    rss_phase = [r for r in recs if r.get("kind") == "rss-phase"]
    soak_samples = [r for r in recs if r.get("kind") == "soak-sample"]
    soak_end = next((r for r in recs if r.get("kind") == "soak-end"), None)
    soak_rate = next((r for r in recs if r.get("scenario") == "soak"), None)
    soak_streams = next((r for r in recs if r.get("scenario") == "soak-streams"), None)
    startup = [r for r in recs if r.get("kind") == "startup"]
    aot = next((r for r in recs if r.get("kind") == "aot"), None)
    extraction = next((r for r in recs if r.get("kind") == "extraction"), None)
    ledger = next((r for r in recs if r.get("kind") == "ledger"), None)
    probe = next((r for r in recs if r.get("kind") == "probe" and not r.get("variant")),
                 next((r for r in recs if r.get("kind") == "probe"), None))
    obs = observability_rows(recs, cpu_us)

    by_rate = {}
    for r in rate:
        by_rate.setdefault(r["offered_rps"], {})[r["target"]] = r
    rates = sorted(by_rate)

    def added(rt, key, base="direct"):
        d = by_rate.get(rt, {})
        if base in d and "sluice" in d and key in d[base] and key in d["sluice"]:
            return d["sluice"][key] - d[base][key]
        return None

    thr_by = {(r["target"], int(r["connections"])): r for r in thr}

    # ---------------------------------------------------------------- targets
    t_rows = target_rows(by_rate, thr_by, ttft, conc, thr, startup, soak_samples, soak_end, cpu_us)
    soak_growth = t_rows.pop()

    # ---------------------------------------------------------------- report
    L = []
    L.append(f"# Sluice benchmark — {machine.get('date', '')[:10]} ({os.path.basename(results)[11:-6]})")
    L.append("")
    L.append(f"Produced by `{machine.get('invocation', 'bash bench/run.sh')}` from the repository root "
             f"(commit {machine.get('commit', '?')}), in {int(end.get('wall_s', 0)) // 60} min "
             f"{int(end.get('wall_s', 0)) % 60} s. Raw figures: `{os.path.basename(results)}`; chart: "
             f"`{os.path.basename(chart_path)}`.")
    L.append("")
    L.append("Sluice ran from the packaged jar (`java -jar target/quarkus-app/quarkus-run.jar`, default JVM options"
             + (f" plus `{machine['knobs'].split('SLUICE_JAVA_OPTS=')[1]}`" if "SLUICE_JAVA_OPTS=" in machine.get("knobs", "") else "")
             + ") with authentication on, every proxied request carrying a virtual key created with "
             "`POST /admin/keys {\"name\":\"bench\",\"unlimited\":true}`, and the usage ledger on (embedded SQLite in "
             "`SLUICE_DATA_DIR`, `synchronous=FULL`). The upstream is `bench/MockUpstream.java` (Vert.x, 2 event "
             "loops, separate JVM); load comes from `bench/LoadGenerator.java` (open-loop, fixed rate, latency from "
             "the intended send time) and wrk. Mock, load generators and Sluice share the machine's cores.")
    L.append("")
    prof = next((r for r in recs if r.get("kind") == "profile"), None)
    if prof:
        L.append(f"**Profiled run** (`PROFILE={prof.get('mode')}`): a CPU profiler sampled Sluice during the measured "
                 f"scenarios, which costs throughput; the hottest frames are in `{prof.get('file')}`. Do not compare "
                 "these figures with unprofiled runs.")
        L.append("")
    warm = next((r for r in recs if r.get("kind") == "warmup" and not r.get("variant") and not r.get("target")), None)
    floor_warm = next((r for r in recs if r.get("kind") == "warmup" and r.get("target") == "floor"), None)
    if warm:
        L.append(f"Before any measurement Sluice was warmed up for {warm.get('seconds')} s with wrk (64 connections, "
                 f"10 s rounds until two agreed within 10 %; req/s per round: {warm.get('rounds')}): on 2 cores the "
                 "JIT needs about that long before the request path runs at full speed."
                 + (f" The bare proxy was warmed up the same way ({floor_warm.get('seconds')} s; req/s per round: "
                    f"{floor_warm.get('rounds')})." if floor_warm else ""))
        L.append("")
    L.append(table(["Machine", ""], [
        ["Cores (nproc)", machine.get("nproc", "?")], ["CPU", machine.get("cpu", "?")],
        ["Memory", f"{machine.get('mem_gib', '?')} GiB"], ["Kernel", machine.get("kernel", "?")],
        ["Java", machine.get("java", "?")], ["Load average before the run (1/5/15 min)", machine.get("load_before", "?")],
        ["Load average after the run", end.get("load_after", "?")], ["ulimit -n", machine.get("ulimit_n", "?")],
        ["Knobs", f"`{machine.get('knobs', '')}`"],
    ]))
    L.append("")
    L.append("## Targets")
    L.append("")
    L.append("Every figure next to its floor measured in this invocation: the bare Vert.x proxy "
             "(`bench/BareProxy.java`: bearer key check, JSON parse with Jackson, forward, relay — nothing else; same "
             "mock, same load, same JVM options, warmed up the same way) for throughput, CPU and latency, and the "
             "bare Quarkus REST app (`bench/bare-quarkus`, same Quarkus version, one JSON resource) for start-up. "
             "Absolute figures move by a third from hour to hour on this shared machine; the ratio to a floor run "
             "minutes apart is what stays comparable. Saturation: each target's best wrk run over the concurrencies "
             "measured. CPU per request: the process's utime + stime over the run ÷ its requests.")
    L.append("")
    L.append(table(["Target", "Goal", "Sluice", "Floor", "Sluice vs floor", "Result"], t_rows))
    L.append("")

    if rates:
        L.append("## Overhead at fixed rates (non-streaming)")
        L.append("")
        L.append("Open-loop load at a fixed rate (up to 256 connections); latency is measured from each request's "
                 "*intended* send time to the last byte of its response, so stalls are not hidden (coordinated "
                 "omission accounted for). A 3 s warm-up at the same rate precedes each measured run. "
                 f"Measured runs: {rate[0].get('duration_s', '?')} s each. Times in ms.")
        L.append("")
        rows = []
        for rt in rates:
            for tg in ("direct", "floor", "sluice"):
                r = by_rate[rt].get(tg)
                if not r:
                    continue
                cpu = cpu_us(r.get("sluice_cpu_ticks" if tg == "sluice" else "floor_cpu_ticks"),
                             r.get("requests_incl_warmup")) if tg != "direct" else None
                rows.append([f"{int(rt):,}", LABEL[tg], fmt(r.get("achieved_rps"), 0), fmt(r.get("latency_p50_ms"), 3),
                             fmt(r.get("latency_p90_ms"), 3), fmt(r.get("latency_p99_ms"), 3),
                             fmt(r.get("latency_p999_ms"), 3), fmt(r.get("latency_max_ms"), 3),
                             fmt(r.get("service_p50_ms"), 3),
                             int(r.get("errors", 0)) + int(r.get("non2xx", 0)),
                             fmt(cpu, 1) if cpu is not None else ""])
            rows.append([f"{int(rt):,}", "**Sluice − direct**", "", *(f"**{fmt(added(rt, k), 3)}**" for k in (
                "latency_p50_ms", "latency_p90_ms", "latency_p99_ms", "latency_p999_ms", "latency_max_ms",
                "service_p50_ms")), "", ""])
            if "floor" in by_rate[rt]:
                rows.append([f"{int(rt):,}", "**Sluice − bare proxy**", "", *(
                    f"**{fmt(added(rt, k, 'floor'), 3)}**" for k in (
                        "latency_p50_ms", "latency_p90_ms", "latency_p99_ms", "latency_p999_ms", "latency_max_ms",
                        "service_p50_ms")), "", ""])
        L.append(table(["Offered req/s", "Target", "Achieved req/s", "p50", "p90", "p99", "p99.9", "max",
                        "service p50", "Errors", "Proxy CPU µs/req"], rows))
        L.append("")
        hdr = [(rt, by_rate[rt]["sluice"]) for rt in rates if "sluice" in by_rate[rt]
               and "sluice_overhead_header_p50_ms" in by_rate[rt]["sluice"]]
        if hdr:
            L.append("Sluice's own account of its time (`x-sluice-overhead-ms` response header: time in Sluice minus "
                     "time waiting on the upstream): " + "; ".join(
                         f"{int(rt):,} req/s: p50 {r['sluice_overhead_header_p50_ms']:.3f} ms, p99 "
                         f"{r['sluice_overhead_header_p99_ms']:.3f} ms" for rt, r in hdr) + ".")
            L.append("")

    if thr:
        L.append("## Maximum throughput (non-streaming)")
        L.append("")
        L.append(f"`wrk -t2 -c<N> -d{thr[0].get('duration_s')}s --latency` with a POST script, after a 3 s warm-up at "
                 "the same concurrency (closed loop: latency here is not corrected for coordinated omission). "
                 "Errors = non-2xx responses + socket errors (connect, read, write, timeout).")
        L.append("")
        rows = []
        for c in sorted({k[1] for k in thr_by}):
            for tg in ("direct", "floor", "sluice"):
                r = thr_by.get((tg, c))
                if not r:
                    continue
                proxy_cpu = {"sluice": "sluice_cpu_ticks", "floor": "floor_cpu_ticks"}.get(tg)
                proxy_rss = {"sluice": "rss_peak_kb", "floor": "floor_rss_end_kb"}.get(tg)
                rows.append([c, LABEL[tg], fmt(r.get("rps"), 0), fmt(r.get("requests")), r.get("p50"), r.get("p90"),
                             r.get("p99"), r.get("max"), int(r.get("non2xx", 0)) + int(r.get("socket_errors", 0)),
                             fmt(cpu_us(r.get(proxy_cpu), r.get("requests")), 1) if proxy_cpu else "",
                             fmt(cpu_us(r.get("mock_cpu_ticks"), r.get("requests")), 1),
                             f"{r.get(proxy_rss, 0) / 1024:,.0f}" if proxy_rss else ""])
            s, f = thr_by.get(("sluice", c)), thr_by.get(("floor", c))
            if s and f and f.get("rps"):
                cs = cpu_us(s.get("sluice_cpu_ticks"), s.get("requests"))
                cf = cpu_us(f.get("floor_cpu_ticks"), f.get("requests"))
                rows.append([c, "**Sluice ÷ bare proxy**", f"**{s['rps'] / f['rps']:.2f}×**", "", "", "", "", "", "",
                             f"**{cs / cf:.2f}×**" if cs and cf else "", "", ""])
        L.append(table(["Connections", "Target", "req/s", "Requests", "p50", "p90", "p99", "max", "Errors",
                        "Proxy CPU µs/req", "Mock CPU µs/req", "Proxy RSS MB (Sluice: peak; bare proxy: at the end)"],
                       rows))
        L.append("")

    # CPU per request across scenarios
    cpu_rows = []
    for rt in rates:
        r = by_rate[rt].get("sluice")
        if r:
            cpu_rows.append([f"fixed rate {int(rt):,} req/s", fmt(r.get("requests_incl_warmup")),
                             fmt(r.get("sluice_cpu_ticks") / clk, 2),
                             fmt(cpu_us(r.get("sluice_cpu_ticks"), r.get("requests_incl_warmup")), 1)])
        r = by_rate[rt].get("floor")
        if r:
            cpu_rows.append([f"fixed rate {int(rt):,} req/s, bare proxy (floor)", fmt(r.get("requests_incl_warmup")),
                             fmt(r.get("floor_cpu_ticks", 0) / clk, 2),
                             fmt(cpu_us(r.get("floor_cpu_ticks"), r.get("requests_incl_warmup")), 1)])
    for c in sorted({k[1] for k in thr_by}):
        r = thr_by.get(("sluice", c))
        if r:
            cpu_rows.append([f"wrk, {c} connections", fmt(r.get("requests")), fmt(r.get("sluice_cpu_ticks") / clk, 2),
                             fmt(cpu_us(r.get("sluice_cpu_ticks"), r.get("requests")), 1)])
        r = thr_by.get(("floor", c))
        if r:
            cpu_rows.append([f"wrk, {c} connections, bare proxy (floor)", fmt(r.get("requests")),
                             fmt(r.get("floor_cpu_ticks", 0) / clk, 2),
                             fmt(cpu_us(r.get("floor_cpu_ticks"), r.get("requests")), 1)])
    for name, d in (("streams, TTFT run", ttft), ("streams, concurrent run", conc)):
        r = d.get("sluice")
        if r:
            n = r.get("streams", 0) + r.get("warmup_streams", 0)   # the CPU covers the unmeasured streams too
            chunks = n * r.get("chunks", 0)
            cpu_rows.append([f"{name} ({fmt(n)} streams, {fmt(chunks)} chunks)", fmt(n), fmt(r.get("sluice_cpu_ticks") / clk, 2),
                             f"{fmt(cpu_us(r.get('sluice_cpu_ticks'), n), 1)} per stream, "
                             f"{fmt(cpu_us(r.get('sluice_cpu_ticks'), chunks), 1)} per chunk"])
    if cpu_rows:
        L.append("## CPU cost per proxied request")
        L.append("")
        L.append(f"Sluice's (or the bare proxy's) process CPU time (utime + stime from `/proc/<pid>/stat`, {int(clk)} ticks/s) over the run "
                 "divided by the requests completed in it — the figure that stays comparable on a noisy machine. "
                 "Fixed-rate runs include their 3 s warm-up in both the CPU time and the request count.")
        L.append("")
        L.append(table(["Run", "Requests", "CPU s", "CPU µs per request"], cpu_rows))
        L.append("")

    if ttft or conc:
        L.append("## Streaming")
        L.append("")
        L.append("The mock numbers each content chunk (`\"<i>:<nanoTime when sent>\"`); the client checks every stream "
                 "(chunks 0..n−1 each exactly once, in order, then `[DONE]`). Time to first token: request sent → "
                 "chunk 0 received. Chunk delay: mock's send time → client's receive time (same machine, same "
                 "monotonic clock). Times in ms.")
        L.append("")
        rows = []
        for label, d in (("TTFT run", ttft), ("concurrent run", conc)):
            for tg in ("direct", "floor", "sluice"):
                r = d.get(tg)
                if not r:
                    continue
                rows.append([label, LABEL[tg], fmt(r.get("streams")), fmt(r.get("concurrency")),
                             f"{r.get('chunks')} × {r.get('gap_ms')} ms",
                             fmt(r.get("ttft_p50_ms"), 3), fmt(r.get("ttft_p99_ms"), 3), fmt(r.get("ttft_max_ms"), 3),
                             fmt(r.get("chunk_delay_p50_ms"), 3), fmt(r.get("chunk_delay_p99_ms"), 3),
                             fmt(r.get("chunk_delay_max_ms"), 3), fmt(r.get("wall_s"), 2)])
            if "direct" in d and "sluice" in d:
                a, b = d["direct"], d["sluice"]
                rows.append([label, "**Sluice − direct**", "", "", "", *(f"**{fmt(b.get(k, 0) - a.get(k, 0), 3)}**" for k in (
                    "ttft_p50_ms", "ttft_p99_ms", "ttft_max_ms", "chunk_delay_p50_ms", "chunk_delay_p99_ms",
                    "chunk_delay_max_ms")), ""])
            if "floor" in d and "sluice" in d:
                a, b = d["floor"], d["sluice"]
                rows.append([label, "**Sluice − bare proxy**", "", "", "", *(
                    f"**{fmt(b.get(k, 0) - a.get(k, 0), 3)}**" for k in (
                        "ttft_p50_ms", "ttft_p99_ms", "ttft_max_ms", "chunk_delay_p50_ms", "chunk_delay_p99_ms",
                        "chunk_delay_max_ms")), ""])
        L.append(table(["Run", "Target", "Streams", "At once", "Chunks", "TTFT p50", "TTFT p99", "TTFT max",
                        "Chunk delay p50", "p99", "max", "Wall s"], rows))
        L.append("")
        rows = []
        for label, d in (("TTFT run", ttft), ("concurrent run", conc)):
            for tg in ("direct", "floor", "sluice"):
                r = d.get(tg)
                if not r:
                    continue
                rows.append([label, LABEL[tg], fmt(r.get("completed")), int(r.get("failed", 0)) + int(r.get("bad_streams", 0)),
                             fmt(r.get("lost_chunks")), fmt(r.get("duplicated_chunks")),
                             fmt(r.get("reordered_chunks")), fmt(r.get("missing_done")),
                             fmt(r.get("peak_in_flight")), fmt(r.get("mock_peak_streams")),
                             r.get("first_error", "")])
        L.append(table(["Run", "Target", "Streams complete and correct", "Failed or wrong", "Lost chunks",
                        "Duplicated", "Reordered", "Missing [DONE]", "Client streams open (peak)",
                        "Upstream streams open (peak)", "First error"], rows))
        L.append("")
        if "sluice" in conc and conc["sluice"].get("mock_peak_streams", 0) < conc["sluice"].get("peak_in_flight", 0):
            L.append(f"Through Sluice at most {conc['sluice']['mock_peak_streams']:,} upstream streams were open at "
                     f"once while the client held {conc['sluice']['peak_in_flight']:,}: Sluice's upstream pool "
                     "(`sluice.upstream.max-connections-per-host`, 256 per event loop by default, HTTP/1.1 to a plain-text "
                     "upstream) "
                     "queues the rest, which shows as their time to first token.")
            L.append("")

    if rss:
        L.append("## Memory (RSS of the Sluice process)")
        L.append("")
        rows = []
        labels = {"ready": "idle, just started (ready, no request yet)", "idle": "idle, after the warm-up",
                  "after-load": "after the load scenarios (2 s idle)", "end": "end of the run"}
        for ph in ("ready", "idle", "after-load", "end"):
            if ph in rss:
                r = rss[ph]
                extra = []
                if r.get("hwm_kb"):
                    extra.append(f"peak since start (VmHWM) {r['hwm_kb'] / 1024:,.0f} MB")
                if r.get("heap_after_gc_kb"):
                    extra.append(f"heap in use after a full GC {r['heap_after_gc_kb'] / 1024:,.1f} MB")
                rows.append([labels[ph], f"{r['rss_kb'] / 1024:,.0f}", "; ".join(extra)])
        for r in thr:
            if r["target"] == "sluice":
                rows.append([f"under load: wrk, {r['connections']} connections (peak, sampled every 250 ms)",
                             f"{r.get('rss_peak_kb', 0) / 1024:,.0f}", ""])
        if "sluice" in conc:
            rows.append([f"under load: {conc['sluice']['streams']} concurrent streams (peak)",
                         f"{conc['sluice'].get('rss_peak_kb', 0) / 1024:,.0f}", ""])
        for r in rss_phase:
            rows.append([f"peak during phase `{r['phase']}`", f"{r.get('peak_kb', 0) / 1024:,.0f}", ""])
        L.append(table(["When", "RSS MB", "Notes"], rows))
        L.append("")

    if soak_samples:
        L.append("## Soak")
        L.append("")
        if soak_rate:
            L.append(f"{fmt(soak_rate.get('duration_s', 0) / 60, 0)} minutes at {fmt(soak_rate.get('offered_rps'), 0)} "
                     f"req/s (non-streaming, open loop) plus long streams (100 chunks × 50 ms) kept open "
                     f"{fmt(soak_streams.get('concurrency') if soak_streams else '?')} at a time. Non-streaming: "
                     f"{fmt(soak_rate.get('ok'))} ok, {int(soak_rate.get('errors', 0)) + int(soak_rate.get('non2xx', 0))} "
                     f"errors, p50 {fmt(soak_rate.get('latency_p50_ms'), 3)} ms, p99 "
                     f"{fmt(soak_rate.get('latency_p99_ms'), 3)} ms, max {fmt(soak_rate.get('latency_max_ms'), 3)} ms."
                     + (f" Streams: {fmt(soak_streams.get('completed'))} complete and correct, "
                        f"{int(soak_streams.get('failed', 0)) + int(soak_streams.get('bad_streams', 0))} failed or wrong."
                        if soak_streams else ""))
            L.append("")
        if soak_growth:
            b, l, h0, h1 = soak_growth
            L.append(f"RSS around minute 1–2: {b:,.0f} MB; last minute: {l:,.0f} MB (growth {l - b:+,.0f} MB). "
                     f"Heap in use after a full GC: {h0:,.1f} MB before, {h1:,.1f} MB after ({h1 - h0:+,.1f} MB).")
            L.append("")
        rows = [[fmt(float(s["minute"]), 1), f"{s['rss_kb'] / 1024:,.0f}"] for s in soak_samples
                if abs(float(s["minute"]) - round(float(s["minute"]))) < 0.09 or s is soak_samples[-1]]
        L.append(table(["Minute", "RSS MB"], rows))
        L.append("")

    if startup:
        L.append("## Start-up")
        L.append("")
        L.append("`bench/startup.sh`: time from launch to the first served request (`GET /v1/models` with the master "
                 "key answered) and the RSS at that moment; median of several starts, each with an empty data "
                 "directory (so the SQLite store is created and migrated every time). Each of Sluice's modes is "
                 "followed by the same for the floor, the bare Quarkus REST app (`bench/bare-quarkus`: same Quarkus "
                 "version, quarkus-rest-jackson, one JSON resource at `GET /v1/models`), same JDK and options.")
        L.append("")
        rows = []
        for r in startup:
            rows.append([r["label"], fmt(r.get("ms")) if "ms" in r else "–", fmt(r.get("rss_mb")) if "rss_mb" in r else "–",
                         r.get("runs", ""), r.get("error") or f"`{r.get('command', '')}`"])
        L.append(table(["Mode", "ms to first response", "RSS MB", "Starts", "Command / note"], rows))
        L.append("")
        st = {(r.get("app"), r.get("mode")): r for r in startup if r.get("ms")}
        ratios = [f"{label}: {st[('sluice', m)]['ms'] / st[('bare-quarkus', m)]['ms']:.2f}×"
                  for m, label in STARTUP_MODES if ("sluice", m) in st and ("bare-quarkus", m) in st]
        if ratios:
            L.append("Sluice's start-up ÷ the bare Quarkus app's: " + "; ".join(ratios) + ".")
            L.append("")
        if aot:
            L.append(f"The AOT cache ({aot.get('cache_mb')} MB, {aot.get('jdk')}) was recorded by "
                     "`src/main/docker/aot-train.sh` (start, first requests, stop), exactly as the JVM image does.")
            L.append("")

    if extraction:
        L.append("## Extraction")
        L.append("")
        if extraction.get("skipped"):
            L.append(f"Skipped: {extraction['skipped']}.")
        else:
            L.append(f"`bash bench/extract-quality.sh {extraction.get('dir')}`: one thread, after a warm-up pass, "
                     f"parse + clean + Markdown per page; the scored text output is timed on its own line of the full output (`{extraction.get('output_file')}`).")
            L.append("")
            L.append(table(["Pages", "ms/page p50", "p90", "p99", "mean", "max", "pages/s", "F1", "Quality gate"], [[
                fmt(extraction.get("pages")), fmt(extraction.get("ms_p50")), fmt(extraction.get("ms_p90")),
                fmt(extraction.get("ms_p99")), fmt(extraction.get("ms_mean")), fmt(extraction.get("ms_max")),
                fmt(extraction.get("pages_per_s"), 1), extraction.get("f1", "–"),
                extraction.get("verdict", "") or f"exit {extraction.get('exit_code')}"]]))
        L.append("")

    if obs:
        L.extend(observability_section(obs, recs))

    L.append("## Checks")
    L.append("")
    if probe:
        L.append(f"- A probe request through Sluice with the virtual key (`{probe.get('key_id')}`) got 200 and the mock's "
                 f"answer; `x-sluice-overhead-ms` was {probe.get('overhead_header')}.")
    if ledger:
        lt, mt = ledger.get("total_requests"), ledger.get("metric_requests")
        L.append(f"- Usage ledger on: `GET /admin/usage?group_by=key` counted {fmt(lt)} requests, Sluice's own "
                 f"`sluice_requests_total` {fmt(mt)}"
                 + (" (every request served has its ledger line)" if lt and mt and lt == mt else
                    " (**they differ**)" if lt and mt else "")
                 + f"; the mock served {fmt(ledger.get('mock_requests'))} (direct and bare-proxy runs included); the data directory "
                 f"held {(ledger.get('db_bytes') or 0) / 1e6:,.1f} MB at the end.")
    L.append("- How to read this report, and what each scenario does: `bench/README.md`.")
    L.append("")

    chart_note = draw(chart_path, by_rate, rates, thr_by, ttft, conc, obs)
    if chart_note:
        L.insert(4, chart_note + "\n")
    else:
        L.insert(4, f"![latency against offered rate]({os.path.basename(chart_path)})\n")

    with open(report_path, "w", encoding="utf-8") as f:
        f.write("\n".join(L))
    print(f"report: {report_path}")


def target_rows(by_rate, thr_by, ttft, conc, thr, startup, soak_samples, soak_end, cpu_us):
    """The Targets table's rows (issue 19), then the soak's figures (or None) as the last element."""
    rows = []
    none = "not measured"

    def ms(v):
        return "–" if v is None else f"{v:,.3f} ms"

    def cpu_of(r, who):
        if not r:
            return None
        n = r.get("requests_incl_warmup") or r.get("requests")
        return cpu_us(r.get("sluice_cpu_ticks" if who == "sluice" else "floor_cpu_ticks"), n)

    def best(tg):
        rs = [r for (t, _), r in thr_by.items() if t == tg]
        return max(rs, key=lambda r: r.get("rps") or 0) if rs else None

    def errs(r):
        return int(r.get("non2xx", 0)) + int(r.get("socket_errors", 0))

    sb, fb = best("sluice"), best("floor")
    if sb and fb and fb.get("rps"):
        ratio = sb["rps"] / fb["rps"]
        rows.append(["Throughput at saturation (wrk)", f"≥ {TARGETS['rps_ratio']}× the bare proxy, 0 errors",
                     f"{fmt(sb['rps'], 0)} req/s (c{sb['connections']}, {errs(sb)} errors)",
                     f"{fmt(fb['rps'], 0)} req/s (c{fb['connections']}, {errs(fb)} errors)", f"{ratio:.2f}×",
                     verdict(ratio >= TARGETS["rps_ratio"] and errs(sb) == 0)])
        cs, cf = cpu_of(sb, "sluice"), cpu_of(fb, "floor")
        ok = None if not cs or not cf else cs / cf <= TARGETS["cpu_ratio"]
        rows.append(["CPU per request at saturation (same runs)", f"≤ {TARGETS['cpu_ratio']}× the bare proxy's",
                     f"{fmt(cs, 1)} µs", f"{fmt(cf, 1)} µs", f"{cs / cf:.2f}×" if cs and cf else "–", verdict(ok)])
    else:
        rows.append(["Throughput at saturation (wrk)", f"≥ {TARGETS['rps_ratio']}× the bare proxy, 0 errors",
                     fmt(sb["rps"], 0) + " req/s" if sb else "–", "–", "–", none])
        rows.append(["CPU per request at saturation", f"≤ {TARGETS['cpu_ratio']}× the bare proxy's",
                     fmt(cpu_of(sb, "sluice"), 1) + " µs" if sb else "–", "–", "–", none])
    s5, f5 = by_rate.get(500, {}).get("sluice"), by_rate.get(500, {}).get("floor")
    cs, cf = cpu_of(s5, "sluice"), cpu_of(f5, "floor")
    rows.append(["CPU per request at a steady 500 req/s", f"≤ {TARGETS['cpu_us_500']} µs",
                 f"{fmt(cs, 1)} µs" if cs is not None else "–", f"{fmt(cf, 1)} µs" if cf is not None else "–",
                 f"{cs / cf:.2f}×" if cs and cf else "–", verdict(None if cs is None else cs <= TARGETS["cpu_us_500"])])
    for key, name, goal in (("latency_p50_ms", "p50", TARGETS["added_p50_500"]),
                            ("latency_p99_ms", "p99", TARGETS["added_p99_500"])):
        a = s5.get(key) if s5 else None
        b = f5.get(key) if f5 else None
        d = a - b if a is not None and b is not None else None
        rows.append([f"Added latency {name} at 500 req/s (open loop)", f"≤ {goal} ms over the bare proxy", ms(a), ms(b),
                     f"{d:+,.3f} ms" if d is not None else "–", verdict(None if d is None else d <= goal)])
    a = ttft.get("sluice", {}).get("ttft_p50_ms")
    b = ttft.get("floor", {}).get("ttft_p50_ms")
    d = a - b if a is not None and b is not None else None
    rows.append(["Added time to first token (streaming, p50)", f"≤ {TARGETS['added_ttft']} ms over the bare proxy",
                 ms(a), ms(b), f"{d:+,.3f} ms" if d is not None else "–",
                 verdict(None if d is None else d <= TARGETS["added_ttft"])])
    st = {(r.get("app"), r.get("mode")): r for r in startup if r.get("ms")}
    for mode, label in STARTUP_MODES:
        sr, br = st.get(("sluice", mode)), st.get(("bare-quarkus", mode))
        if not sr and not br and mode != "jdk17":
            continue
        ratio = sr["ms"] / br["ms"] if sr and br and br["ms"] else None
        rows.append([f"Start-up to the first served request, {label}",
                     f"≤ {TARGETS['startup_ratio']}× the bare Quarkus app",
                     f"{fmt(sr['ms'])} ms ({fmt(sr.get('rss_mb'))} MB)" if sr else "–",
                     f"{fmt(br['ms'])} ms ({fmt(br.get('rss_mb'))} MB)" if br else "–",
                     f"{ratio:.2f}×" if ratio else "–",
                     verdict(None if ratio is None else ratio <= TARGETS["startup_ratio"])])
    load_peaks = [r.get("rss_peak_kb", 0) for r in thr if r["target"] == "sluice"]
    load_peaks += [conc["sluice"].get("rss_peak_kb", 0)] if "sluice" in conc else []
    floor_rss = [r.get("floor_rss_end_kb", 0) for r in thr if r["target"] == "floor"]
    fr = f"{max(floor_rss) / 1024:,.0f} MB (after its wrk runs)" if floor_rss and max(floor_rss) else "–"
    if load_peaks and max(load_peaks) > 0:
        pk = max(load_peaks) / 1024
        rows.append(["RSS under load (peak, JVM mode)", f"≤ {TARGETS['rss_mb']} MB", f"{pk:,.0f} MB", fr, "",
                     verdict(pk <= TARGETS["rss_mb"])])
    else:
        rows.append(["RSS under load (peak, JVM mode)", f"≤ {TARGETS['rss_mb']} MB", "–", fr, "", none])
    soak_growth = None
    if soak_samples and soak_end:
        base = [s for s in soak_samples if 0.9 <= float(s["minute"]) <= 2.1] or soak_samples[:1]
        last = soak_samples[-6:]
        b = sum(s["rss_kb"] for s in base) / len(base) / 1024
        l = sum(s["rss_kb"] for s in last) / len(last) / 1024
        h0 = soak_samples[0].get("heap_after_gc_kb", 0) / 1024
        h1 = soak_end.get("heap_after_gc_kb", 0) / 1024
        soak_growth = (b, l, h0, h1)
        ok = (l - b) <= max(10.0, 0.05 * b) and (h1 - h0) <= 10.0
        rows.append(["No memory growth over the soak", "RSS growth ≤ max(10 MB, 5 %) and heap after full GC "
                     "grows ≤ 10 MB", f"RSS {b:,.0f} → {l:,.0f} MB, heap after GC {h0:,.1f} → {h1:,.1f} MB", "", "",
                     verdict(ok)])
    else:
        rows.append(["No memory growth over the soak", "no growth", "not run (opt-in: `bash bench/run.sh soak`)",
                     "", "", none])
    rows.append(soak_growth)
    return rows


OBS_LABELS = {
    "plain": "plain (tracing off, request log off)",
    "tracing": "tracing on (every span exported over OTLP/HTTP)",
    "request-log": "request log on (rows only)",
    "request-log-bodies": "request log on (rows and bodies)",
    "no-otel": "built without OpenTelemetry (quarkus.otel.enabled=false)",
}


def observability_rows(recs, cpu_us):
    """The observability scenario's runs in the order they ran, each with its CPU per request and what the sink and
    the store received, compared with the plain runs of the same invocation (their mean when there are several)."""
    checks = {int(r["seq"]): r for r in recs if r.get("kind") == "observability-check"}
    runs = []
    for r in recs:
        if r.get("scenario") != "observability" or r.get("mode") != "rate":
            continue
        seq = int(r.get("seq", len(runs) + 1))
        runs.append(dict(r, seq=seq, check=checks.get(seq, {}),
                         cpu=cpu_us(r.get("sluice_cpu_ticks"), r.get("requests_incl_warmup")),
                         mock_cpu=cpu_us(r.get("mock_cpu_ticks"), r.get("requests_incl_warmup"))))
    if not runs:
        return None
    plain = [r for r in runs if r.get("variant") == "plain"]

    def mean(key):
        vals = [r[key] for r in plain if r.get(key) is not None]
        return sum(vals) / len(vals) if vals else None

    base = {k: mean(k) for k in ("cpu", "latency_p50_ms", "latency_p99_ms")}
    for r in runs:
        c, b = r.get("cpu"), base["cpu"]
        r["added_cpu"] = c - b if c is not None and b is not None else None
        r["ratio"] = c / b if c is not None and b else None
        for k in ("latency_p50_ms", "latency_p99_ms"):
            r["added_" + k] = r[k] - base[k] if r.get(k) is not None and base[k] is not None else None
    return {"runs": runs, "base": base, "plain_runs": len(plain)}


def observability_section(obs, recs):
    runs, base = obs["runs"], obs["base"]
    L = ["## Observability cost", ""]
    first = runs[0]
    warm = [r for r in recs if r.get("kind") == "warmup" and r.get("variant")]
    L.append(f"One Sluice per variant, started in turn from the packaged jar in this invocation (same JVM options, "
             f"same port, a fresh data directory each), warmed up with wrk "
             f"({', '.join(str(w.get('seconds')) + ' s' for w in warm) or '?'}), then measured at "
             f"{fmt(first.get('offered_rps'), 0)} req/s open loop for {fmt(first.get('duration_s'), 0)} s after a 3 s "
             "warm-up at that rate (non-streaming). Tracing on exports every span (all requests sampled) over "
             "OTLP/HTTP to a sink in its own JVM; the request log writes one row per request to the embedded "
             "store. Sluice CPU per request: the process's utime + stime over the run ÷ its requests (the 3 s "
             "warm-up included in both). Added and ratio are against the plain run"
             + (f"s (mean of {obs['plain_runs']})" if obs["plain_runs"] > 1 else "")
             + " of this invocation. The mock's CPU per request does the same work in every run: when it moves "
             "between runs, the machine did, and the differences are noise of that size.")
    L.append("")
    rows = []
    for r in runs:
        ck = r["check"]
        seen = []
        if r.get("tracing") == "on" or ck.get("trace_exports"):
            seen.append(f"{fmt(ck.get('trace_exports'))} OTLP exports, {(ck.get('trace_bytes') or 0) / 1e6:,.2f} MB")
        if r.get("request_log", "off") != "off" or ck.get("log_rows_written"):
            seen.append(f"{fmt(ck.get('log_rows_written'))} log rows written, {fmt(ck.get('log_rows_dropped'))} dropped")
        is_base = r.get("variant") == "plain"
        rows.append([r["seq"], OBS_LABELS.get(r.get("variant"), r.get("variant")), r.get("tracing", "?"),
                     r.get("request_log", "?"), fmt(r.get("requests_incl_warmup")), fmt(r.get("cpu"), 1),
                     "baseline" if is_base and obs["plain_runs"] == 1 else f"{r['added_cpu']:+,.1f}"
                     if r.get("added_cpu") is not None else "–",
                     "1.00×" if is_base and obs["plain_runs"] == 1 else f"{r['ratio']:.2f}×"
                     if r.get("ratio") is not None else "–",
                     fmt(r.get("mock_cpu"), 1), "; ".join(seen) or "nothing (off)"])
    L.append(table(["#", "Variant", "Tracing", "Request log", "Requests", "Sluice CPU µs/req",
                    "Added µs/req vs plain", "Ratio to plain", "Mock CPU µs/req", "Reached the sink / store"], rows))
    L.append("")
    rows = []
    for r in runs:
        rows.append([r["seq"], r.get("variant"), fmt(r.get("achieved_rps"), 0), fmt(r.get("latency_p50_ms"), 3),
                     fmt(r.get("latency_p90_ms"), 3), fmt(r.get("latency_p99_ms"), 3),
                     fmt(r.get("latency_p999_ms"), 3), fmt(r.get("latency_max_ms"), 3),
                     fmt(r.get("sluice_overhead_header_p50_ms"), 3),
                     int(r.get("errors", 0)) + int(r.get("non2xx", 0)),
                     f"{r['added_latency_p50_ms']:+.3f}" if r.get("added_latency_p50_ms") is not None else "–",
                     f"{r['added_latency_p99_ms']:+.3f}" if r.get("added_latency_p99_ms") is not None else "–"])
    L.append("Latency through Sluice from the intended send time (ms), same runs:")
    L.append("")
    L.append(table(["#", "Variant", "Achieved req/s", "p50", "p90", "p99", "p99.9", "max",
                    "x-sluice-overhead-ms p50", "Errors", "p50 vs plain", "p99 vs plain"], rows))
    L.append("")
    return L


def draw(path, by_rate, rates, thr_by, ttft, conc, obs=None):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "(No chart: matplotlib is not installed — `apt-get install python3-matplotlib`.)"
    runs = obs["runs"] if obs else []
    # the four panels of the load scenarios, unless only the observability scenario ran; its two panels below them
    main = bool(rates or thr_by or ttft or conc or not runs)
    nrows = (2 if main else 0) + (1 if runs else 0)
    fig, axes = plt.subplots(nrows, 2, figsize=(15, 5.25 * nrows), squeeze=False)
    colors = {"p50": "tab:blue", "p90": "tab:orange", "p99": "tab:red", "p99.9": "tab:purple"}
    keys = {"p50": "latency_p50_ms", "p90": "latency_p90_ms", "p99": "latency_p99_ms", "p99.9": "latency_p999_ms"}

    if main:
        ax = axes[0][0]
        if rates:
            for pname, key in keys.items():
                for tg, style, marker, how in (("direct", "--", "s", "direct"), ("floor", ":", "^", "bare proxy"),
                                               ("sluice", "-", "o", "through Sluice")):
                    xs = [rt for rt in rates if tg in by_rate[rt]]
                    ys = [by_rate[rt][tg][key] for rt in xs]
                    if xs:
                        ax.plot(xs, ys, style, marker=marker, color=colors[pname], label=f"{pname} {how}")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xticks(rates)
            ax.set_xticklabels([f"{int(r):,}" for r in rates])
            ax.minorticks_off()
            ax.set_xlabel("offered rate (requests/s, open loop)")
            ax.set_ylabel("latency from intended send (ms, log)")
            ax.set_title("Latency percentiles against offered rate\n(dashed: direct to the mock, dotted: through the "
                         "bare proxy, solid: through Sluice)")
            ax.grid(True, which="both", alpha=0.3)
            ax.legend(fontsize=8, ncol=2)
        else:
            ax.text(0.5, 0.5, "overhead scenario not run", ha="center")

        ax = axes[0][1]
        if rates:
            # against the bare proxy when it ran (what the targets measure), else against the mock
            base = "floor" if any("floor" in by_rate[rt] for rt in rates) else "direct"
            for pname, key in keys.items():
                xs = [rt for rt in rates if base in by_rate[rt] and "sluice" in by_rate[rt]]
                ys = [by_rate[rt]["sluice"][key] - by_rate[rt][base][key] for rt in xs]
                ax.plot(xs, ys, "-", marker="o", color=colors[pname], label=f"added {pname}")
            ax.axhline(TARGETS["added_p50_500"], color=colors["p50"], ls=":", lw=1, label="target p50 at 500/s (0.3 ms)")
            ax.axhline(TARGETS["added_p99_500"], color=colors["p99"], ls=":", lw=1, label="target p99 at 500/s (2 ms)")
            ax.set_xscale("log")
            ax.set_yscale("symlog", linthresh=1)
            lows = [by_rate[rt]["sluice"][k] - by_rate[rt][base][k] for rt in rates
                    if base in by_rate[rt] and "sluice" in by_rate[rt] for k in keys.values()]
            ax.set_ylim(bottom=min(-0.2, min(lows) * 1.3) if lows else -0.2)
            ax.set_xticks(rates)
            ax.set_xticklabels([f"{int(r):,}" for r in rates])
            ax.minorticks_off()
            ax.set_xlabel("offered rate (requests/s, open loop)")
            ax.set_ylabel(f"Sluice − {LABEL[base]} (ms, linear below 1, log above)")
            ax.set_title(f"Latency added by Sluice (over the {LABEL[base]})")
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize=8)

        ax = axes[1][0]
        conns = sorted({k[1] for k in thr_by})
        if conns:
            import numpy as np
            x = np.arange(len(conns))
            w = 0.27
            for i, (tg, label, color) in enumerate((("direct", "direct", "tab:gray"),
                                                    ("floor", "through the bare proxy", "tab:blue"),
                                                    ("sluice", "through Sluice", "tab:green"))):
                v = [thr_by.get((tg, c), {}).get("rps", 0) for c in conns]
                bars = ax.bar(x + (i - 1) * w, v, w, label=label, color=color)
                ax.bar_label(bars, labels=[f"{y:,.0f}" for y in v], fontsize=8)
            ax.set_xticks(x)
            ax.set_xticklabels([f"{c} connections" for c in conns])
            ax.set_ylabel("requests/s (wrk)")
            ax.set_title("Maximum throughput")
            ax.legend(fontsize=8)
            ax.grid(True, axis="y", alpha=0.3)
        else:
            ax.text(0.5, 0.5, "throughput scenario not run", ha="center")

        ax = axes[1][1]
        groups = []
        for label, dd in (("TTFT run", ttft), ("concurrent run", conc)):
            if "direct" in dd and "sluice" in dd:
                groups.append((label, dd))
        if groups:
            import numpy as np
            names, dv, sv = [], [], []
            for label, dd in groups:
                at_once = dd["sluice"].get("concurrency", "?")
                for key, short in (("ttft_p50_ms", "TTFT p50"), ("ttft_p99_ms", "TTFT p99"),
                                   ("chunk_delay_p50_ms", "chunk p50"), ("chunk_delay_p99_ms", "chunk p99")):
                    names.append(f"{short}\n{at_once:,} at once" if isinstance(at_once, int) else short)
                    dv.append(dd["direct"].get(key, 0))
                    sv.append(dd["sluice"].get(key, 0))
            x = np.arange(len(names))
            w = 0.38
            b1 = ax.bar(x - w / 2, dv, w, label="direct", color="tab:gray")
            b2 = ax.bar(x + w / 2, sv, w, label="through Sluice", color="tab:green")
            ax.bar_label(b1, labels=[f"{v:.2f}" for v in dv], fontsize=7)
            ax.bar_label(b2, labels=[f"{v:.2f}" for v in sv], fontsize=7)
            ax.set_yscale("log")
            ax.set_xticks(x)
            ax.set_xticklabels(names, fontsize=7.5)
            ax.set_ylabel("ms (log)")
            ax.set_title("Streaming: time to first token and per-chunk delay")
            ax.legend(fontsize=8)
            ax.grid(True, axis="y", alpha=0.3)
        else:
            ax.text(0.5, 0.5, "streaming scenario not run", ha="center")

    if runs:
        import numpy as np
        names = [f"{r['seq']}. {r.get('variant')}" for r in runs]
        x = np.arange(len(runs))
        ax = axes[nrows - 1][0]
        cpu = [r.get("cpu") or 0 for r in runs]
        bars = ax.bar(x, cpu, 0.6, color=["tab:gray" if r.get("variant") == "plain" else "tab:green" for r in runs])
        ax.bar_label(bars, labels=[f"{c:,.0f}" + ("" if r.get("added_cpu") is None or r.get("variant") == "plain"
                                                  else f"\n{r['added_cpu']:+,.0f} ({r['ratio']:.2f}×)")
                                   for c, r in zip(cpu, runs)], fontsize=8)
        if obs["base"]["cpu"]:
            ax.axhline(obs["base"]["cpu"], color="tab:gray", ls=":", lw=1, label="plain (baseline)")
            ax.legend(fontsize=8)
        ax.set_xticks(x)
        ax.set_xticklabels(names, fontsize=8)
        ax.margins(y=0.15)
        ax.set_ylabel("Sluice CPU µs per request")
        ax.set_title(f"Observability cost: CPU per request at {fmt(runs[0].get('offered_rps'), 0)} req/s")
        ax.grid(True, axis="y", alpha=0.3)
        ax = axes[nrows - 1][1]
        w = 0.38
        p50 = [r.get("latency_p50_ms") or 0 for r in runs]
        p99 = [r.get("latency_p99_ms") or 0 for r in runs]
        b1 = ax.bar(x - w / 2, p50, w, label="p50", color="tab:blue")
        b2 = ax.bar(x + w / 2, p99, w, label="p99", color="tab:red")
        ax.bar_label(b1, labels=[f"{v:.2f}" for v in p50], fontsize=7)
        ax.bar_label(b2, labels=[f"{v:.2f}" for v in p99], fontsize=7)
        ax.set_xticks(x)
        ax.set_xticklabels(names, fontsize=8)
        ax.set_ylabel("latency through Sluice (ms)")
        ax.set_title("Observability cost: latency (open loop, from the intended send)")
        ax.legend(fontsize=8)
        ax.grid(True, axis="y", alpha=0.3)

    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return None


if __name__ == "__main__":
    main()
