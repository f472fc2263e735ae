import { providerPaymentSchema, type CreatePaymentRequest, type ProviderPayment } from './provider-contract.js';

/**
 * The client of the payment provider (interfaces.md §2), used by the API (links, webhook checks) and the letter service (the link a letter prints): a PSP's payments API in Mollie's shape.
 * The dev stack and the tests talk to our local provider (services/payment-provider); a real PSP
 * is the same calls with its URL and key. Its answers are checked against the contract, so a
 * provider that answers something else fails here and not in a booking.
 */
export interface PaymentProviderEndpoint {
  readonly url: string;
  readonly apiKey: string;
}

export class PaymentProviderError extends Error {
  constructor(
    message: string,
    /** The provider's HTTP status; 0: it could not be reached. */
    readonly status: number,
  ) {
    super(message);
  }
}

export class PaymentProviderClient {
  constructor(private readonly endpoint: PaymentProviderEndpoint) {}

  /** A new payment and its checkout URL. Not idempotent at the provider: the caller keeps one open link per amount. */
  createPayment(request: CreatePaymentRequest): Promise<ProviderPayment> {
    return this.call('POST', '/v2/payments', request);
  }

  /** The payment as the provider has it now: the only source of its status and amount. */
  getPayment(id: string): Promise<ProviderPayment> {
    return this.call('GET', `/v2/payments/${encodeURIComponent(id)}`);
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ProviderPayment> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.endpoint.url), {
        method,
        headers: { authorization: `Bearer ${this.endpoint.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new PaymentProviderError(`the payment provider could not be reached: ${error instanceof Error ? error.message : String(error)}`, 0);
    }
    const text = await response.text();
    if (!response.ok) throw new PaymentProviderError(`the payment provider answered ${response.status} to ${method} ${path}: ${text.slice(0, 300)}`, response.status);
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      // A proxy's HTML page with a 200 is the provider not answering, not a fault of ours.
      throw new PaymentProviderError(`the payment provider answered ${method} ${path} with what is not JSON: ${text.slice(0, 300)}`, response.status);
    }
    const parsed = providerPaymentSchema.safeParse(answer);
    if (!parsed.success) throw new PaymentProviderError(`the payment provider answered an unexpected payment: ${parsed.error.message}`, response.status);
    return parsed.data;
  }
}
