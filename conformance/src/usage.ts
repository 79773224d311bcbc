// A mistake in how the suite was called (options, filters, baseline): reported in one line, exit status 2, before any
// rule runs.
import { type ParseArgsConfig, parseArgs } from 'node:util';
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true }>>['values'];

/**
 * A command's options, parsed strictly with -h/--help added; undefined when --help printed `help` and the command is
 * done.
 */
export function parseOptions<const O extends Options>(args: string[], options: O, help: string): Values<O> | undefined {
  const { values } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (!(values as { help?: boolean }).help) return values as Values<O>;
  console.log(help);
  return undefined;
}
