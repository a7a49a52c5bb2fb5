#!/usr/bin/env python3
"""Abuses `batchscope-cli broker` over raw sockets and reports its RSS (issue 17).

Starts the broker, opens connections that announce large frames and stall, samples the broker's
VmRSS and VmHWM from /proc, and checks that kcat still fetches Metadata and produces within 10 s.

  bench/broker_abuse.py BUILD/app/batchscope-cli prefix   # 100 conns, 4-byte prefix of 50 MB
  bench/broker_abuse.py BUILD/app/batchscope-cli mixed    # 3000 conns, 1000 announce 50-100 MB
  bench/broker_abuse.py BUILD/app/batchscope-cli partial  # 200 conns, 50 MB frames, 1 MB sent

Extra arguments after the scenario go to the broker (e.g. --queued-max-request-bytes 0).
"""
import os
import random
import resource
import socket
import struct
import subprocess
import sys
import tempfile
import time


def rss_kib(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":")
                out[key] = int(value.split()[0])
    return out


def connect(host, port):
    s = socket.create_connection((host, port), timeout=10)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    return s


def kcat_ok(bootstrap, args, stdin=None):
    try:
        r = subprocess.run(["kcat", "-b", bootstrap, "-m", "10"] + args, input=stdin,
                           capture_output=True, timeout=10)
        return r.returncode == 0
    except subprocess.TimeoutExpired:
        return False


def main():
    cli, scenario = sys.argv[1], sys.argv[2]
    resource.setrlimit(resource.RLIMIT_NOFILE, resource.getrlimit(resource.RLIMIT_NOFILE)[1:] * 2)
    data = tempfile.mkdtemp(prefix="bs-abuse-")
    broker = subprocess.Popen([cli, "broker", "--port", "0", "--data-dir", data, "--topic", "t:3",
                               "--log-level", "warn"] + sys.argv[3:],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = broker.stdout.readline().strip()
    bootstrap = line.split("=", 1)[1]
    host, port = bootstrap.split(",")[0].split(":")
    port = int(port)
    time.sleep(1)
    base = rss_kib(broker.pid)
    rng = random.Random(17)
    conns = []
    t0 = time.time()
    if scenario == "prefix":
        for _ in range(100):
            s = connect(host, port)
            s.sendall(struct.pack(">i", 50 * 1000 * 1000))
            conns.append(s)
    elif scenario == "mixed":
        for i in range(3000):
            try:
                s = connect(host, port)
            except OSError as e:
                print(f"connect {i}: {e}")
                continue
            if i % 3 == 0:
                s.sendall(struct.pack(">i", rng.randint(50, 100) * 1000 * 1000))
            conns.append(s)
    elif scenario == "partial":
        chunk = bytes(1 << 20)
        for _ in range(200):
            s = connect(host, port)
            s.setblocking(False)
            try:
                s.send(struct.pack(">i", 50 * 1000 * 1000) + chunk)
            except BlockingIOError:
                pass
            conns.append(s)
    else:
        sys.exit(f"unknown scenario {scenario}")
    opened = time.time() - t0
    time.sleep(3)
    during = rss_kib(broker.pid)
    metadata = kcat_ok(f"{host}:{port}", ["-L"])
    produce = kcat_ok(f"{host}:{port}", ["-P", "-t", "t"], b"a\nb\n")
    time.sleep(5)
    after = rss_kib(broker.pid)
    alive = 0
    for s in conns:
        try:
            s.setblocking(False)
            alive += 0 if s.recv(1) == b"" else 1
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
    print(f"scenario={scenario} connections={len(conns)} opened_in={opened:.1f}s "
          f"rss_before={base['VmRSS'] // 1024}MiB rss_during={during['VmRSS'] // 1024}MiB "
          f"rss_after_kcat={after['VmRSS'] // 1024}MiB rss_peak={after['VmHWM'] // 1024}MiB kcat_metadata={'ok' if metadata else 'FAILED'} "
          f"kcat_produce={'ok' if produce else 'FAILED'} still_open={alive}")
    for s in conns:
        s.close()
    broker.terminate()
    try:
        _, err = broker.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        broker.kill()
        _, err = broker.communicate()
    lines = err.splitlines()
    print(f"broker stderr: {len(lines)} lines")
    for l in lines[:8]:
        print("  " + l)
    subprocess.run(["rm", "-rf", data])


if __name__ == "__main__":
    main()
