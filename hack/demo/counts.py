#!/usr/bin/env python3
"""Compares Vigil's target counts with what the Prometheus shards scrape.

  counts.py STACK_NAMESPACE STACK SHARD=URL [SHARD=URL ...]

Each shard's `targets` in the MonitoringStack's status must equal the active targets its
Prometheus reports (/api/v1/targets), and the stack's TARGETS their sum; the ServiceMonitor
shop/checkout-stable, whose relabeling drops one of its three discovered endpoints, must say 2.
Prints the comparison and exits 0 when everything agrees, 1 otherwise (the caller retries while
statuses catch up).
"""
import json
import os
import subprocess
import sys
import urllib.request


def kubectl_json(*args):
    out = subprocess.run([os.environ.get("VIGIL_KUBECTL", "kubectl"), *args, "-o", "json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def active(url):
    with urllib.request.urlopen(url.rstrip("/") + "/api/v1/targets?state=active", timeout=5) as r:
        return len(json.load(r)["data"]["activeTargets"])


def main():
    namespace, stack = sys.argv[1], sys.argv[2]
    shards = [a.split("=", 1) for a in sys.argv[3:]]
    status = kubectl_json("get", "monitoringstack", stack, "-n", namespace).get("status", {})
    counted = {str(s.get("shard")): s.get("targets") for s in status.get("shardStatuses", [])}
    problems, lines = [], []
    total = 0
    for shard, url in shards:
        scraped = active(url)
        total += scraped
        lines.append(f"shard {shard}: Vigil counts {counted.get(shard)}, Prometheus scrapes {scraped}")
        if counted.get(shard) != scraped:
            problems.append(f"shard {shard}: the status says {counted.get(shard)}, "
                            f"Prometheus has {scraped} active targets")
    lines.append(f"stack {namespace}/{stack}: TARGETS {status.get('targets')}, Prometheus {total}")
    if status.get("targets") != total:
        problems.append(f"stack TARGETS {status.get('targets')}, Prometheus {total}")
    monitor = kubectl_json("get", "servicemonitor", "checkout-stable", "-n", "shop").get("status", {})
    lines.append(f"servicemonitor shop/checkout-stable: TARGETS {monitor.get('targets')}"
                 " (3 discovered, 1 dropped by relabeling)")
    if monitor.get("targets") != 2:
        problems.append(f"shop/checkout-stable TARGETS {monitor.get('targets')}, expected 2")
    print("== target counts: Vigil's status against Prometheus's active targets")
    print("\n".join(lines))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
