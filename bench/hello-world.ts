/** The anchor: a bare Express hello-world, same Node, same machine, same run. */
import express from 'express';

const app = express();
app.post('/', (_req, res) => void res.json({ hello: 'world' }));
app.get('/healthz', (_req, res) => void res.json({ ok: true }));
app.listen(Number(process.env.PORT), '127.0.0.1');
