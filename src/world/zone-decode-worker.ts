// The zone decode worker (docs/world.md "Zone loader"): decodes zone files off the main thread so a big
// zone does not stall the zones already playing. Loads its type dump once, then answers one message per zone.
import { parentPort, workerData } from 'node:worker_threads';
import type { TypeDumpSource } from './type-dump-source.js';
import { loadWorldTypes } from './type-dump-source.js';
import { ZoneDecoder } from './zone-decoder.js';
import type { DecodeReply, DecodeRequest } from './zone-decode-protocol.js';
import { errorToWire } from './zone-decode-protocol.js';

const port = parentPort;
if (port === null) throw new Error('zone-decode-worker must run in a worker thread');

const ready = loadWorldTypes(workerData as TypeDumpSource).then((types) => new ZoneDecoder(types));
// A dump that cannot load fails every request with its error (the pool reports it per zone).
ready.catch(() => undefined);

port.on('message', (request: DecodeRequest) => {
  ready.then(
    (decoder) => {
      let reply: DecodeReply;
      try {
        reply = { id: request.id, ok: true, zone: decoder.decode(request.zone, new Map(request.files)) };
      } catch (error) {
        reply = { id: request.id, ok: false, error: errorToWire(error) };
      }
      port.postMessage(reply);
    },
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: errorToWire(error) } satisfies DecodeReply),
  );
});
