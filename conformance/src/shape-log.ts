// The run's log of responses that break the contract: each finding once per (operation, status, pointer, problem), with
// how often it was seen, an example exchange and the rules whose requests met it.
import type { ApiName } from '../../contract/index.ts';
import type { ResponseFinding } from './contract-check.ts';
import type { Exchange } from './http.ts';

export interface LoggedFinding extends ResponseFinding {
  api: ApiName;
  operationId: string;
  status: number;
  count: number;
  /** The first exchange that showed it. */
  exchange: Exchange;
  rules: string[];
}

export class ShapeLog {
  private readonly findings = new Map<string, LoggedFinding>();
  private readonly seen = new Map<string, number>();

  /** Notes an exchange of an operation and any finding it carries, made by `rule`. */
  record(api: ApiName, exchange: Exchange, rule: string): void {
    if (!exchange.operationId) return;
    const op = `${api} ${exchange.operationId}`;
    this.seen.set(op, (this.seen.get(op) ?? 0) + 1);
    for (const f of exchange.findings) {
      const key = `${op} ${exchange.status} ${f.at} ${f.message.replace(/\/\d+(?=\/|\s|$)/g, '/*')}`;
      const logged = this.findings.get(key);
      if (logged) {
        logged.count++;
        if (!logged.rules.includes(rule)) logged.rules.push(rule);
      } else
        this.findings.set(key, {
          ...f,
          api,
          operationId: exchange.operationId,
          status: exchange.status,
          count: 1,
          exchange,
          rules: [rule],
        });
    }
  }

  /** How many responses of an operation the run has seen. */
  observed(api: ApiName, operationId: string): number {
    return this.seen.get(`${api} ${operationId}`) ?? 0;
  }

  /** The findings of one kind, optionally of one operation, in the order first seen. */
  list(kind: ResponseFinding['kind'], api?: ApiName, operationId?: string): LoggedFinding[] {
    return [...this.findings.values()].filter(
      (f) => f.kind === kind && (!api || f.api === api) && (!operationId || f.operationId === operationId),
    );
  }
}
