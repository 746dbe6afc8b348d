#!/usr/bin/env python3
"""Prints the targets of each Prometheus shard as Prometheus reports them (/api/v1/targets), per
scrape pool and shard, and checks them against what the demo expects.

  summary.py [--wait SECONDS] [--expect POOL=N ...] SHARD=URL [SHARD=URL ...]

With --wait it polls until every expected pool has its N targets, all `up`, across the shards
(and no other target is down), or the time runs out. Exit status 0 when that holds, 1 otherwise.
"""
import argparse
import json
import sys
import time
import urllib.request


def targets(url):
    with urllib.request.urlopen(url.rstrip("/") + "/api/v1/targets?state=active", timeout=5) as r:
        return json.load(r)["data"]["activeTargets"]


def collect(shards):
    rows, errors = [], []
    for shard, url in shards:
        try:
            for t in targets(url):
                rows.append((t["scrapePool"], shard, t))
        except Exception as e:  # a shard that is not up yet
            errors.append(f"shard {shard} ({url}): {e}")
    return rows, errors


def verdict(rows, errors, expect):
    problems = list(errors)
    for pool, n in expect.items():
        pool_rows = [t for p, _, t in rows if p == pool]
        up = sum(1 for t in pool_rows if t["health"] == "up")
        if len(pool_rows) != n or up != n:
            problems.append(f"{pool}: {up} of {len(pool_rows)} targets up, expected {n} up")
    for pool, shard, t in rows:
        if pool not in expect and t["health"] == "down":
            problems.append(f"{pool} (shard {shard}): {t['scrapeUrl']} is down: {t['lastError']}")
    return problems


def show(rows, shards, expect):
    print("== targets per scrape pool and shard, as Prometheus reports them (/api/v1/targets)")
    pools = sorted({p for p, _, _ in rows} | set(expect))
    for pool in pools:
        pool_rows = [(s, t) for p, s, t in rows if p == pool]
        up = sum(1 for _, t in pool_rows if t["health"] == "up")
        per_shard = ", ".join(
            f"shard {s}: {sum(1 for x, _ in pool_rows if x == s)}" for s, _ in shards)
        want = f" (expected {expect[pool]})" if pool in expect else ""
        print(f"{pool}: {up}/{len(pool_rows)} up{want}; {per_shard}")
        for shard, t in sorted(pool_rows, key=lambda st: (st[0], st[1]["scrapeUrl"])):
            labels = t["labels"]
            shown = " ".join(f"{k}={labels[k]}" for k in ("job", "namespace", "pod", "container", "endpoint")
                             if k in labels)
            line = f"   shard {shard}  {t['health']:<7} {t['scrapeUrl']:<48} {shown}"
            if t["health"] != "up" and t.get("lastError"):
                line += f"  error: {t['lastError']}"
            print(line)
    print()
    for shard, url in shards:
        print(f"Prometheus shard {shard}: {url}  (HTTP API: {url}/api/v1/targets, {url}/api/v1/query?query=up)")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--wait", type=float, default=0)
    p.add_argument("--expect", action="append", default=[])
    p.add_argument("shards", nargs="+")
    a = p.parse_args()
    shards = [tuple(s.split("=", 1)) for s in a.shards]
    expect = {e.rsplit("=", 1)[0]: int(e.rsplit("=", 1)[1]) for e in a.expect}
    deadline = time.monotonic() + a.wait
    while True:
        rows, errors = collect(shards)
        problems = verdict(rows, errors, expect)
        if not problems or time.monotonic() >= deadline:
            break
        time.sleep(2)
    show(rows, shards, expect)
    if problems:
        print("\nNOT every expected target is up:", file=sys.stderr)
        for problem in problems:
            print("  " + problem, file=sys.stderr)
        sys.exit(1)
    if expect:
        print(f"\nevery expected target is up ({sum(expect.values())} in {len(expect)} scrape pools)")


if __name__ == "__main__":
    main()
