"""Measures a process tree over a span (bench/window.sh): CPU seconds per
minute of the tree (and of the X server beside it), peak RSS, PSS, and
frames drawn per second per tile from a stats file that the client
rewrites ({"unix_ms": ..., "frames": {name: count}, "goroutines": n}).

  python3 bench/proctree.py --root PID [--skip-root] [--xserver PID]
      [--stats FILE] [--self NAME] --secs S [--every S] [--series]

Prints one JSON object.
"""
import argparse, json, os, statistics, sys, time

HZ = os.sysconf("SC_CLK_TCK")


def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def tree(root, skip_root):
    pids, todo = [], [root]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += children(p)
    return [p for p in pids if not (skip_root and p == root)]


def cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return 0.0
    f = s[s.rindex(")") + 2:].split()
    # utime stime cutime cstime: children that ended count too.
    return sum(int(x) for x in f[11:15]) / HZ


def threads(pid):
    """CPU seconds of a process's threads, summed by name (llvmpipe-0 and
    llvmpipe-1 are "llvmpipe": Mesa's software rasteriser)."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index("(") + 1:s.rindex(")")].rstrip("0123456789-")
        f = s[s.rindex(")") + 2:].split()
        out[name] = out.get(name, 0) + (int(f[11]) + int(f[12])) / HZ
    return out


def status(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def read_stats(path):
    # A client that rewrites the file in place may be caught mid-write.
    for _ in range(20):
        try:
            with open(path) as f:
                return json.load(f)
        except (OSError, ValueError):
            time.sleep(0.05)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", type=int, required=True)
    ap.add_argument("--skip-root", action="store_true", help="measure the root's descendants only (a driver)")
    ap.add_argument("--xserver", type=int, default=0)
    ap.add_argument("--stats", default="")
    ap.add_argument("--self", default="", help="the tile of our own camera, left out of the remote figures")
    ap.add_argument("--secs", type=float, required=True)
    ap.add_argument("--every", type=float, default=2.0)
    ap.add_argument("--series", action="store_true", help="also every sample: seconds, RSS, PSS, goroutines")
    a = ap.parse_args()

    def total():
        return sum(cpu(p) for p in tree(a.root, a.skip_root))

    th0 = threads(a.root)
    c0, x0, t0 = total(), cpu(a.xserver) if a.xserver else 0, time.time()
    s0 = read_stats(a.stats) if a.stats else None
    rss0 = sum(status(p, "VmRSS") for p in tree(a.root, a.skip_root))
    psss, rsss, gor, series = [], [], [], []
    while time.time() - t0 < a.secs:
        time.sleep(min(a.every, max(0.0, a.secs - (time.time() - t0))))
        pids = tree(a.root, a.skip_root)
        psss.append(sum(pss(p) for p in pids))
        rsss.append(sum(status(p, "VmRSS") for p in pids))
        st = read_stats(a.stats) if a.stats else None
        if st and "goroutines" in st:
            gor.append(st["goroutines"])
        if a.series:
            series.append({"s": round(time.time() - t0), "rss_mb": rsss[-1], "pss_mb": psss[-1],
                           "goroutines": st.get("goroutines", 0) if st else 0})
    pids = tree(a.root, a.skip_root)
    c1, x1, t1 = total(), cpu(a.xserver) if a.xserver else 0, time.time()
    th1 = threads(a.root)
    s1 = read_stats(a.stats) if a.stats else None
    out = {
        "cpu_s_per_min": 60 * (c1 - c0) / (t1 - t0),
        "xserver_cpu_s_per_min": 60 * (x1 - x0) / (t1 - t0),
        "peak_rss_mb": sum(status(p, "VmHWM") for p in pids),
        "rss_start_mb": rss0,
        "rss_end_mb": rsss[-1] if rsss else 0,
        "rss_max_mb": max(rsss) if rsss else 0,
        "pss_mb": max(psss) if psss else 0,
        "processes": len(pids),
        # The root's threads by name, CPU s/min (Kaigi: llvmpipe is the
        # rasterising; Chromium's root is the driver and says little).
        "threads_s_per_min": {k: round(60 * (v - th0.get(k, 0)) / (t1 - t0), 2) for k, v in th1.items()
                              if v - th0.get(k, 0) > 0},
        "goroutines": [min(gor), max(gor)] if gor else [],
        "tile_fps": {},
    }
    if s0 and s1:
        secs = (s1["unix_ms"] - s0["unix_ms"]) / 1000
        if secs > 0:
            # Tiles without video (someone who left a moment ago) are not
            # tiles that draw slowly.
            out["tile_fps"] = {k: (v - s0["frames"].get(k, 0)) / secs for k, v in s1["frames"].items()
                               if k != a.self and v > 0}
    if a.series:
        out["series"] = series
    fps = list(out["tile_fps"].values())
    out["fps_median"] = statistics.median(fps) if fps else 0
    out["fps_min"] = min(fps) if fps else 0
    json.dump(out, sys.stdout)
    print()


main()
