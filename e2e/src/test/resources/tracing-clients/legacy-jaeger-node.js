// An app on the retired Jaeger client for Node.js (jaeger-client 3.19.0), as its README shows it:
// initTracer with a const sampler and the UDP agent reporter, one parent span and one child span
// with tags (the child an error), then tracer.close(), which flushes the reporter.
//
// The agent's address comes from the environment, as in a pod: JAEGER_AGENT_HOST and
// JAEGER_AGENT_PORT (the client sends Thrift binary there). Prints "trace <traceId>" once the
// tracer is closed.
'use strict';

const { initTracer } = require('jaeger-client');

const tracer = initTracer(
  {
    serviceName: process.env.SERVICE_NAME,
    sampler: { type: 'const', param: 1 },
    reporter: {
      agentHost: process.env.JAEGER_AGENT_HOST,
      agentPort: Number(process.env.JAEGER_AGENT_PORT),
      flushIntervalMs: 100,
    },
  },
  {
    logger: {
      info: (message) => console.log('INFO ' + message),
      error: (message) => console.log('ERROR ' + message),
    },
  },
);

const checkout = tracer.startSpan('checkout');
checkout.setTag('order.id', 'o-42');
const charge = tracer.startSpan('charge-card', { childOf: checkout });
charge.setTag('payment.method', 'card');
charge.setTag('error', true);
charge.log({ event: 'error', message: 'card declined' });
charge.finish();
checkout.finish();

tracer.close(() => {
  console.log('trace ' + checkout.context().toTraceId());
});
