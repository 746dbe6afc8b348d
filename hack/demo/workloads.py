#!/usr/bin/env python3
"""The pretend workloads of `make demo`, in one place: the Pods, Services and EndpointSlices it
writes (no kubelet or controllers run), the processes standing in for the pods, and the targets
Prometheus should end up scraping.

  workloads.py plan APP_IP NET OPERATOR_IP OPERATOR_PORT > plan.json
                                    pick free ports, fix every address
  workloads.py objects plan.json    Namespaces, Pods, Services, EndpointSlices (a kubectl List, JSON)
  workloads.py status plan.json     one line per pod: NAMESPACE NAME STATUS-PATCH-JSON
  workloads.py apps plan.json DIR   one line per process: sample-app.py's arguments, shell-quoted
                                    (DIR holds tls.crt, tls.key and token for the HTTPS endpoints)
  workloads.py expect plan.json     one line per scrape pool: POOL EXPECTED-TARGETS

Addresses: EndpointSlices may not hold loopback addresses (the API server rejects 127.0.0.0/8), so
pods behind Services get APP_IP with one port per pod, and one EndpointSlice per pod; the pods a
PodMonitor scrapes on a fixed port (9102 in the example) each get their own address (NET.11,
NET.12, ...); the operator's pod is OPERATOR_IP. As root, hack/demo.sh runs the apps in a network
namespace of its own (hack/demo/netns.sh): APP_IP and NET.x are addresses inside it, OPERATOR_IP
this machine's end of its veth pair. Without root, APP_IP and OPERATOR_IP are this machine's own
address and NET a 127.x network (pod IPs may be loopback).
"""
import json
import shlex
import socket
import sys


def free_ports(n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("", 0))  # free on every address of this machine (in a namespace, all are free)
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def plan(app_ip, net, operator_ip, operator_port):
    p = iter(free_ports(6))
    checkout = {"app.kubernetes.io/name": "checkout", "app.kubernetes.io/part-of": "shop"}

    def checkout_pod(ns, name, instance, version):
        http, https = next(p), next(p)
        return {
            "namespace": ns, "name": name, "ip": app_ip, "service": "checkout",
            "labels": {**checkout, "app.kubernetes.io/instance": instance, "app.kubernetes.io/version": version},
            "containers": [{"name": "checkout", "ports": [
                {"name": "http-metrics", "containerPort": http}, {"name": "https-admin", "containerPort": https}]}],
            "app": ["--app", "checkout", "--version", version, "--listen", f"{app_ip}:{http}",
                    "--tls", f"{app_ip}:{https}"],
        }

    def worker_pod(name, ip, tier, process=True):
        return {
            "namespace": "shop", "name": name, "ip": ip,
            "labels": {"app": "worker", "tier": tier, "app.kubernetes.io/component": "order-worker"},
            "containers": [
                {"name": "worker", "ports": [{"name": "metrics", "containerPort": 9100}]},
                {"name": "stats-exporter", "ports": [{"containerPort": 9102}]},
            ],
            "app": ["--app", "order-worker", "--version", "2.3.0", "--listen", f"{ip}:9100", "--listen", f"{ip}:9102"]
            if process else None,
        }

    pods = [
        checkout_pod("shop", "checkout-0", "checkout", "1.4.2"),
        checkout_pod("shop", "checkout-1", "checkout", "1.4.2"),
        checkout_pod("shop-canary", "checkout-canary-0", "checkout-canary", "1.5.0-rc.1"),
        worker_pod("worker-0", f"{net}.11", "backend"),
        worker_pod("worker-1", f"{net}.12", "backend"),
        # tier=experimental: the example PodMonitor leaves it out, so nothing needs to answer
        worker_pod("worker-experimental-0", f"{net}.13", "experimental", process=False),
        {   # the operator this demo runs, scraped through the ServiceMonitor in hack/demo/monitors.yaml
            "namespace": "vigil-system", "name": "vigil-operator-0", "ip": operator_ip, "service": "vigil-operator",
            "labels": {"app.kubernetes.io/name": "vigil-operator"},
            "containers": [{"name": "operator", "ports": [{"name": "http", "containerPort": operator_port}]}],
            "app": None,
        },
    ]
    services = [
        {"namespace": ns, "name": "checkout", "labels": {**checkout, "app.kubernetes.io/version": version},
         "selector": checkout, "ports": [("http-metrics", 8080), ("https-admin", 8443)]}
        for ns, version in (("shop", "1.4.2"), ("shop-canary", "1.5.0-rc.1"))
    ] + [
        {"namespace": "vigil-system", "name": "vigil-operator", "labels": {"app.kubernetes.io/name": "vigil-operator"},
         "selector": {"app.kubernetes.io/name": "vigil-operator"}, "ports": [("http", 8080)]},
    ]
    expect = {
        "serviceMonitor/shop/checkout/0": 3,
        "serviceMonitor/shop/checkout/1": 3,
        # hack/demo/monitors.yaml: the release candidate (shop-canary) is dropped by relabeling
        "serviceMonitor/shop/checkout-stable/0": 2,
        "podMonitor/shop/workers/0": 2,
        "podMonitor/shop/workers/1": 2,
        "serviceMonitor/vigil-system/vigil-operator/0": 1,
    }
    return {"namespaces": ["shop", "shop-canary", "vigil-system"], "pods": pods, "services": services,
            "expect": expect}


