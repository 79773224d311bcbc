// The response-shape rules, one per operation of an API, generated from the spec: each reports the run's findings about
// that operation's bodies (collected once, deduplicated), each in its class.
import { type ApiName, loadSpec } from '../../contract/index.ts';
import type { RuleSource } from '../registry/types.ts';
import type { RuleContext } from './context.ts';
import { type Operation, operations, pointerOf } from './contract-check.ts';
import type { RuleDefinition, SharperFault } from './define.ts';
import { addsUndefinedField, breaksField, type FieldBug } from './fault-kit.ts';
import type { LoggedFinding } from './shape-log.ts';

/** A call that makes the operation answer at least once, for a shape rule run without the rules that use it. */
export type Probe = (t: RuleContext) => Promise<unknown>;

const kebab = (operationId: string) => operationId.replace(/[A-Z]/g, (c) => `-${c}`).toUpperCase();

/** The shape rule id of an operation: SHAPE-CREATE-ORDER, or with a prefix (SHIP-SHAPE-CREATE-ORDER). */
export const shapeRuleId = (operationId: string, prefix = '') => `${prefix}SHAPE-${kebab(operationId)}`;

/** Reports logged findings as failures of the rule, each in its own class with the designed part it rests on. */
export function reportFindings(t: RuleContext, findings: LoggedFinding[]): void {
  for (const f of findings)
    t.report({
      phase: 'check',
      class: f.class,
      message: `${f.message} (seen ${f.count} time${f.count === 1 ? '' : 's'}, first by ${f.rules[0]})`,
      exchange: f.exchange,
      ...(f.source ? { source: f.source } : {}),
    });
}

/**
 * The shape rule's source: the operation's quote when the documents name a field of its answer (`answerDocumented`),
 * else designed. An operation the documents describe can still have an answer whose every field is designed
 * (updateParcel's, cancelOrder's, reportEvent's): its shape rule has nothing to judge in the documented class.
 */
function sourceOf(op: Operation, answerDocumented: boolean): RuleSource {
  const x = loadSpec(op.api).paths[op.template][op.method.toLowerCase()]['x-source'] as {
    seed?: string;
    quote?: string;
    designed?: string;
    decision?: string;
  };
  const decision = x.decision ? { decision: x.decision } : {};
  return x.seed && x.quote && answerDocumented
    ? { seed: x.seed, quote: x.quote, ...decision }
    : {
        designed: answerDocumented
          ? (x.designed ?? 'Designed operation.')
          : 'No field of this answer is named by the published documents: its whole shape is designed.',
        specLocation: pointerOf([...op.pointer, 'responses']),
        ...decision,
      };
}

/** A documented field of an answer and how a server breaks it, or (when the plain bug cannot be run) a whole fault. */
export type DocumentedFieldBug = { path: string; bug?: FieldBug } | SharperFault;

function documentedFieldFault(api: ApiName, operationId: string, field: DocumentedFieldBug): SharperFault {
  if ('fault' in field) return field;
  const { path, bug = 'missing' } = field;
  return {
    bug: `its answers ${bug === 'missing' ? 'lose' : 'send as text'} the documented field ${path}`,
    class: 'documented',
    fault: breaksField(api, operationId, path, bug),
  };
}

/**
 * One shape rule per operation of `api`; they run after every other rule, so they judge every response of the run.
 * `documentedFields` names, per operation, a field the documents name in its answer (`data[].name`) and a bug of it:
 * the rule's documented check must catch it (an undefined field, the main fault, is a contract finding, D9). An
 * operation without one has no documented field in its answer, so its shape rule is in the contract class only.
 */
export function shapeRules(
  api: ApiName,
  probes: Partial<Record<string, Probe>>,
  documentedFields: Partial<Record<string, DocumentedFieldBug>>,
  prefix = '',
): Omit<RuleDefinition, 'api'>[] {
  return operations(api).map((op) => ({
    id: shapeRuleId(op.operationId, prefix),
    level: 'MUST',
    operations: [op.operationId],
    tags: ['shape'],
    title: `Every ${op.operationId} response body is the documented one: each field the documents name present with its type (documented class); no field the contract does not define, and designed fields and values as the spec gives them (contract class).`,
    source: sourceOf(op, documentedFields[op.operationId] !== undefined),
    serial: true,
    fault: addsUndefinedField(api, op.operationId),
    ...(documentedFields[op.operationId]
      ? { moreFaults: [documentedFieldFault(api, op.operationId, documentedFields[op.operationId]!)] }
      : {}),
    check: async (t) => {
      const probe = probes[op.operationId];
      if (!t.run.shapes.observed(api, op.operationId) && probe) await probe(t);
      reportFindings(t, t.run.shapes.list('body', api, op.operationId));
    },
  }));
}
