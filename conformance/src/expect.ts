// vitest's own assertion library (@vitest/expect), loaded without vitest's runner entry point, which costs 0.4 s per
// run.
import { chai, JestAsymmetricMatchers, JestChaiExpect, JestExtend } from '@vitest/expect';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

type Expect = typeof import('vitest').expect;

/** `expect(value, message?)` with vitest's matchers, usable outside a vitest run. */
export const expect = ((value: unknown, message?: string) => chai.expect(value, message)) as unknown as Expect;
