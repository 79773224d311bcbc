// Command-line handling shared by `npm run sandbox` and `npm run mock`: `--help`, and a one-line usage error with exit
// status 2 instead of a Node stack trace, as `npm run conformance` does.

/**
 * Prints `<command>: <problem> (npm run <command> -- --help)` on stderr and exits 2.
 * @param {string} command the npm script, e.g. "mock"
 * @param {string} problem what is wrong, in one line
 * @returns {never}
 */
export function usageError(command, problem) {
  console.error(`${command}: ${problem} (npm run ${command} -- --help)`);
  process.exit(2);
}

/** parseArgs' messages, shortened to what a user needs (its own advice about `--` does not apply to npm scripts). */
function describe(/** @type {Error & { code?: string }} */ error) {
  const quoted = error.message.match(/'([^']+)'/)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${quoted}`;
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${JSON.stringify(quoted)}`;
  return error.message.replace(/^./, (c) => c.toLowerCase());
}

/**
 * Runs `parse` (a strict `node:util` parseArgs call whose options include `help`); prints `usage` and exits 0 on
 * `--help`, and turns a parse error into a usage error.
 * @template {{ values: { help?: boolean | undefined } }} T
 * @param {string} command the npm script, e.g. "mock"
 * @param {string} usage the text `--help` prints
 * @param {() => T} parse
 * @returns {T['values']}
 */
export function parseCommandLine(command, usage, parse) {
  let parsed;
  try {
    parsed = parse();
  } catch (error) {
    if (
      error instanceof TypeError &&
      String(/** @type {{ code?: unknown }} */ (error).code).startsWith('ERR_PARSE_ARGS')
    )
      usageError(command, describe(error));
    throw error;
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed.values;
}
