// A stand-in Express service for InstrumentedAppsIT: no OpenTelemetry code of its own.
// GET / calls GET /inventory on itself over HTTP (node:http, an instrumented client) and answers
// 200, so one request gives a trace of a server span, a client span and the inner server span.
// It listens on 127.0.0.1:$PORT.
'use strict';
const http = require('node:http');
const express = require('express');

const port = Number(process.env.PORT);
const app = express();

app.get('/', (req, res, next) => {
  http
    .get({ host: '127.0.0.1', port, path: '/inventory', timeout: 5000 }, (inner) => {
      let body = '';
      inner.setEncoding('utf8');
      inner.on('data', (chunk) => (body += chunk));
      inner.on('end', () => res.status(200).json({ inventory: body }));
    })
    .on('error', next);
});

app.get('/inventory', (req, res) => res.status(200).send('42'));

app.get('/healthz', (req, res) => res.status(200).send('ok'));

app.listen(port, '127.0.0.1');
