"""An app on the retired Jaeger client for Python (jaeger-client 4.8.0), as its README shows it:
Config with a const sampler and the UDP agent reporter, one parent span and one child span with
tags (the child an error), then tracer.close(), which flushes the reporter.

The agent's address comes from the environment, as in a pod: JAEGER_AGENT_HOST and
JAEGER_AGENT_PORT (the client sends Thrift compact there). Prints "trace <traceId>" once closed.
"""

import logging
import os
import time

from jaeger_client import Config

logging.basicConfig(format="%(levelname)s %(message)s", level=logging.INFO)

config = Config(
    config={
        "sampler": {"type": "const", "param": 1},
        "local_agent": {
            "reporting_host": os.environ["JAEGER_AGENT_HOST"],
            "reporting_port": int(os.environ["JAEGER_AGENT_PORT"]),
        },
        "reporter_flush_interval": 0.1,
        "logging": True,
    },
    service_name=os.environ["SERVICE_NAME"],
    validate=True,
)
tracer = config.initialize_tracer()

with tracer.start_active_span("checkout") as checkout_scope:
    checkout = checkout_scope.span
    checkout.set_tag("order.id", "o-42")
    with tracer.start_active_span("charge-card") as charge_scope:
        charge_scope.span.set_tag("payment.method", "card")
        charge_scope.span.set_tag("error", True)
        charge_scope.span.log_kv({"event": "error", "message": "card declined"})

# As the client's README does: yield to the reporter's IOLoop thread to flush the spans, then close.
time.sleep(1)
tracer.close()
time.sleep(0.2)
print("trace %x" % checkout.trace_id, flush=True)
