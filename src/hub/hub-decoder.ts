// The hub decoder thread of `ctm start`: turns request bodies into rows (decodeBody), one at a time in
// arrival order, while the writer thread stores the previous ones. It touches no database.
import { parentPort } from 'node:worker_threads';
import { inheritedConfig } from '../config-channel.ts';
import { decodeBody } from './handle-body.ts';
import type { FromHubDecoder, ToHubDecoder } from './hub-messages.ts';

const config = inheritedConfig(process.env);
const post = (m: FromHubDecoder): void => parentPort!.postMessage(m);

parentPort!.on('message', (m: ToHubDecoder) => {
  if (m.type === 'stop') {
    post({ type: 'stopped' });
    parentPort!.close();
    return;
  }
  post(decodeBody(m, config));
});
post({ type: 'ready' });
