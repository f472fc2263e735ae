/** Where short messages leave: an SMS/WhatsApp gateway's HTTP API (SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN). */
export interface SmsGatewaySettings {
  readonly url: string;
  readonly token: string;
}

export interface ShortMessage {
  /** Our id for the message (the letter id): the gateway accepts a repeat once. */
  readonly messageId: string;
  readonly channel: 'sms' | 'whatsapp';
  /** The tenant's number as stored (the gateway normalises it). */
  readonly to: string;
  readonly text: string;
}

/** The messaging adapter: one message to the gateway; resolves once the gateway accepted it. */
export function createSmsGatewayClient(settings: SmsGatewaySettings) {
  return {
    async send(message: ShortMessage): Promise<{ gatewayId: string }> {
      const response = await fetch(new URL('/v1/messages', settings.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.token}` },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`the SMS gateway answered ${response.status}: ${text.slice(0, 300)}`);
      return { gatewayId: (JSON.parse(text) as { gatewayId: string }).gatewayId };
    },
  };
}
export type SmsGatewayClient = ReturnType<typeof createSmsGatewayClient>;
