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

/** Sees every answer (and every request that got none: status 0), for a drill that counts them by time. */
export type AnswerObserver = (request: { method: string; path: string }, answer: Answer & { contentType: string; text: string }) => void;

export function apiCaller(baseUrl: string, observe?: AnswerObserver): ApiCaller {
  const serverErrors = new Map<number, number>();
  async function call(method: string, path: string, key: string, body?: unknown): Promise<Answer> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      text = await response.text();
    } catch (error) {
      observe?.({ method, path }, { status: 0, body: null, contentType: '', text: (error as Error).message });
      throw error;
    }
    if (response.status >= 500) serverErrors.set(response.status, (serverErrors.get(response.status) ?? 0) + 1);
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as text, which is itself a finding for a 5xx
    }
    observe?.({ method, path }, { status: response.status, body: parsed, contentType: response.headers.get('content-type') ?? '', text });
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
