import express from 'express';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { listen, type ListeningServer } from '../http/serve.js';

const messageSchema = z.object({
  messageId: z.string().min(1).max(200),
  channel: z.enum(['sms', 'whatsapp']),
  to: z.string().regex(/^\+?[0-9 ()-]{6,20}$/, 'a phone number'),
  text: z.string().min(1).max(1600),
});

export interface LocalSmsGateway extends ListeningServer {
  readonly token: string;
  /** The JSON-lines file every accepted message is appended to. */
  readonly file: string;
}

/**
 * The SMS/WhatsApp gateway of the local stack and the tests: `POST /v1/messages` with a bearer
 * token, as commercial gateways take it. Each accepted message is one JSON line in
 * `<dir>/messages.jsonl`; a message id it has seen is answered with the first acceptance and
 * written once.
 */
export async function startLocalSmsGateway({ dir, port = 0, token = randomUUID() }: { dir: string; port?: number; token?: string }): Promise<LocalSmsGateway> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'messages.jsonl');
  const accepted = new Map<string, string>();
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const stored = JSON.parse(line) as { messageId: string; gatewayId: string };
      accepted.set(stored.messageId, stored.gatewayId);
    }
  }
  const expected = Buffer.from(`Bearer ${token}`);
  const app = express();
  app.use((req, res, next) => {
    const given = Buffer.from(req.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.status(401).json({ error: 'unauthorized' });
    next();
  });
  app.use(express.json({ limit: '16kb' }));
  let writing = Promise.resolve();
  app.post('/v1/messages', async (req, res) => {
    const parsed = messageSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'invalid', issues: parsed.error.issues });
    const message = parsed.data;
    const known = accepted.get(message.messageId);
    if (known) return void res.status(200).json({ gatewayId: known, status: 'accepted', duplicate: true });
    const gatewayId = `gw-${randomUUID()}`;
    accepted.set(message.messageId, gatewayId);
    const line = `${JSON.stringify({ ...message, gatewayId, acceptedAt: new Date().toISOString() })}\n`;
    writing = writing.then(() => appendFile(file, line, 'utf8'));
    await writing;
    res.status(201).json({ gatewayId, status: 'accepted', duplicate: false });
  });
  const server = await listen(app, port);
  return { ...server, token, file };
}
