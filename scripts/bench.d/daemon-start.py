"""Starts a daemon under a real sd_notify socket: time from exec to READY=1, then idle RSS."""
import os, socket, subprocess, sys, tempfile, time

binary = sys.argv[1]
path = os.path.join(tempfile.mkdtemp(), "notify.sock")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
sock.settimeout(30)
env = dict(os.environ, NOTIFY_SOCKET=path)
start = time.monotonic()
proc = subprocess.Popen([binary], env=env, stderr=subprocess.DEVNULL)
while True:
    message = sock.recv(4096).decode()
    if "READY=1" in message:
        break
ready_ms = (time.monotonic() - start) * 1000
time.sleep(3)
rss_kb = 0
with open(f"/proc/{proc.pid}/status") as status:
    for line in status:
        if line.startswith("VmRSS:"):
            rss_kb = int(line.split()[1])
# RSS counts every page of the shared libraries (Swift runtime, Foundation) it touched; PSS divides
# shared pages among the processes mapping them, which is what the mesh's daemons cost together.
pss_kb = anon_kb = 0
with open(f"/proc/{proc.pid}/smaps_rollup") as rollup:
    for line in rollup:
        if line.startswith("Pss:"):
            pss_kb = int(line.split()[1])
        if line.startswith("Anonymous:"):
            anon_kb = int(line.split()[1])
proc.terminate()
code = proc.wait(timeout=30)
print(f"  {os.path.basename(binary)}: ready in {ready_ms:.0f} ms, idle RSS {rss_kb / 1024:.1f} MB "
      f"(PSS {pss_kb / 1024:.1f} MB, private anonymous {anon_kb / 1024:.1f} MB), exit {code} on SIGTERM")
