// Numbers as people read them (1,000,000.01), without Intl: its first use loads ICU data, a noticeable part of a run's
// start-up.
export function thousands(n: number): string {
  const [whole, fraction] = String(n).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
}
