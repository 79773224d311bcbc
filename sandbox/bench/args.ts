// The benches' command-line options: `--name <value>`, or the fallback.

/** `--name <number>` from the command line, or the fallback. */
export const arg = (name: string, fallback: number): number => Number(argText(name, String(fallback)));

/** `--name <text>` from the command line, or the fallback. */
export function argText(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
}
