"""Large meetings (make bench, issue 19): Kaigi joins a LiveKit room of 300
(268 present without media, 20 sending sound and speaking two at a time,
12 sending 640x480@30 from a pre-encoded loop: bench/crowd) as the 301st,
and, for comparison, a room of the same 12 cameras alone (13 with Kaigi).

Per run and room, the app under Xvfb (its --tile-stats file read every
50 ms) and headless Kaigi:
  - from Join to the complete roster, and to the first remote picture;
  - CPU (s per minute, the process tree) and peak RSS on page 1 of the grid,
    and again in speaker view (Ctrl+Shift+V: the speaker large, the
    others in a strip under it), then back to the grid;
  - paging (300 only): Page Down through every page, then back to page 1;
    the longest the UI thread made work wait, and how long until every
    video of page 1 draws again;
  - churn (300 only): 10 people a second join and leave again, for 30 s;
    the longest UI wait meanwhile, and whether the roster settles back.

  RUNS=3 SECS=30 python3 bench/large.py [--report docs/benchmarks.md]

For looking into a figure: PERF=DIR records each app run's measurement
with perf, PROFILE=DIR writes the app's Go CPU profiles, and LKLOG=debug
sets livekit-server's log level.

Needs build/kaigi, livekit-server (scripts/livekit-server.sh), Xvfb and
xdotool.
"""
import argparse, json, os, re, signal, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY, SECRET = "devkey", "kaigi-bench-secret-that-is-long-enough-0123456789"
BIG = dict(silent=268, audio=20, video=12)
SMALL = dict(silent=0, audio=0, video=12)


