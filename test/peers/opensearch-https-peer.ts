// A bare HTTPS OpenSearch peer that never checks signatures but answers with whatever status, body and
// content type a test scripts: each documented 403 shape, in other casings and content types.
import { createServer as createHttpsServer } from 'node:https';
import type { IssuedCert } from '../harness/tls-ca.js';

/** `type: ''` sends no content-type at all. */
export type Reply = { status: number; body: string; type?: string };

export async function startHttpsPeer(c: IssuedCert, route: (path: string) => Reply) {
  const server = createHttpsServer({ cert: c.certPem, key: c.keyPem }, (req, res) => {
    req.resume();
    const r = route((req.url ?? '/').split('?')[0]!);
    const type = r.type ?? 'application/json; charset=UTF-8';
    res.writeHead(r.status, type ? { 'content-type': type } : {}).end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
