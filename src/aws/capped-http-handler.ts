// The AWS SDK reads every response body whole into memory: a proxy that answers STS with 50 MB cost the
// agent 500 MB, and the launcher's Job has 256 Mi. Every SDK client the agent builds gets this handler,
// which passes bodies through while counting, and cuts them off at a cap no AWS answer comes near.
import type { IncomingHttpHeaders } from 'node:http';
import { type Readable, Transform } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { BodyTooLargeError } from '../lib/body-too-large.js';
import { ProxyRouter } from '../lib/proxy/proxy-router.js';

/** STS, RDS and container-credential answers are a few KiB; 1 MiB is far above any of them. */
export const MAX_SDK_BODY_BYTES = 1024 * 1024;

type HandleArgs = Parameters<NodeHttpHandler['handle']>;
type HandleResult = Awaited<ReturnType<NodeHttpHandler['handle']>>;

/**
 * NodeHttpHandler with a cap on every response body, and a deadline on reading it: the SDK's handler
 * clears its own timers once the headers arrive, so a peer trickling a body would hold the call open.
 */
export class CappedHttpHandler extends NodeHttpHandler {
  constructor(
    options?: ConstructorParameters<typeof NodeHttpHandler>[0],
    private readonly maxBytes = MAX_SDK_BODY_BYTES,
  ) {
    super(options);
  }

  override async handle(request: HandleArgs[0], options: HandleArgs[1] = {}): Promise<HandleResult> {
    const out = await super.handle(request, options);
    const body = out.response.body as Readable | undefined;
    if (body && typeof body.pipe === 'function') {
      const configured = (this.httpHandlerConfigs() as { requestTimeout?: number }).requestTimeout;
      out.response.body = capBody(body, this.maxBytes, options.requestTimeout ?? configured);
    }
    return out;
  }
}

/**
 * The body as a stream that fails with BodyTooLargeError past `maxBytes` (at once when Content-Length
 * already says so) and with a timeout when it is not complete within `deadlineMs`; either way the
 * socket is destroyed, so nothing more is read.
 */
export function capBody(source: Readable, maxBytes: number, deadlineMs?: number): Readable {
  let seen = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) {
        source.destroy();
        done(new BodyTooLargeError(maxBytes));
        return;
      }
      done(null, chunk);
    },
  });
  source.on('error', (e) => capped.destroy(e));
  const declared = Number(
    (source as Readable & { headers?: IncomingHttpHeaders }).headers?.['content-length'],
  );
  if (Number.isFinite(declared) && declared > maxBytes) {
    source.destroy();
    // After the caller had a chance to listen: an error emitted now would be unhandled.
    setImmediate(() => capped.destroy(new BodyTooLargeError(maxBytes)));
    return capped;
  }
  if (deadlineMs !== undefined && deadlineMs > 0) {
    const timer = setTimeout(() => {
      source.destroy();
      capped.destroy(
        Object.assign(new Error(`the answer's body did not arrive within ${deadlineMs} ms`), {
          name: 'TimeoutError',
          code: 'ETIMEDOUT',
        }),
      );
    }, deadlineMs);
    timer.unref();
    capped.once('close', () => clearTimeout(timer));
    capped.once('end', () => clearTimeout(timer));
  }
  source.pipe(capped);
  return capped;
}

let everyHandlerCapped = false;

/**
 * Makes every NodeHttpHandler the SDK creates for itself a CappedHttpHandler whose requests honour the
 * proxy variables of `env` (src/lib/proxy/). Needed for the providers that accept no handler: `fromHttp`
 * (EKS Pod Identity, also inside the default chain) builds its own with `NodeHttpHandler.create(options)`,
 * the one seam it offers, and so do the SDK's nested clients (SSO, the STS of a profile's role) when
 * their parent has no handler to lend. Clients the tool builds get a CappedHttpHandler explicitly
 * (sdk-options.ts, audit-aws.ts); `create` returns a given handler unchanged. The environment of a
 * process does not change, so the first call's `env` holds for the process.
 */
export function capEverySdkHandler(env: Readonly<Record<string, string | undefined>>): void {
  if (everyHandlerCapped) return;
  everyHandlerCapped = true;
  NodeHttpHandler.create = (instanceOrOptions) => {
    if (typeof (instanceOrOptions as { handle?: unknown } | undefined)?.handle === 'function')
      return instanceOrOptions as NodeHttpHandler;
    const options = (instanceOrOptions ?? {}) as NonNullable<
      ConstructorParameters<typeof NodeHttpHandler>[0]
    >;
    if (typeof options === 'function') return new CappedHttpHandler(options);
    // One router per handler: destroying a client destroys its agents.
    const router = new ProxyRouter(env);
    return new CappedHttpHandler({ httpAgent: router.httpAgent, httpsAgent: router.httpsAgent, ...options });
  };
}
