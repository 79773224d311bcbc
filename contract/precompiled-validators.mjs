// Validators compiled ahead of time, by ref (`<api>#/<JSON pointer>`): none in the repository, where contract.ts
// compiles each on first use. The conformance suite's build replaces this module with the validators it compiled into
// standalone code (conformance/scripts/precompile.ts), so a run of the bundle compiles nothing it can know in advance.
export const precompiled = new Map();
