"""A stand-in Flask service for InstrumentedAppsIT: no OpenTelemetry code of its own.

GET / calls GET /inventory on itself over HTTP (urllib, an instrumented client) and answers 200,
so one request gives a trace of a server span, a client span and the inner server span. It listens
on 127.0.0.1:$PORT.
"""
import os
import urllib.request

from flask import Flask

PORT = int(os.environ["PORT"])
app = Flask(__name__)


@app.get("/")
def checkout():
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/inventory", timeout=5) as response:
        return {"inventory": response.read().decode()}, 200


@app.get("/inventory")
def inventory():
    return "42", 200


@app.get("/healthz")
def healthz():
    return "ok", 200


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=PORT, threaded=True)
