import { Router } from 'express';
import type { Connection } from '@temporalio/client';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../infra/db/database.js';
import { notFound, parseInput } from '../../http/errors.js';
import { allow } from '../auth.js';
import type { SimulationClock } from '../simulation-clock.js';

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000))]);
    return 'ok';
  } catch {
    return 'unavailable';
  }
}

export function healthRoute(db: Kysely<Database>, connection: Connection): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [temporal, database] = await Promise.all([
      probe(() => connection.workflowService.getSystemInfo({})),
      probe(() => sql`select 1`.execute(db)),
    ]);
    const ok = temporal === 'ok' && database === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', temporal, database });
  });
  return router;
}

const advanceSchema = z.object({ days: z.number().int().min(1).max(3660) });

/** Clock control for SIMULATION=1; outside simulation these routes answer 404 as api.md says. */
export function simulationRoutes(clock: SimulationClock | undefined): Router {
  const router = Router();
  const requireSimulation = () => {
    if (!clock) throw notFound('simulation is off: start with SIMULATION=1');
    return clock;
  };
  router.get('/v1/simulation/now', async (_req, res) => {
    res.json(await requireSimulation().now());
  });
  router.post('/v1/simulation/advance', allow('admin'), async (req, res) => {
    const simulation = requireSimulation();
    const { days } = parseInput(advanceSchema, req.body, 'advance request');
    res.json(await simulation.advance(days));
  });
  return router;
}
