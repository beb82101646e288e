"""Runs a command and reports when its output started and how long it ran.

    python3 measure.py OUT RSS CMD [ARGS...]

Runs CMD (under `/usr/bin/time -f %M -o RSS`) with its stdout written to
OUT, and prints `FIRST TOTAL PEAK_RSS_KIB`: the seconds from just before
the process starts to the first byte on its stdout (`-` if it wrote
nothing), the seconds until it exited, and its peak resident set size.
Exits with an error naming the command if it fails. Used by
yosys-timings.sh and yosys-strategies.sh.
"""

import subprocess, sys, time
out, rss = sys.argv[1], sys.argv[2]
cmd = ["/usr/bin/time", "-f", "%M", "-o", rss] + sys.argv[3:]
t0 = time.perf_counter()
p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
first = None
with open(out, "wb") as f:
    while True:
        chunk = p.stdout.read1(65536)
        if not chunk:
            break
        if first is None:
            first = time.perf_counter() - t0
        f.write(chunk)
code = p.wait()
total = time.perf_counter() - t0
if code != 0:
    sys.exit(f"exit code {code}: {' '.join(sys.argv[3:])}")
with open(rss) as f:
    kib = f.read().split()[-1]
print("-" if first is None else f"{first:.4f}", f"{total:.4f}", kib)
