#!/usr/bin/env python3
"""Posting load for benchmarks/scripts/failover.sh: CLIENTS threads post costs round-robin over the API replicas, each
posting with its own Idempotency-Key (= its reference). A posting answered 503, 5xx or not at all is retried with the
same key every RETRY_MS until it is acknowledged (201), as a client following Retry-After would, only sooner, so that
the moment the service resumes is seen. Every attempt is logged: "start end reference status" (epoch seconds).
The load stops starting new postings once STOP_FILE exists; postings already started are finished (up to GIVE_UP s).
"""
import argparse
import itertools
import json
import os
import threading
import time
import urllib.error
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--urls", required=True)
parser.add_argument("--key", required=True)
parser.add_argument("--service", required=True)
parser.add_argument("--label", required=True)
parser.add_argument("--clients", type=int, default=4)
parser.add_argument("--retry-ms", type=int, default=100)
parser.add_argument("--give-up", type=float, default=60)
parser.add_argument("--stop-file", required=True)
parser.add_argument("--log", required=True)
args = parser.parse_args()

urls = args.urls.split(",")
log_lock = threading.Lock()
log = open(args.log, "w", buffering=1)


def attempt(url, reference):
    body = json.dumps({"month": "2024-06", "amount": 1.23, "category": "staff", "reference": reference}).encode()
    request = urllib.request.Request(f"{url}/api/v1/shared-services/{args.service}/costs", data=body, method="POST", headers={
        "X-Api-Key": args.key, "Content-Type": "application/json", "Idempotency-Key": reference})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception:  # refused, reset, timed out: the outcome is unknown, so the same key is sent again
        return 0


def client(number):
    replicas = itertools.cycle(urls[number % len(urls):] + urls[:number % len(urls)])
    for n in itertools.count(1):
        if os.path.exists(args.stop_file):
            return
        reference = f"fo-{args.label}-{number}-{n}"
        first = time.time()
        while True:
            start = time.time()
            status = attempt(next(replicas), reference)
            with log_lock:
                log.write(f"{start:.3f} {time.time():.3f} {reference} {status}\n")
            if status in (200, 201) or (400 <= status < 500) or time.time() - first > args.give_up:
                break
            time.sleep(args.retry_ms / 1000)


threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
log.close()
