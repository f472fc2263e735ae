import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { decode, encode } from '@temporalio/common/lib/internal-non-workflow/index.js';
import cors from 'cors';
import { Router, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../../infra/db/database.js';
import { PayloadDecryptionError } from '../../../shared/codec/encryption-codec.js';
import { HttpError } from '../../http/errors.js';
import { authenticate } from '../auth.js';
import { codecContracts as contracts, type CodecPayload } from '../requests/codec.js';
import { mountRoute } from './mount-route.js';

export interface CodecDependencies {
  readonly db: Kysely<Database>;
  /** The API's own client: the endpoint decodes with exactly its codecs, so it holds no keys of its own. */
  readonly client: Client;
  /** Browser origins allowed to call (the Temporal UI's). */
  readonly corsOrigins: readonly string[];
  /**
   * The operations page's signed-in session, once there is one: a handler that, for a request
   * without an Authorization header, sets `res.locals.caller` and `keyAccess` as authenticate()
   * does, or refuses with 401. The Temporal UI sends our cookies when its codec setting "Include
   * cross-origin credentials" is on; it sends an Authorization header only from its own OIDC
   * login and only to an https endpoint.
   */
  readonly session?: RequestHandler;
}

/** Where the dev stack's Temporal UI runs (TEMPORAL_UI_PORT), under either name a browser may use. */
export const localUiOrigins = (uiPort: number) => [`http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`];

const toPayload = ({ metadata, data }: CodecPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, Buffer.from(value as string, 'base64')])),
  data: Buffer.from(data ?? '', 'base64'),
});

const toJson = ({ metadata, data }: Payload) => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
  ...(data && data.length > 0 ? { data: Buffer.from(data).toString('base64') } : {}),
});

/**
 * Temporal's remote codec protocol (POST {endpoint}/decode and /encode), so the Temporal Web UI
 * and CLI show a track's history decrypted to those allowed to read it. CORS comes first: the
 * browser's preflight carries no credentials and must be answered before authentication.
 */
export function codecRoutes(deps: CodecDependencies): Router {
  const router = Router();
  router.use(
    '/codec',
    cors({
      origin: [...deps.corsOrigins],
      credentials: true,
      methods: ['POST'],
      allowedHeaders: ['Content-Type', 'Authorization', 'X-Namespace'],
      maxAge: 600,
    }),
  );
  const byKey = authenticate(deps.db);
  router.use('/codec', (req, res, next) => (req.header('authorization') === undefined && deps.session ? deps.session(req, res, next) : byKey(req, res, next)));

  const codecs = () => deps.client.options.loadedDataConverter.payloadCodecs;
  mountRoute(router, contracts.decodePayloads, async ({ body }, res) => {
    try {
      const decoded = await decode(codecs(), body.payloads.map(toPayload));
      res.json({ payloads: decoded.map(toJson) });
    } catch (error) {
      if (error instanceof PayloadDecryptionError) throw new HttpError(422, 'undecryptable', error.message);
      throw error;
    }
  });
  mountRoute(router, contracts.encodePayloads, async ({ body }, res) => {
    const encoded = await encode(codecs(), body.payloads.map(toPayload));
    res.json({ payloads: encoded.map(toJson) });
  });
  return router;
}
