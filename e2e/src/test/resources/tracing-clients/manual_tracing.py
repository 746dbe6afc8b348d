"""A program instrumented by hand with the OpenTelemetry Python SDK, as every tutorial shows it.

Nothing in it knows Vigil: where the spans go is configuration only, OTEL_EXPORTER_OTLP_ENDPOINT
(read by OTLPSpanExporter) and OTEL_SERVICE_NAME. One trace: "checkout" with attributes, and its
child "charge-card", which records an exception and sets an error status. Prints
"trace <trace id>" once the provider has shut down (flushing the batch).
"""

import os

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Status, StatusCode

resource = Resource.create({SERVICE_NAME: os.environ.get("OTEL_SERVICE_NAME", "checkout")})
provider = TracerProvider(resource=resource)
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
trace.set_tracer_provider(provider)

tracer = trace.get_tracer(__name__)


def charge(amount):
    raise RuntimeError(f"card declined for {amount}")


with tracer.start_as_current_span("checkout") as checkout:
    checkout.set_attribute("order.id", "o-42")
    checkout.set_attribute("order.items", 3)
    with tracer.start_as_current_span("charge-card") as span:
        span.set_attribute("payment.method", "card")
        try:
            charge(42)
        except RuntimeError as error:
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, str(error)))

provider.shutdown()
print("trace " + trace.format_trace_id(checkout.get_span_context().trace_id), flush=True)
