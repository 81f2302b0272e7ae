"""Turns bench/window.sh's measurements into its section of docs/benchmarks.md."""
import json, os, statistics, subprocess, sys

results, runs, secs = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [json.loads(l) for l in open(results)]


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def cell(xs, fmt="{:.0f}"):
    if not xs:
        return "–"
    return f"{fmt.format(med(xs))} ({fmt.format(min(xs))}–{fmt.format(max(xs))})"


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except Exception:
        return "?"


print("# The window: Kaigi next to Chromium (issue 18)\n")
print(f"Measured by `make bench` (bench/window.sh) on {os.cpu_count()} cores, {version(['chromium', '--version'])}, "
      "livekit-server v1.13.5 on loopback. Each client runs alone on its own Xvfb (software rendering: Mesa llvmpipe "
      "for Kaigi's OpenGL, Chromium's software compositor), sends 640x480@30 and receives N remote 640x480@30 "
      "streams (bench/crowd: pre-encoded loops); Chromium shows them in a grid of Kaigi's stage size and layout "
      f"(992x604, pictures covering their tiles, its own camera too). {runs} runs per cell, interleaved, "
      f"{secs} s measured after 10 s: median (min–max). CPU is the whole process tree (Chromium: every process of "
      "the browser); the X server's CPU is counted apart. fps is frames drawn per second per remote tile "
      "(Kaigi: pictures put on screen; Chromium: presented frames), the median tile of each run, then the median "
      "of the runs, with the slowest tile of any run in brackets.\n")
print("CPU per picture is the CPU time over the pictures of remote tiles drawn in the same span: on a machine "
      "too busy for 30 fps it compares what each client pays for what it shows. Rasterising is Kaigi's Mesa llvmpipe "
      "threads.\n")
print("| remote streams | client | CPU (s/min) | X server (s/min) | peak RSS (MB) | PSS (MB) | fps per tile (slowest) | CPU per picture (ms) | rasterising (s/min) |")
print("|---|---|---|---|---|---|---|---|---|")


def per_picture(r):
    pics = sum(r["tile_fps"].values())
    return 1000 * r["cpu_s_per_min"] / 60 / pics if pics else float("nan")


def raster(r):
    return r.get("threads_s_per_min", {}).get("llvmpipe", float("nan"))
loads = sorted({r["load"] for r in rows if "run" in r})
for load in loads:
    for client in ("base", "other", "kaigi", "chromium"):
        rs = [r for r in rows if r.get("client") == client and r["load"] == load and "run" in r]
        if not rs:
            continue
        slowest = min(r["fps_min"] for r in rs)
        name = {"base": "Kaigi before", "other": "Kaigi (other build)", "kaigi": "Kaigi", "chromium": "Chromium"}[client]
        print(f"| {load} | {name} | {cell([r['cpu_s_per_min'] for r in rs])} | "
              f"{cell([r['xserver_cpu_s_per_min'] for r in rs], '{:.1f}')} | {cell([r['peak_rss_mb'] for r in rs])} | "
              f"{cell([r['pss_mb'] for r in rs])} | {med([r['fps_median'] for r in rs]):.1f} ({slowest:.1f}) | "
              f"{cell([per_picture(r) for r in rs if r['tile_fps']], '{:.1f}')} | "
              f"{cell([raster(r) for r in rs if client != 'chromium'], '{:.1f}') if client != 'chromium' else '–'} |")
print("\n| remote streams | Kaigi / Chromium CPU | Kaigi / Chromium CPU per picture | Kaigi / Chromium PSS |")
print("|---|---|---|---|")
for load in loads:
    k = [r for r in rows if r.get("client") == "kaigi" and r["load"] == load and "run" in r]
    c = [r for r in rows if r.get("client") == "chromium" and r["load"] == load and "run" in r]
    if k and c:
        kp = [per_picture(r) for r in k if r["tile_fps"]]
        cp = [per_picture(r) for r in c if r["tile_fps"]]
        pp = f"{med(kp) / med(cp):.2f}" if kp and cp else "–"
        print(f"| {load} | {med([r['cpu_s_per_min'] for r in k]) / med([r['cpu_s_per_min'] for r in c]):.2f} | {pp} | "
              f"{med([r['pss_mb'] for r in k]) / med([r['pss_mb'] for r in c]):.2f} |")
for s in (r for r in rows if r.get("client") == "kaigi-soak"):
    ser = s.get("series", [])
    # Minute 5 against the end; a call of 5 minutes or less (a shortened
    # run) is compared from its first sample.
    at5 = next((x for x in ser if x["s"] >= 300), None) if s["minutes"] > 5 else None
    at5 = at5 or (ser[0] if ser else None)
    end = ser[-1] if ser else None
    if not (at5 and end):
        continue
    print(f"\nSoak: one call of {s['minutes']} min with nine remote videos (SOAK_MIN={s['minutes']}). "
          f"RSS {at5['rss_mb']:.0f} MB at minute {at5['s'] / 60:.1f}, {end['rss_mb']:.0f} MB at the end "
          f"({100 * (end['rss_mb'] - at5['rss_mb']) / at5['rss_mb']:+.1f} %); PSS {at5['pss_mb']:.0f} → {end['pss_mb']:.0f} MB; "
          f"goroutines {at5['goroutines']} → {end['goroutines']} (range {s['goroutines']}); "
          f"CPU {s['cpu_s_per_min']:.0f} s/min, median tile {s['fps_median']:.1f} fps.")
