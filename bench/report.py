"""Turns bench/compare.sh's measurements into docs/benchmarks.md."""
import json, os, platform, statistics, subprocess, sys

results, lat_a, lat_b, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows = [json.loads(l) for l in open(results)]

def med(xs):
    return statistics.median(xs) if xs else float("nan")

def spread(xs):
    return f"{min(xs):.0f}–{max(xs):.0f}" if xs else "–"

def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()

def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except Exception:
        return "?"

print("# Kaigi next to Chromium\n")
print(f"Measured by `make bench` (bench/compare.sh) on {os.cpu_count()} cores ({cpu_model()}), "
      f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, {version(['chromium', '--version'])}, "
      "livekit-client 2.23.0, livekit-server v1.13.5 on loopback. Each participant sends 640x480@30 VP8 and Opus and "
      f"receives N remote 640x480 streams from publishers that loop a pre-encoded stream. {runs} runs per cell: "
      "median, with the spread (min–max) beside it. Join times count from process start (Kaigi) or navigation "
      "(Chromium). Reproduce: `make bench`, or `RUNS=5 SECS=20 bench/compare.sh`.\n")
print("| remote streams | metric | Kaigi | Chromium | Kaigi / Chromium |")
print("|---|---|---|---|---|")
for load in sorted({r["load"] for r in rows}):
    for metric, label in (("connected_ms", "connected (ms)"), ("first_frame_ms", "first remote frame (ms)"),
                          ("cpu_s_per_min", "CPU (s per minute)"), ("peak_rss_mb", "peak RSS (MB)")):
        k = [r[metric] for r in rows if r["client"] == "kaigi" and r["load"] == load and r[metric] > 0]
        c = [r[metric] for r in rows if r["client"] == "chromium" and r["load"] == load and r[metric] > 0]
        ratio = med(k) / med(c) if k and c and med(c) else float("nan")
        print(f"| {load} | {label} | {med(k):.0f} ({spread(k)}) | {med(c):.0f} ({spread(c)}) | {ratio:.2f} |")
lat = []
for f in (lat_a, lat_b):
    try:
        lat += [p["latency_ms_p50"] for p in json.load(open(f))["peers"] if p["latency_ms_p50"] > 0]
    except Exception:
        pass
print(f"\nGlass-to-glass latency Kaigi → Kaigi through the server (capture stamp in the picture to decoded picture), "
      f"median of the two directions' medians: {med(lat):.0f} ms.")
