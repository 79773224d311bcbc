// The spec's error messages (`x-messages` of each API's info) made into sentences, and recognised in answers: one
// catalogue, no copy.

/** The placeholders of a message template: `'Order {reference} was not found.'` gives `'reference'`. */
export type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** The message `template` with each `{name}` replaced by its value. */
export function fill<T extends string>(
  template: T,
  ...values: Placeholders<T> extends never ? [] : [Record<Placeholders<T>, string | number>]
): string {
  const given = (values[0] ?? {}) as Record<string, string | number>;
  return template.replace(/\{([a-z_]+)\}/g, (_, name: string) => String(given[name]));
}

/**
 * Whether `message` is what `template` produces for some values (each placeholder standing for at least one character).
 */
export function isFilledFrom(template: string, message: string): boolean {
  const pattern = template
    .split(/\{[a-z_]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'))
    .join('.+');
  return new RegExp(`^${pattern}$`, 's').test(message);
}
