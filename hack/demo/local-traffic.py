#!/usr/bin/env python3
"""Fails when a demo Prometheus sends traffic anywhere but loopback and the demo's own network.

  local-traffic.py [--allow CIDR ...] SHARD=URL [SHARD=URL ...]

For each shard it reads what Prometheus reaches: the scrape URL of every active target
(/api/v1/targets), every Alertmanager it notifies (/api/v1/alertmanagers) and every `url` or
`*_url` of its loaded configuration (/api/v1/status/config: remote write, HTTP service discovery,
...). Each host must be an IP address in 127.0.0.0/8 or one of the --allow ranges (the demo's
network namespace), or localhost; a name is refused, since resolving it already sends a DNS query
off the machine. Exit status 0 and a one-line summary when that holds, 1 and the offenders if not.
The Java tests make the same check (RealPrometheus#assertTrafficStaysLocal).
"""
import argparse
import ipaddress
import json
import re
import sys
import urllib.parse
import urllib.request

# `url: ...` or `something_url: ...`, as Prometheus writes its loaded configuration (one key per
# line, a list item's first key after "- "); standard library only, so no YAML parser.
CONFIG_URL = re.compile(r"^\s*(?:-\s+)?(?:url|\w+_url):\s*['\"]?([^'\"\s]+)", re.M)


def api(url, path):
    with urllib.request.urlopen(url.rstrip("/") + path, timeout=5) as r:
        body = json.load(r)
    if body.get("status") != "success":
        raise RuntimeError(f"{path}: {body}")
    return body["data"]


def urls(url):
    found = [t["scrapeUrl"] for t in api(url, "/api/v1/targets?state=active")["activeTargets"]]
    found += [a["url"] for a in api(url, "/api/v1/alertmanagers")["activeAlertmanagers"]]
    found += CONFIG_URL.findall(api(url, "/api/v1/status/config")["yaml"])
    return found


def allowed(host, networks):
    if host is None:
        return False
    if host.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or any(address in n for n in networks)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--allow", action="append", default=[])
    ap.add_argument("shards", nargs="+")
    args = ap.parse_args()
    networks = [ipaddress.ip_network(c) for c in args.allow]
    checked, outside = 0, []
    for shard in args.shards:
        name, url = shard.split("=", 1)
        for u in urls(url):
            checked += 1
            if not allowed(urllib.parse.urlsplit(u).hostname, networks):
                outside.append(f"shard {name}: {u}")
    ranges = ", ".join(["127.0.0.0/8"] + args.allow)
    if outside:
        print(f"Prometheus sends traffic outside {ranges}:", *outside, sep="\n  ", file=sys.stderr)
        sys.exit(1)
    print(f"traffic: the {checked} URLs Prometheus uses (targets, Alertmanagers, remote write, "
          f"service discovery) are all in {ranges}")


if __name__ == "__main__":
    main()
