#!/usr/bin/env python3
"""A stand-in for an application pod in `make demo`: serves Prometheus metrics that look like a
real HTTP service's (request counters and latency histograms that grow while it runs).

  sample-app.py --app checkout --version 1.4.2 --listen 192.0.2.2:40001 [--listen ADDR:PORT ...]
                [--tls ADDR:PORT --cert FILE --key FILE --token-file FILE]

Every --listen address serves /metrics (and any other path ending in "metrics" or "prometheus",
e.g. /stats/prometheus). The --tls address serves the same over HTTPS and only to requests that
carry `Authorization: Bearer <token from --token-file>`, like an admin endpoint would.
Standard library only; SIGTERM stops it.
"""
import argparse
import random
import signal
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
ROUTES = (("GET", "/"), ("GET", "/cart"), ("POST", "/cart/items"), ("POST", "/checkout"))


class Metrics:
    def __init__(self, app, version):
        self.app, self.version = app, version
        self.started = time.time()
        self.lock = threading.Lock()
        self.requests = {}  # (method, path, code) -> count
        self.durations = {}  # (method, path) -> [bucket counts..., sum, count]
        self.scrapes = 0
        self.in_flight = 0

    def simulate(self):
        """Some traffic: mostly 200s, a few 4xx and 5xx, log-normal latencies."""
        while True:
            with self.lock:
                for _ in range(random.randint(5, 20)):
                    method, path = random.choice(ROUTES)
                    r = random.random()
                    code = "500" if r < 0.02 else "404" if r < 0.05 else "200"
                    key = (method, path, code)
                    self.requests[key] = self.requests.get(key, 0) + 1
                    seconds = random.lognormvariate(-3.5, 0.8)
                    h = self.durations.setdefault((method, path), [0] * len(BUCKETS) + [0.0, 0])
                    for i, le in enumerate(BUCKETS):
                        if seconds <= le:
                            h[i] += 1
                    h[-2] += seconds
                    h[-1] += 1
                self.in_flight = random.randint(0, 4)
            time.sleep(1)

    def render(self):
        with self.lock:
            self.scrapes += 1
            out = [
                "# HELP app_info Build information.",
                "# TYPE app_info gauge",
                f'app_info{{app="{self.app}",version="{self.version}"}} 1',
                "# HELP http_requests_total HTTP requests served, by method, path and status code.",
                "# TYPE http_requests_total counter",
            ]
            for (method, path, code), n in sorted(self.requests.items()):
                out.append(f'http_requests_total{{method="{method}",path="{path}",code="{code}"}} {n}')
            out += [
                "# HELP http_request_duration_seconds Time spent serving HTTP requests.",
                "# TYPE http_request_duration_seconds histogram",
            ]
            for (method, path), h in sorted(self.durations.items()):
                labels = f'method="{method}",path="{path}"'
                for i, le in enumerate(BUCKETS):
                    out.append(f'http_request_duration_seconds_bucket{{{labels},le="{le}"}} {h[i]}')
                out.append(f'http_request_duration_seconds_bucket{{{labels},le="+Inf"}} {h[-1]}')
                out.append(f"http_request_duration_seconds_sum{{{labels}}} {h[-2]:.6f}")
                out.append(f"http_request_duration_seconds_count{{{labels}}} {h[-1]}")
            out += [
                "# HELP http_requests_in_flight Requests being served right now.",
                "# TYPE http_requests_in_flight gauge",
                f"http_requests_in_flight {self.in_flight}",
                "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.",
                "# TYPE process_start_time_seconds gauge",
                f"process_start_time_seconds {self.started:.3f}",
                "# HELP sample_app_scrapes_total Times these metrics were scraped.",
                "# TYPE sample_app_scrapes_total counter",
                f"sample_app_scrapes_total {self.scrapes}",
            ]
        return ("\n".join(out) + "\n").encode()


def handler(metrics, token):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if not (path.endswith("metrics") or path.endswith("prometheus")):
                return self.reply(404, b"not found\n")
            if token is not None and self.headers.get("Authorization") != f"Bearer {token}":
                return self.reply(401, b"missing or wrong bearer token\n")
            self.reply(200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8")

        def reply(self, code, body, content_type="text/plain"):
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def address(value):
    host, _, port = value.rpartition(":")
    return host, int(port)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--app", required=True)
    p.add_argument("--version", default="1.0.0")
    p.add_argument("--listen", action="append", type=address, default=[])
    p.add_argument("--tls", type=address)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--token-file")
    args = p.parse_args()
    metrics = Metrics(args.app, args.version)
    servers = []
    try:
        for addr in args.listen:
            servers.append(ThreadingHTTPServer(addr, handler(metrics, None)))
        if args.tls:
            with open(args.token_file) as f:
                token = f.read().strip()
            server = ThreadingHTTPServer(args.tls, handler(metrics, token))
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(args.cert, args.key)
            server.socket = context.wrap_socket(server.socket, server_side=True)
            servers.append(server)
    except OSError as e:
        sys.exit(f"sample-app {args.app}: {e}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    threading.Thread(target=metrics.simulate, daemon=True).start()
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
