import { Router } from 'express';
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import { municipalitySignalRequestSchema } from '../../shared/municipality/municipality-contract.js';
import { parseInput, unprocessable } from '../http/errors.js';
import { serviceApp } from '../http/service-app.js';

export interface MunicipalityServiceOptions {
  readonly db: Kysely<Database>;
  /**
   * The matching platform's upload folder (VPS / xxllnc take files under contract; their specs
   * are not public). Each signal is one CSV line there; the receipt is our signal id.
   */
  readonly outboxDir: string;
  /** The secret callers present (services/http/service-credential.ts). */
  readonly secret: string;
}

const csvField = (value: string) => `"${value.replace(/"/g, '""')}"`;

export function createMunicipalityService({ db, outboxDir, secret }: MunicipalityServiceOptions) {
  const routes = Router();

  routes.post('/signals', async (req, res) => {
    const request = parseInput(municipalitySignalRequestSchema, req.body, 'signal');
    const existing = await db
      .selectFrom('municipality_signal')
      .select(['signal_id', 'receipt'])
      .where('idempotency_key', '=', request.idempotencyKey)
      .executeTakeFirst();
    if (existing) {
      res.json({ signalId: existing.signal_id, receipt: existing.receipt });
      return;
    }
    const debtor = await db.selectFrom('debtor').selectAll().where('case_id', '=', request.caseId).executeTakeFirst();
    if (!debtor) throw unprocessable('unknown_debtor', `no debtor on record for case ${request.caseId}`);
    const signalId = randomUUID();
    const receipt = `SIG-${signalId.slice(0, 8).toUpperCase()}`;
    const inserted = await db
      .insertInto('municipality_signal')
      .values({
        signal_id: signalId,
        idempotency_key: request.idempotencyKey,
        case_id: request.caseId,
        kind: request.kind,
        arrears: request.arrears,
        signal_date: request.signalDate,
        receipt,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning(['signal_id', 'receipt'])
      .executeTakeFirst();
    if (inserted) {
      await mkdir(outboxDir, { recursive: true });
      const line = [receipt, request.kind, request.signalDate, request.evictionDate ?? '', debtor.name, debtor.street, debtor.postal_code, debtor.city, debtor.phone ?? '', debtor.email ?? '', request.arrears, request.municipalityCode ?? '']
        .map(csvField)
        .join(';');
      await appendFile(join(outboxDir, `signals-${request.signalDate}.csv`), `${line}\n`, 'utf8');
      res.status(201).json({ signalId: inserted.signal_id, receipt: inserted.receipt });
      return;
    }
    const stored = await db
      .selectFrom('municipality_signal')
      .select(['signal_id', 'receipt'])
      .where('idempotency_key', '=', request.idempotencyKey)
      .executeTakeFirstOrThrow();
    res.json({ signalId: stored.signal_id, receipt: stored.receipt });
  });

  return serviceApp({ service: 'municipality', jsonLimit: '64kb', secret, checkHealth: () => sql`select 1`.execute(db) }, routes);
}
