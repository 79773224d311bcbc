// The Starmile Partner API types, re-exported so every module imports them from one sibling path; the build replaces dist/schema.d.ts with the generated file itself.
export type * from '../../generated/starmile-partner/schema.js';