class Bench:
    def __init__(self, tmp, port):
        self.tmp, self.port, self.procs = tmp, port, []
        self.lk = subprocess.check_output([os.path.join(ROOT, "scripts/livekit-server.sh")], text=True).strip()
        self.bin = os.path.join(ROOT, "build/kaigi")

    def spawn(self, args, log, **kw):
        p = subprocess.Popen(args, stdout=open(os.path.join(self.tmp, log), "w"), stderr=subprocess.STDOUT, **kw)
        self.procs.append(p)
        return p

    def stop(self, p, sig=signal.SIGTERM, wait=10):
        if p.poll() is None:
            p.send_signal(sig)
            try:
                p.wait(wait)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def close(self):
        for p in reversed(self.procs):
            self.stop(p, wait=5)

    def server(self):
        cfg = os.path.join(self.tmp, "lk.yaml")
        with open(cfg, "w") as f:
            f.write(f"""port: {self.port}
bind_addresses: ["127.0.0.1"]
rtc: {{tcp_port: {self.port + 1}, udp_port: {self.port + 2}, use_external_ip: false, node_ip: 127.0.0.1, enable_loopback_candidate: true}}
keys: {{{KEY}: {SECRET}}}
logging: {{level: '{os.environ.get("LKLOG", "warn")}'}}
""")
        self.spawn([self.lk, "--config", cfg], "lk.log")
        time.sleep(2)
        self.url = f"ws://127.0.0.1:{self.port}"

    def token(self, room, identity):
        out = subprocess.run([self.lk, "--keys", f"{KEY}: {SECRET}", "create-join-token", "--room", room,
                              "--identity", identity], capture_output=True, text=True).stdout
        return re.search(r"eyJ[A-Za-z0-9._-]*", out).group(0)

    def crowd(self, room, silent, audio, video, extra=(), wait_ready=True):
        args = [self.crowd_bin, "--url", self.url, "--key", KEY, "--secret", SECRET, "--room", room,
                "--silent", str(silent), "--audio", str(audio), "--video", str(video), "--turns"] + list(extra)
        log = f"crowd-{room}-{len(self.procs)}.log"
        p = self.spawn(args, log)
        p.log = os.path.join(self.tmp, log)
        if not wait_ready:
            return p
        t0 = time.time()
        while time.time() - t0 < 600:
            text = open(os.path.join(self.tmp, log)).read()
            if "ready" in text:
                print(f"large: room {room}: {text.strip().splitlines()[-1]}", file=sys.stderr)
                return p
            if p.poll() is not None:
                sys.exit(f"large: the crowd of {room} failed:\n{text[-2000:]}")
            time.sleep(0.5)
        sys.exit(f"large: the crowd of {room} did not get in within 10 minutes")

    def display(self):
        for n in range(150, 200):
            if os.path.exists(f"/tmp/.X{n}-lock"):
                continue
            x = self.spawn(["Xvfb", f":{n}", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"], f"x{n}.log")
            for _ in range(50):
                if subprocess.run(["xdpyinfo"], env=dict(os.environ, DISPLAY=f":{n}"), capture_output=True).returncode == 0:
                    return x, f":{n}"
                time.sleep(0.1)
            self.stop(x)
        sys.exit("large: no display")


def read(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def wait_stats(path, cond, timeout, every=0.05):
    """Reads the app's stats until cond(stats) holds; returns them (None
    on timeout). Also keeps the longest UI wait and frame gap seen
    meanwhile."""
    t0, last, longest, gap = time.time(), None, 0.0, 0.0
    while time.time() - t0 < timeout:
        st = read(path)
        if st and st is not last and st.get("unix_ms") != (last or {}).get("unix_ms"):
            longest = max(longest, st.get("ui_wait_ms", 0))
            gap = max(gap, st.get("frame_gap_ms", 0))
            last = st
            if cond(st):
                st["longest_ui_wait_ms"], st["longest_frame_gap_ms"] = longest, gap
                return st
        time.sleep(every)
    return None


def videos(st):
    return {k: v for k, v in st["frames"].items() if k != "Kaigi" and v > 0}


def app_run(b, room, people, tag, secs):
    home = os.path.join(b.tmp, f"home-{tag}")
    os.makedirs(home, exist_ok=True)
    x, disp = b.display()
    stats = os.path.join(b.tmp, f"stats-{tag}.json")
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home + "/.config", XDG_RUNTIME_DIR=home, DISPLAY=disp)
    if os.environ.get("PROFILE"):
        # A CPU profile of the app's first 12 + SECS s: joining, settling
        # and the measurement (cmd/kaigi/profile.go).
        env.update(KAIGI_CPUPROFILE=os.path.join(os.environ["PROFILE"], f"{tag}.prof"),
                   KAIGI_CPUPROFILE_FOR=f"{12 + secs}s")
    link = f"{b.url}?token={b.token(room, tag)}"
    app = b.spawn([b.bin, "--fake-media", "--skip-lobby", "--name", "Kaigi", "--tile-stats", stats, link],
                  f"{tag}.log", env=env)
    out = {"room": room, "client": "app"}
    st = wait_stats(stats, lambda s: s["people"] >= people, 120)
    if not st:
        out["error"] = "the roster never became complete"
        b.stop(app); b.stop(x)
        return out
    out["roster_s"] = (st["unix_ms"] - st["join_unix_ms"]) / 1000
    st = wait_stats(stats, lambda s: len(videos(s)) >= 12, 60)
    if st:
        firsts = [v for k, v in st["first_unix_ms"].items() if k != "Kaigi"]
        out["first_video_s"] = (min(firsts) - st["join_unix_ms"]) / 1000
        out["all_videos_s"] = (max(firsts) - st["join_unix_ms"]) / 1000
    time.sleep(10)  # settled
    out.update(measure(b, app, x, stats, tag, secs))
    # Speaker view (Ctrl+Shift+V): the speaker large, a strip of the
    # others under it; measured the same way, then back to the grid.
    key(disp, "ctrl+shift+v")
    if wait_stats(stats, lambda s: s.get("speaker"), 5):
        time.sleep(5)  # the new view's videos asked for and arriving
        out.update({"speaker_" + k: v for k, v in measure(b, app, x, stats, tag + "-speaker", secs).items()})
    else:
        out["speaker_error"] = "Ctrl+Shift+V did not turn to speaker view"
    key(disp, "ctrl+shift+v")
    wait_stats(stats, lambda s: not s.get("speaker"), 5)
    time.sleep(2)
    if room == "big":
        out.update(paging(b, stats, disp))
        out.update(churn(b, room, stats, people))
    b.stop(app)
    b.stop(x)
    return out


def measure(b, app, x, stats, tag, secs):
    """The app's CPU, memory, pictures drawn and videos decoded over secs
    seconds of the view shown."""
    before = read(stats)
    perf = None
    if os.environ.get("PERF"):
        perf = subprocess.Popen(["perf", "record", "-q", "-F", "499", "-g", "-p", str(app.pid), "-o",
                                 os.path.join(os.environ["PERF"], f"{tag}.data"), "--", "sleep", str(secs)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    m = subprocess.run([sys.executable, os.path.join(ROOT, "bench/proctree.py"), "--root", str(app.pid),
                        "--xserver", str(x.pid), "--stats", stats, "--self", "Kaigi", "--secs", str(secs)],
                       capture_output=True, text=True)
    if perf:
        perf.wait()
    out = decoded(before, read(stats))
    mm = json.loads(m.stdout)
    out.update(cpu_s_per_min=mm["cpu_s_per_min"], xserver_cpu_s_per_min=mm["xserver_cpu_s_per_min"],
               peak_rss_mb=mm["peak_rss_mb"], rss_max_mb=mm["rss_max_mb"], pss_mb=mm["pss_mb"],
               fps_median=mm["fps_median"])
    return out


def decoded(before, after):
    """What the app decoded over the measurement: pictures a second per
    remote video (median), and in all: keyframes, the times lost packets
    broke a video's pictures, keyframes asked for, changes of size (of
    simulcast layer), and the sizes at the end."""
    if not before or not after or "decoded" not in after:
        return {}
    secs = (after["unix_ms"] - before["unix_ms"]) / 1000
    b, a = before.get("decoded") or {}, after["decoded"]
    rates = [(d["Frames"] - b.get(k, {}).get("Frames", 0)) / secs for k, d in a.items()]
    def total(field):
        return sum(d[field] - b.get(k, {}).get(field, 0) for k, d in a.items())
    sizes = sorted({f'{d["Width"]}x{d["Height"]}' for d in a.values()})
    return {"decoded_videos": len(a), "decoded_fps_median": statistics.median(rates) if rates else 0,
            "decoded_fps_sum": sum(rates), "keyframes": total("Keyframes"), "breaks": total("Breaks"),
            "keyframes_asked": total("KeyRequests"), "resizes": total("Resizes"), "sizes": " ".join(sizes)}


def key(disp, k):
    env = dict(os.environ, DISPLAY=disp)
    wid = subprocess.run(["xdotool", "search", "--name", "Kaigi"], env=env, capture_output=True, text=True).stdout.split()
    if wid:
        subprocess.run(["xdotool", "windowfocus", wid[0]], env=env, capture_output=True)
    subprocess.run(["xdotool", "key", k], env=env, capture_output=True)


def paging(b, stats, disp):
    st = read(stats)
    pages = st["pages"]
    read(stats)
    longest = gap = 0.0
    for want in list(range(2, pages + 1)) + list(range(pages - 1, 0, -1)):
        key(disp, "Next" if want > st["page"] else "Prior")
        got = wait_stats(stats, lambda s: s["page"] == want, 5)
        if not got:
            return {"paging_error": f"page {want} did not show"}
        longest = max(longest, got["longest_ui_wait_ms"])
        gap = max(gap, got["longest_frame_gap_ms"])
        back = time.time()
        st = got
    # Back on page 1: how long until every video there draws again.
    before = videos(st)
    got = wait_stats(stats, lambda s: all(s["frames"].get(k, 0) > v for k, v in before.items()), 10)
    out = {"pages": pages, "paging_ui_wait_ms": longest, "paging_frame_gap_ms": gap}
    if got:
        out["videos_back_s"] = got["unix_ms"] / 1000 - back
        out["paging_ui_wait_ms"] = max(longest, got["longest_ui_wait_ms"])
        out["paging_frame_gap_ms"] = max(gap, got["longest_frame_gap_ms"])
    return out


def churn(b, room, stats, people):
    p = b.crowd(room, 0, 0, 0, ["--churn", "10", "--churn-for", "30s", "--churn-stay", "5s", "--for", "0s"],
                wait_ready=False)
    longest, gap, peak, t0 = 0.0, 0.0, 0, time.time()
    while p.poll() is None and time.time() - t0 < 120:
        st = wait_stats(stats, lambda s: True, 1)
        if st:
            longest = max(longest, st["longest_ui_wait_ms"])
            gap = max(gap, st["longest_frame_gap_ms"])
            peak = max(peak, st["people"])
    settled = wait_stats(stats, lambda s: s["people"] == people, 30)
    text = open(p.log).read()
    done = re.search(r"churn done: (\d+) joined and left, (\d+) failed", text)
    return {"churn_ui_wait_ms": longest, "churn_frame_gap_ms": gap, "churn_peak_people": peak, "churn_settled": bool(settled),
            "churn_joined": int(done.group(1)) if done else 0, "churn_failed": int(done.group(2)) if done else 0}


def headless_run(b, room, tag):
    stats = os.path.join(b.tmp, f"h-{tag}.json")
    link = f"{b.url}?token={b.token(room, tag)}"
    r = subprocess.run(["/usr/bin/time", "-f", "%M %U %S %e", b.bin, "join", link, "--headless", "--fake-media",
                        "--name", "Kaigi", "--duration", "20s", "--stats-json", stats], capture_output=True, text=True)
    rss, u, s, e = r.stderr.strip().splitlines()[-1].split()
    st = read(stats) or {}
    return {"room": room, "client": "headless", "connected_s": st.get("connected_ms", 0) / 1000,
            "first_video_s": (st.get("first_frame_ms", 0)) / 1000, "peak_rss_mb": int(rss) / 1024,
            "cpu_s_per_min": 60 * (float(u) + float(s)) / float(e),
            "peers": len(st.get("peers", []))}


def med(rows, k, count=False):
    v = [r[k] for r in rows if k in r]
    if not v:
        return "–"
    f = (lambda x: f"{x:.2f}") if max(v) < 10 and not count else (lambda x: f"{x:.0f}")
    return f"{f(statistics.median(v))} ({f(min(v))}–{f(max(v))})" if len(v) > 1 else f(v[0])


def ratio(app, k):
    """The room of 301's median over the room of 13's, and each run's."""
    a, b = [r[k] for r in app["small"] if k in r], [r[k] for r in app["big"] if k in r]
    if not a or not b:
        return "–"
    out = f"{statistics.median(b) / statistics.median(a):.2f}×"
    runs = {r["run"]: r[k] for r in app["small"] if k in r}
    each = [f"{r[k] / runs[r['run']]:.2f}" for r in app["big"] if k in r and r["run"] in runs]
    return out + (f" (runs {', '.join(each)})" if len(each) > 1 else "")


def sizes(rows, prefix=""):
    """The picture sizes the runs ended with, and how many videos."""
    seen = sorted({sz for r in rows for sz in r.get(prefix + "sizes", "").split()})
    n = sorted({r.get(prefix + "decoded_videos", 0) for r in rows})
    return f"{'/'.join(map(str, n))} × {', '.join(seen) or '–'}"


def report(rows, load, runs, secs):
    app = {r: [x for x in rows if x["client"] == "app" and x["room"] == r] for r in ("small", "big")}
    hl = {r: [x for x in rows if x["client"] == "headless" and x["room"] == r] for r in ("small", "big")}
    lines = [
        "# Large meetings: 300 in a LiveKit room (issue 19)",
        "",
        f"Measured by `make bench` (bench/large.py) on 2 cores, livekit-server v1.13.5 on loopback, {runs} run(s), "
        f"load average {load} at the start. The room of 300: 268 present without media, 20 sending sound (speaking "
        "two at a time, 3 s each), 12 sending 640x480@30 (a pre-encoded loop) and sound; Kaigi joins as the "
        "301st, sending its own 640x480@30. The room of 13: the same 12 cameras alone. The app runs under Xvfb "
        "(software rendering) with the grid on page 1 (16 tiles: the 12 cameras first). Median (min–max).",
        "",
        "| | room of 13 | room of 301 | aim |",
        "|---|---|---|---|",
        f"| app: Join to the complete roster (s) | {med(app['small'], 'roster_s')} | {med(app['big'], 'roster_s')} | |",
        f"| app: Join to the first remote picture (s) | {med(app['small'], 'first_video_s')} | {med(app['big'], 'first_video_s')} | ≤ 1.5 |",
        f"| app: Join to all 12 videos drawn (s) | {med(app['small'], 'all_videos_s')} | {med(app['big'], 'all_videos_s')} | |",
        f"| app: CPU s per minute, page 1 | {med(app['small'], 'cpu_s_per_min')} | {med(app['big'], 'cpu_s_per_min')} | within 15 %: {ratio(app, 'cpu_s_per_min')} |",
        f"| app: peak RSS (MB) | {med(app['small'], 'peak_rss_mb')} | {med(app['big'], 'peak_rss_mb')} | ≤ 250 |",
        f"| app: fps drawn per remote tile | {med(app['small'], 'fps_median')} | {med(app['big'], 'fps_median')} | |",
        f"| app: videos received, at the end of the measurement | {sizes(app['small'])} | {sizes(app['big'])} | the low layer |",
        f"| app: keyframes decoded in the {secs} s (the loops send one every 2 s) | {med(app['small'], 'keyframes', True)} | {med(app['big'], 'keyframes', True)} | |",
        f"| app: keyframes asked for / pictures broken by loss | {med(app['small'], 'keyframes_asked', True)} / {med(app['small'], 'breaks', True)} | {med(app['big'], 'keyframes_asked', True)} / {med(app['big'], 'breaks', True)} | |",
        f"| app, speaker view: CPU s per minute | {med(app['small'], 'speaker_cpu_s_per_min')} | {med(app['big'], 'speaker_cpu_s_per_min')} | within 15 %: {ratio(app, 'speaker_cpu_s_per_min')} |",
        f"| app, speaker view: RSS, most sampled (MB) / peak so far | {med(app['small'], 'speaker_rss_max_mb')} / {med(app['small'], 'speaker_peak_rss_mb')} | {med(app['big'], 'speaker_rss_max_mb')} / {med(app['big'], 'speaker_peak_rss_mb')} | ≤ 250 |",
        f"| app, speaker view: videos received | {sizes(app['small'], 'speaker_')} | {sizes(app['big'], 'speaker_')} | |",
        f"| app: paging through all pages and back: longest UI wait (ms) | – | {med(app['big'], 'paging_ui_wait_ms')} | ≤ 100 |",
        f"| app: paging: longest gap between frames (ms) | – | {med(app['big'], 'paging_frame_gap_ms')} | ≤ 100 |",
        f"| app: back on page 1, until every video draws again (s) | – | {med(app['big'], 'videos_back_s')} | ≤ 1 |",
        f"| app: 10 joining and leaving a second for 30 s: longest UI wait (ms) | – | {med(app['big'], 'churn_ui_wait_ms')} | ≤ 100 |",
        f"| app: churn: longest gap between frames (ms) | – | {med(app['big'], 'churn_frame_gap_ms')} | ≤ 100 |",
        f"| headless: Join to connected (s) | {med(hl['small'], 'connected_s')} | {med(hl['big'], 'connected_s')} | |",
        f"| headless: Join to the first remote picture (s) | {med(hl['small'], 'first_video_s')} | {med(hl['big'], 'first_video_s')} | ≤ 1.5 |",
        f"| headless: peak RSS (MB) | {med(hl['small'], 'peak_rss_mb')} | {med(hl['big'], 'peak_rss_mb')} | |",
        f"| headless: CPU s per minute (20 s stay, joining included) | {med(hl['small'], 'cpu_s_per_min')} | {med(hl['big'], 'cpu_s_per_min')} | |",
        "",
        "The UI wait is how long the call's work waited for the UI thread, from being handed over to "
        "running (app/uirun.go: the room's events, pictures and updates, and an empty probe every 20 ms; the "
        "longest per 250 ms record). The gap between frames is the longest time between two of the window's "
        "frame ticks, when it neither handled input nor drew: a stall of the window shows in both. The times "
        "from Join are read from records written every 250 ms, so they are rounded up to that. Churn: "
        f"{'/'.join(str(r.get('churn_joined', 0)) for r in app['big'])} people joined and left in the runs "
        f"({'/'.join(str(r.get('churn_failed', 0)) for r in app['big'])} failed to join), and the roster was back at 301 after it in "
        f"{sum(1 for r in app['big'] if r.get('churn_settled'))} of {len(app['big'])} runs.",
        "",
    ]
    return "\n".join(lines)


def write_section(path, text):
    start, end = "<!-- bench/large.py writes from here -->\n", "<!-- to here (large) -->\n"
    doc = open(path).read()
    if start in doc:
        doc = doc[:doc.index(start)] + start + text + end + doc[doc.index(end) + len(end):]
    else:
        doc = doc.rstrip("\n") + "\n\n" + start + text + end
    open(path, "w").write(doc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--report", default="")
    ap.add_argument("--port", type=int, default=17980)
    a = ap.parse_args()
    runs, secs = int(os.environ.get("RUNS", "3")), int(os.environ.get("SECS", "30"))
    load = open("/proc/loadavg").read().split()[0]
    with tempfile.TemporaryDirectory() as tmp:
        b = Bench(tmp, a.port)
        try:
            b.crowd_bin = os.path.join(tmp, "crowd")
            subprocess.check_call(["go", "build", "-o", b.crowd_bin, "./bench/crowd/cmd"], cwd=ROOT)
            b.server()
            b.crowd("small", **SMALL, extra=["--for", "2h"])
            b.crowd("big", **BIG, extra=["--for", "2h"])
            rows = []
            for run in range(1, runs + 1):
                # Alternated, so that a machine getting busier or quieter
                # over the runs does not favour one room.
                order = (("small", 13), ("big", 301)) if run % 2 else (("big", 301), ("small", 13))
                for room, people in order:
                    for r in (app_run(b, room, people, f"app-{room}-{run}", secs), headless_run(b, room, f"hl-{room}-{run}")):
                        r["run"] = run
                        print(json.dumps(r), flush=True)
                        rows.append(r)
        finally:
            b.close()
    text = report(rows, load, runs, secs)
    print(text)
    if a.report:
        write_section(a.report, text)


if __name__ == "__main__":
    main()
