/**
 * `npm run demo`: starts the demo API on the memory stores and prints a key and ready-to-paste
 * curl commands. PORT=0 picks a free port.
 */
import type { AddressInfo } from 'node:net';
import { createDemo } from './demo-app.js';

const demo = await createDemo({
  log: (event) => {
    // Events never carry secrets, so they are safe to log as they are.
    if (event.type !== 'auth.succeeded') console.log(`[event] ${JSON.stringify(event)}`);
  },
});
const port = Number(process.env.PORT ?? 3000);
const server = demo.app.listen(port, '127.0.0.1', () => {
  const { port: actual } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${actual}`;
  console.log(`keyward demo API listening on ${base}

Your API key (shown once, like in production — keyward stores only its digest):

  ${demo.key}

Try it:

  curl -i ${base}/v1/companies -H "X-API-Key: ${demo.key}"
  curl -i ${base}/v1/companies/2 -H "Authorization: Bearer ${demo.key}"
  curl -i ${base}/v1/companies                       # 401 missing_token
  curl -i ${base}/v1/companies -H "X-API-Key: kw_live_wrong"   # 401 invalid_api_key
  curl -i ${base}/v1/reports -H "X-API-Key: ${demo.key}"      # 403 feature_required
  curl -i "${base}/v1/companies?q=1%27%20OR%201=1--" -H "X-API-Key: ${demo.key}"   # 400 request_blocked

The API Keys page (this link signs you in once; restart the demo for a new one):

  ${base}${demo.adminLogin}

Press Ctrl+C to stop.`);
});
server.on('error', (err) => {
  console.error(
    `Could not start the demo on port ${port}: ${err.message}. Try PORT=0 npm run demo.`,
  );
  process.exit(1);
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
