// Starship webhooks of the sandbox: each event is checked against the spec, logged, and POSTed to the configured URL one at a time; a failing receiver is recorded, never fatal.
import { randomBytes } from 'node:crypto';
import { toFieldErrors, validatorAt } from '../../../scripts/lib/contract.ts';
import type { WebhookName } from '../../../client/src/starship.ts';
import type { Order, OrderEvent, StarshipWebhookDelivery } from './types.ts';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000;

const payloadSchema = (name: WebhookName) => validatorAt('starship-rewards', 'webhooks', name, 'post', 'requestBody', 'content', 'application/json', 'schema');
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `<prefix>_` + 10 random base-62 characters, the shape of the spec's examples. */
export function randomId(prefix: string): string {
  return `${prefix}_${[...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

export class WebhookSender {
  readonly log: StarshipWebhookDelivery[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly closing = new AbortController();

  constructor(
    public url: string | null,
    readonly timeoutMs = DEFAULT_WEBHOOK_TIMEOUT_MS,
  ) {}

  /** Records the event the model names for a transition and queues its POST; the payload is the order as it stands now. */
  fire(type: WebhookName, order: Order, occurredAt: string): StarshipWebhookDelivery {
    const payload = { event_id: randomId('evt'), type, occurred_at: occurredAt, order: structuredClone(order) } as OrderEvent;
    const validate = payloadSchema(type);
    // A payload the spec rejects is the sandbox's bug; failing here keeps it out of every receiver.
    if (!validate(payload)) throw new Error(`sandbox bug: ${type} payload breaks the spec: ${JSON.stringify(toFieldErrors(validate.errors))}`);
    const url = this.closing.signal.aborted ? null : this.url;
    const entry: StarshipWebhookDelivery = {
      event_id: payload.event_id,
      type,
      order_id: order.id,
      url,
      status: url === null ? 'not_sent' : 'pending',
      response_status: null,
      error: null,
      signature: null,
      body: JSON.stringify(payload),
      payload,
    };
    this.log.push(entry);
    if (url !== null) this.queue = this.queue.then(() => this.post(entry, url));
    return entry;
  }

  // One at a time, so a receiver gets an order's events in the order they happened.
  private async post(entry: StarshipWebhookDelivery, url: string): Promise<void> {
    const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.timeoutMs)]);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'starmile-sandbox (Starship webhooks)' },
        body: entry.body,
        redirect: 'manual',
        signal,
      });
      entry.response_status = response.status;
      // Read to the end so the connection is released; the body itself means nothing.
      await response.arrayBuffer();
      entry.status = response.status >= 200 && response.status < 300 ? 'delivered' : 'failed';
    } catch (error) {
      entry.status = 'failed';
      entry.error = this.closing.signal.aborted
        ? 'The sandbox closed before the receiver answered.'
        : signal.aborted
          ? `No answer within ${this.timeoutMs} ms.`
          : describe(error);
    }
  }

  /** Resolves once every queued POST has settled. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Aborts the POST under way and drops the queue, so closing the sandbox never waits on a receiver. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.queue;
  }
}

function describe(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
