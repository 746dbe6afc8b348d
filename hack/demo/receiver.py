#!/usr/bin/env python3
"""Stand-ins for what the demo's Prometheus pushes to, so that it never resolves or dials a host
outside the demo: the example stack's remote write backend (https://mimir.example.com in
manifests/examples/monitoringstack.yaml) and the stack's Alertmanager pods (no kubelet runs them).

  receiver.py --listen ADDR:PORT [--listen ADDR:PORT ...] --username USER --password-file FILE

Every --listen address accepts
  POST /api/v1/push    Prometheus remote write; 401 without `Authorization: Basic` for USER and
                       the password in FILE (the Secret the stack references). The body (snappy
                       compressed protobuf) is counted, not decoded.
  POST /api/v2/alerts  Alertmanager's alerts API; counts the alerts.
  GET /stats           {"remote_write": {"requests", "bytes", "unauthorized"},
                        "alerts": {"posts", "alerts"}}
Standard library only; SIGTERM stops it.
"""
import argparse
import base64
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", action="append", required=True)
    ap.add_argument("--username", required=True)
    ap.add_argument("--password-file", required=True)
    args = ap.parse_args()
    with open(args.password_file) as f:
        password = f.read()
    expected = "Basic " + base64.b64encode(f"{args.username}:{password}".encode()).decode()
    stats = {"remote_write": {"requests": 0, "bytes": 0, "unauthorized": 0},
             "alerts": {"posts": 0, "alerts": 0}}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def reply(self, code, body=b"", content_type="application/json"):
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            path = self.path.split("?")[0]
            with lock:
                if path == "/api/v1/push":
                    rw = stats["remote_write"]
                    if self.headers.get("Authorization") != expected:
                        rw["unauthorized"] += 1
                        self.reply(401, b"wrong or missing credentials\n", "text/plain")
                        return
                    rw["requests"] += 1
                    rw["bytes"] += len(body)
                    self.reply(204)
                elif path == "/api/v2/alerts":
                    try:
                        alerts = json.loads(body)
                    except ValueError:
                        self.reply(400, b"not JSON\n", "text/plain")
                        return
                    stats["alerts"]["posts"] += 1
                    stats["alerts"]["alerts"] += len(alerts) if isinstance(alerts, list) else 0
                    self.reply(200)
                else:
                    self.reply(404, b"not found\n", "text/plain")

        def do_GET(self):
            if self.path != "/stats":
                self.reply(404, b"not found\n", "text/plain")
                return
            with lock:
                out = json.dumps(stats).encode()
            self.reply(200, out)

        def log_message(self, *_):
            pass

    for listen in args.listen:
        host, port = listen.rsplit(":", 1)
        server = ThreadingHTTPServer((host, int(port)), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"listening on http://{listen}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    threading.Event().wait()


if __name__ == "__main__":
    main()
