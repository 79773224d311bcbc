// A mistake in how the suite was called (options, filters, baseline): reported in one line, exit status 2, before any rule runs.
export class UsageError extends Error {}
