// The stand-in HighLevel behind a thin front for the crash test: each accepted send is answered 10–40 ms late and
// tracked until its answer leaves, so a kill -9 right after a send arrives always finds texts in flight.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StandIn } from '../../../src/sandbox/standin/index.js';

export interface TrackedSend {
  /** The stand-in's message id, once the stand-in accepted the send (set even if that happens after a kill). */
  messageId?: string;
}

export interface SendFront {
  url: string;
  /** POST /conversations/messages requests received so far. */
  arrived(): number;
  /** Sends received whose answer has not been written back yet: the texts in flight right now. */
  inFlight(): TrackedSend[];
  /** Called synchronously for each send as it arrives, with the running count. */
  onArrival(listener: (count: number) => void): void;
  close(): Promise<void>;
}

export async function serveStandInFront(standIn: StandIn, random: () => number): Promise<SendFront> {
  const pending = new Set<TrackedSend>();
  const timers = new Set<NodeJS.Timeout>();
  let arrived = 0;
  let listener: (count: number) => void = () => {};

  function holdAnswer(res: ServerResponse, send: TrackedSend): void {
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    (res as unknown as { end: (...args: unknown[]) => ServerResponse }).end = (...args: unknown[]) => {
      if (typeof args[0] === 'string') {
        try {
          const id = (JSON.parse(args[0]) as { messageId?: unknown }).messageId;
          if (typeof id === 'string') send.messageId = id;
        } catch {
          // not a JSON answer: an error, which carries no message id
        }
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        pending.delete(send);
        end(...args);
      }, 10 + random() * 30);
      timers.add(timer);
      return res;
    };
  }

  const server = createServer((req, res) => {
    if (req.method === 'POST' && (req.url ?? '').split('?')[0] === '/conversations/messages') {
      const send: TrackedSend = {};
      pending.add(send);
      holdAnswer(res, send);
      // The app gave up on the request (its process died): nothing is in flight any more from this side.
      res.on('close', () => { if (!res.writableFinished) pending.delete(send); });
      arrived += 1;
      listener(arrived);
    }
    standIn.handle(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrived: () => arrived,
    inFlight: () => [...pending],
    onArrival: (next) => { listener = next; },
    close: () => new Promise<void>((done) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}
