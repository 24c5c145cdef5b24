// How `ctm build` passes messages between `astro build` and the prerender helper. Astro sends the job once its
// prerender bundle exists; the helper answers once, when it is done or has failed. Astro listens from the moment
// it reads its config, so a message it is sent before then would be lost: the relay keeps the helper's answer
// (or the news that it stopped without one) and gives it to Astro only after Astro has sent its job, never
// before. A job for a helper that is already gone is answered at once, so Astro never waits for nothing.
import type { HelperMessage } from './prerender-helper.ts';

/** The side of a child process the relay uses (node:child_process's ChildProcess has all of it). */
export interface RelayPeer {
  readonly connected: boolean;
  send(message: object): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  kill(): boolean;
}

const isAnswer = (m: unknown): m is HelperMessage =>
  typeof m === 'object' &&
  m !== null &&
  ((m as HelperMessage).type === 'done' || (m as HelperMessage).type === 'failed');

export function relay(astro: RelayPeer, helper: RelayPeer): void {
  let answer: HelperMessage | undefined;
  let asked = false;
  let told = false;
  const tell = () => {
    if (!asked || !answer || told || !astro.connected) return;
    told = true;
    astro.send(answer);
  };
  const settle = (message: HelperMessage) => {
    answer ??= message;
    tell();
  };
  astro.on('message', (m) => {
    const type = (m as { type?: string }).type;
    if (type === 'render') {
      asked = true;
      if (answer) tell();
      else if (helper.connected) helper.send(m as object);
      else settle({ type: 'failed', message: 'the helper stopped before it got its pages' });
    } else if (type === 'stop') {
      helper.kill();
    }
  });
  helper.on('message', (m) => {
    if (isAnswer(m)) settle(m);
  });
  // Every message the helper sent has arrived once its channel is closed: only then is no answer final.
  let exit = '';
  helper.on('disconnect', () =>
    settle({ type: 'failed', message: `the helper stopped${exit} without a result` }),
  );
  helper.on('exit', (code, signal) => {
    exit = ` (${signal ?? `exit code ${code}`})`;
    if (!helper.connected) settle({ type: 'failed', message: `the helper stopped${exit} without a result` });
  });
  astro.on('exit', () => helper.kill());
}
