// Starship webhooks of the sandbox: each event is checked against the spec, signed with its account's secrets (SX8),
// logged in a bounded log (SB16), and POSTed to the configured URL one at a time; a failing receiver is recorded, never
// fatal.
import { randomBytes } from 'node:crypto';
import { SIGNATURE_HEADER, signWebhook } from '../../../client/src/starship.ts';
import { requestBodyAt, toFieldErrors, validatorAt } from '../../../contract/index.ts';
import type { StarshipWebhookDelivery } from '../../../contract/sandbox-admin.ts';
import type { Order, OrderEvent, WebhookName } from '../../../contract/starship-rewards.ts';
import { SANDBOX_BOUNDS, WEBHOOK_LOG_ENTRIES } from '../limits.ts';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000;
// The log keeps at most WEBHOOK_LOG_ENTRIES entries and SANDBOX_BOUNDS.webhookLogBodyBytes of bodies; at most
// SANDBOX_BOUNDS.waitingDeliveries deliveries wait for a slow receiver, and one more is logged failed, never queued.

const payloadSchema = (name: WebhookName) =>
  validatorAt('starship-rewards', ...requestBodyAt('webhooks', name, 'post'));
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `<prefix>_` + 10 random base-62 characters, the shape of the spec's examples. */
export function randomId(prefix: string): string {
  return `${prefix}_${[...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

/**
 * A log entry holds its body once, as the text sent; `payload` is parsed from it whenever it is read (and serialised).
 */
function delivery(fields: Omit<StarshipWebhookDelivery, 'payload'>): StarshipWebhookDelivery {
  const entry = { ...fields } as StarshipWebhookDelivery;
  Object.defineProperty(entry, 'payload', { enumerable: true, get: () => JSON.parse(entry.body) as OrderEvent });
  return entry;
}

export class WebhookSender {
  readonly log: StarshipWebhookDelivery[] = [];
  private logBytes = 0;
  private waiting = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly closing = new AbortController();

  constructor(
    public url: string | null,
    readonly timeoutMs = DEFAULT_WEBHOOK_TIMEOUT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records the event the model names for a transition and queues its POST, signed with `secrets`;
   * the payload is the order as it stands now.
   */
  fire(type: WebhookName, order: Order, occurredAt: string, secrets: readonly string[]): StarshipWebhookDelivery {
    const payload = { event_id: randomId('evt'), type, occurred_at: occurredAt, order } as OrderEvent;
    const validate = payloadSchema(type);
    // A payload the spec rejects is the sandbox's bug; failing here keeps it out of every receiver.
    if (!validate(payload))
      throw new Error(
        `sandbox bug: ${type} payload breaks the spec: ${JSON.stringify(toFieldErrors(validate.errors))}`,
      );
    const url = this.closing.signal.aborted ? null : this.url;
    const entry = delivery({
      event_id: payload.event_id,
      type,
      order_id: order.id,
      url,
      status: url === null ? 'not_sent' : 'pending',
      response_status: null,
      error: null,
      signature: null,
      body: JSON.stringify(payload),
    });
    this.append(entry);
    if (url === null) return entry;
    if (this.waiting >= SANDBOX_BOUNDS.waitingDeliveries) {
      entry.status = 'failed';
      entry.error = `Not sent: ${SANDBOX_BOUNDS.waitingDeliveries} deliveries were already waiting for the receiver.`;
      return entry;
    }
    this.waiting++;
    this.queue = this.queue.then(async () => {
      try {
        await this.post(entry, url, secrets);
      } finally {
        this.waiting--;
      }
    });
    return entry;
  }

  /** Adds an entry and drops the oldest until the log is within both of its bounds. */
  private append(entry: StarshipWebhookDelivery): void {
    this.log.push(entry);
    this.logBytes += Buffer.byteLength(entry.body);
    while (
      this.log.length > WEBHOOK_LOG_ENTRIES ||
      (this.logBytes > SANDBOX_BOUNDS.webhookLogBodyBytes && this.log.length > 1)
    )
      this.logBytes -= Buffer.byteLength(this.log.shift()!.body);
  }

  // One at a time, so a receiver gets an order's events in the order they happened; signed when sent, as Starship signs
  // each attempt.
  private async post(entry: StarshipWebhookDelivery, url: string, secrets: readonly string[]): Promise<void> {
    entry.signature = await signWebhook(entry.body, secrets, Math.floor(this.now() / 1000));
    // The timeout starts once the request is ready: it bounds the receiver, not the signing.
    const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.timeoutMs)]);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'starmile-sandbox (Starship webhooks)',
          [SIGNATURE_HEADER]: entry.signature,
        },
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
