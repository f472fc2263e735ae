/**
 * How a billing system calls the API when the engine may be away: the same request again, with
 * the same ids, until it is answered. Each write route is idempotent by its ids (contractRef and
 * invoiceRef, transactionId), so a repeat never books twice; 503 and refused connections are the
 * only answers that ask for one.
 */
export interface Answer {
  readonly status: number;
  readonly body: any;
}

export interface ApiCaller {
  call(method: string, path: string, key: string, body?: unknown): Promise<Answer>;
  /** Repeats on 503 and connection errors (the API or the worker restarting), up to `timeoutMs`. */
  callUntilAnswered(method: string, path: string, key: string, body?: unknown, timeoutMs?: number): Promise<Answer & { attempts: number }>;
  /** 5xx answers seen, by status, and any that were not 503 (a stack trace would be one). */
  readonly serverErrors: Map<number, number>;
}

export function apiCaller(baseUrl: string): ApiCaller {
  const serverErrors = new Map<number, number>();
  async function call(method: string, path: string, key: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    if (response.status >= 500) serverErrors.set(response.status, (serverErrors.get(response.status) ?? 0) + 1);
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as text, which is itself a finding for a 5xx
    }
    return { status: response.status, body: parsed };
  }
  return {
    call,
    serverErrors,
    async callUntilAnswered(method, path, key, body, timeoutMs = 300_000) {
      const deadline = Date.now() + timeoutMs;
      for (let attempts = 1; ; attempts++) {
        try {
          const answer = await call(method, path, key, body);
          if (answer.status !== 503 || Date.now() > deadline) return { ...answer, attempts };
        } catch (error) {
          if (Date.now() > deadline) throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * attempts)));
      }
    },
  };
}
