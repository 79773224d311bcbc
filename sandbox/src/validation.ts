// Request validation straight from the bundled specs: body checks (bounded, bounded.ts) and query-parameter schemas
// compiled once through contract.ts.
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import {
  type ApiName,
  loadSpec,
  type OpenApiDocument,
  requestBodyAt,
  toFieldErrors,
  validatorAt,
  validatorMessages,
} from '../../contract/index.ts';
import { type BodyCheck, bodyCheck, type FieldErrors, MAX_LISTED_FIELDS } from './bounded.ts';
import { invalid } from './http.ts';

/** The checker of an operation's request body, from its spec. */
export const bodyOf = (api: ApiName, path: string, method: string, media = 'application/json'): BodyCheck =>
  bodyCheck(api, ...requestBodyAt('paths', path, method, media));

/** Every request body of the Starmile and operator APIs the sandbox accepts, by operationId. */
export const bodies = {
  createTokenJson: bodyOf('starmile-partner', '/oauth/token', 'post'),
  createTokenForm: bodyOf('starmile-partner', '/oauth/token', 'post', 'application/x-www-form-urlencoded'),
  createOrder: bodyOf('starmile-partner', '/api/v1/orders', 'post'),
  updateParcel: bodyOf('starmile-partner', '/api/v1/orders/{order_id}/parcels/{item_id}', 'patch'),
  cancelOrder: bodyOf('starmile-partner', '/api/v1/orders/{order_id}/cancel', 'post'),
  reportEvent: bodyOf('starmile-partner', '/api/v1/partner/events', 'post'),
  mapRegion: bodyOf('sandbox-admin', '/_sandbox/region-mappings', 'post'),
  advanceParcel: bodyOf('sandbox-admin', '/_sandbox/parcels/{parcel_id}/advance', 'post'),
  expireTokens: bodyOf('sandbox-admin', '/_sandbox/tokens/expire', 'post'),
  preloadOrders: bodyOf('sandbox-admin', '/_sandbox/orders/preload', 'post'),
};

/** Field path -> messages, for the 422 body (contract.ts's map has no prototype, so `__proto__` is just a name). */
export const fieldErrors = (errors: ErrorObject[] | null | undefined): Record<string, string[]> =>
  toFieldErrors(errors);

/** The listed part of a check's field errors, and whether more fields are at fault than the body may list. */
export function listed(found: FieldErrors): { errors: Record<string, string[]>; more: boolean } {
  const errors: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [field, messages] of [...found.fields].slice(0, MAX_LISTED_FIELDS)) errors[field] = messages;
  return { errors, more: found.size > MAX_LISTED_FIELDS };
}

/** Checks a parsed body; a failure is a 422 whose `errors` names the offending fields (at most MAX_LISTED_FIELDS). */
export function checkBody<T>(check: BodyCheck, value: unknown): T {
  const found = check(value);
  if (found) {
    const { errors, more } = listed(found);
    throw invalid(errors, undefined, more);
  }
  return value as T;
}

interface QueryParameter {
  name: string;
  required: boolean;
  numeric: boolean;
  validate: ValidateFunction;
}

/**
 * A validator of one operation's query string, built from its parameter objects in the spec.
 * Integer parameters are coerced only when the text is a number, so `limit=ten` fails as a type
 * error naming `limit`. Parameters the operation does not define are ignored (decision SB5).
 */
export function queryValidator(api: ApiName, path: string, method: string) {
  const spec = loadSpec(api);
  const operation = spec.paths[path][method];
  const params: QueryParameter[] = [];
  for (const entry of [...(spec.paths[path].parameters ?? []), ...(operation.parameters ?? [])]) {
    const pointer: string[] = entry.$ref
      ? entry.$ref.slice(2).split('/')
      : ['paths', path, method, 'parameters', String(operation.parameters.indexOf(entry))];
    const param = entry.$ref ? pointer.reduce((node: OpenApiDocument, key: string) => node[key], spec) : entry;
    if (param.in !== 'query') continue;
    params.push({
      name: param.name,
      required: param.required === true,
      numeric: ['integer', 'number'].includes(param.schema.type),
      validate: validatorAt(api, ...pointer, 'schema'),
    });
  }
  return (search: URLSearchParams): Record<string, unknown> => {
    const values: Record<string, unknown> = {};
    const errors: Record<string, string[]> = {};
    for (const p of params) {
      const all = search.getAll(p.name);
      if (all.length === 0) {
        if (p.required) errors[p.name] = [validatorMessages.required];
        continue;
      }
      if (all.length > 1) {
        errors[p.name] = [validatorMessages.givenOnce];
        continue;
      }
      const text = all[0]!;
      const value = p.numeric && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
      if (!p.validate(value)) errors[p.name] = Object.values(fieldErrors(p.validate.errors)).flat();
      else values[p.name] = value;
    }
    if (Object.keys(errors).length) throw invalid(errors);
    return values;
  };
}