def objects(pl):
    items = [{"apiVersion": "v1", "kind": "Namespace",
              "metadata": {"name": ns, "labels": {"monitoring": "enabled"}}} for ns in pl["namespaces"]]
    for pod in pl["pods"]:
        items.append({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": pod["name"], "namespace": pod["namespace"], "labels": pod["labels"]},
            "spec": {"nodeName": "vigil-demo", "containers": [
                {"name": c["name"], "image": f"example.com/{c['name']}:demo", "ports": c["ports"]}
                for c in pod["containers"]]},
        })
    for svc in pl["services"]:
        items.append({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": svc["name"], "namespace": svc["namespace"], "labels": svc["labels"]},
            "spec": {"selector": svc["selector"],
                     "ports": [{"name": n, "port": port, "targetPort": n} for n, port in svc["ports"]]},
        })
        # What the EndpointSlice controller would write: one slice per pod, since each pod listens
        # on its own port of APP_IP.
        for pod in (p for p in pl["pods"] if p.get("service") == svc["name"] and p["namespace"] == svc["namespace"]):
            by_name = {port["name"]: port["containerPort"] for c in pod["containers"] for port in c["ports"] if "name" in port}
            items.append({
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": f"{svc['name']}-{pod['name']}", "namespace": svc["namespace"],
                             "labels": {"kubernetes.io/service-name": svc["name"],
                                        "endpointslice.kubernetes.io/managed-by": "vigil-demo"}},
                "addressType": "IPv4",
                "ports": [{"name": n, "port": by_name[n], "protocol": "TCP"} for n, _ in svc["ports"]],
                "endpoints": [{"addresses": [pod["ip"]], "nodeName": "vigil-demo",
                               "conditions": {"ready": True, "serving": True, "terminating": False},
                               "targetRef": {"kind": "Pod", "namespace": pod["namespace"], "name": pod["name"]}}],
            })
    return {"apiVersion": "v1", "kind": "List", "items": items}


def status(pod):
    conditions = [{"type": t, "status": "True"} for t in ("PodScheduled", "Initialized", "ContainersReady", "Ready")]
    return {"status": {"phase": "Running", "podIP": pod["ip"], "podIPs": [{"ip": pod["ip"]}], "hostIP": pod["ip"],
                       "conditions": conditions,
                       "containerStatuses": [{"name": c["name"], "image": f"example.com/{c['name']}:demo", "imageID": "",
                                              "ready": True, "restartCount": 0, "started": True,
                                              "state": {"running": {}}} for c in pod["containers"]]}}


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "plan":
        print(json.dumps(plan(args[0], args[1], args[2], int(args[3])), indent=1))
        return
    with open(args[0]) as f:
        pl = json.load(f)
    if cmd == "objects":
        print(json.dumps(objects(pl), indent=1))
    elif cmd == "status":
        for pod in pl["pods"]:
            print(pod["namespace"], pod["name"], json.dumps(status(pod)))
    elif cmd == "apps":
        for pod in pl["pods"]:
            app = pod["app"]
            if app:
                if "--tls" in app:
                    d = args[1]
                    app = app + ["--cert", f"{d}/tls.crt", "--key", f"{d}/tls.key", "--token-file", f"{d}/token"]
                print(shlex.join(app))
    elif cmd == "expect":
        for pool, n in pl["expect"].items():
            print(pool, n)
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
