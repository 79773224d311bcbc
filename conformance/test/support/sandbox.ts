// The sandbox the self-tests run the suite against, as `npm run conformance` starts it: its Starship webhooks sent to a
// sink, so they are signed.
import { startSandbox } from '../../../sandbox/src/server.ts';
import { startWebhookSink } from '../../src/webhook-sink.ts';

export async function startSignedSandbox(): Promise<{ url: string; close(): Promise<void> }> {
  const sink = await startWebhookSink();
  const sandbox = await startSandbox({ port: 0, starshipWebhookUrl: sink.url });
  return {
    url: sandbox.url,
    close: async () => {
      await sandbox.close();
      await sink.close();
    },
  };
}
