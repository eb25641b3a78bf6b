// Protocol throughput: DML frames of typical messages encoded and decoded in bulk, and a stream of
// 1 MB chunks (frames cut at chunk boundaries) through the frame reader and the DML decoder.
// Prints a table, then as its last line one JSON object (decodePerSec, encodePerSec, streamMBPerSec).
import {
  decodeDml, encodeDmlFrame, FrameReader, GAME, type FrameVisitor, LOGIN, MessageRegistry, visitDml, type DmlVisitor, type EncodableData, type MessageKind,
} from '../src/protocol/index.js';

const registry = MessageRegistry.defaults();
const DURATION_MS = Number(process.env['BENCH_MS'] ?? 1000);

const clientMove = { LocationX: 1234, LocationY: 65000, LocationZ: 77, Direction: 200, ZoneCounter: 3 };
const serverMove = { LocationX: 1234, LocationY: 65000, LocationZ: 77, Direction: 200, MobileID: 4321 };
const authen = {
  Rec1: Buffer.alloc(124, 0x5a), Version: 'V_r765432.WizardDev_1', Revision: '765432', DataRevision: '765432',
  CRC: '0x1A2B3C4D', MachineID: 0x0123456789abcdefn, Locale: 'English', PatchClientID: 'f00dcafe-1234-5678-9abc-def012345678',
  IsSteamPatcher: 0, ConsoleType: 0,
};
const loginComplete = {
  ZoneName: 'WizardCity/WC_Hub', Data: Buffer.alloc(512, 0x11), ServerTime: 1700000000, ZoneID: 191965421n, DynamicZoneID: 0,
  DynamicServerProcID: 0, Permissions: 7, IsCSR: 0, ZoneServer: '127.0.0.1:12000', TestServer: 0, AltMusicFile: 0,
  ShowSubscriberIcon: 1, SubscriberCrownsPricePercent: 100, UseFriendFinder: 1, RealmName: 'Ambrose', IsBossMarkZone: 0,
  CriticalObjects: '', ZoneHasFriendlyPlayers: 1, HourOffset: 0, DisableBeastmoonGroups: 0, PickUpAllEnabled: 1,
  SegmentedMessage: 0, LastSegment: 1,
};

interface Row { name: string; bytes: number; encodePerSec: number; decodePerSec: number }

function timeLoop(batch: number, body: () => void): number {
  for (let i = 0; i < 5; i++) body();
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(DURATION_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    body();
    ops += batch;
    now = process.hrtime.bigint();
  }
  return ops / (Number(now - start) / 1e9);
}

let sink = 0;
const visitor: DmlVisitor = {
  message: (record, data) => { sink += data[record.fields[0]?.name ?? ''] === undefined ? 0 : 1; },
  error: () => { sink--; },
};

function measure<T>(name: string, kind: MessageKind<T>, data: EncodableData<T>): Row {
  const frame = encodeDmlFrame(registry, kind, data);
  const payload = frame.subarray(8, frame.length - 1);
  const BATCH = 1000;
  const encodePerSec = timeLoop(BATCH, () => {
    for (let i = 0; i < BATCH; i++) sink += encodeDmlFrame(registry, kind, data).length;
  });
  const decodePerSec = timeLoop(BATCH, () => {
    for (let i = 0; i < BATCH; i++) {
      // Read a field back so the decoded object is really built (not optimised away).
      const [result] = decodeDml(registry, payload);
      if (result?.ok) sink += Object.keys(result.data).length;
    }
  });
  return { name, bytes: frame.length, encodePerSec, decodePerSec };
}

function measureStream(frames: Buffer[], api: 'pushEach' | 'push' = 'pushEach'): { mbPerSec: number; framesPerChunk: number; mix: string } {
  const unit = Buffer.concat(frames);
  const total = 16 * 1024 * 1024;
  const stream = Buffer.concat(Array.from({ length: Math.ceil(total / unit.length) }, () => unit));
  const CHUNK = 1024 * 1024;
  const chunks: Buffer[] = [];
  for (let o = 0; o + CHUNK <= stream.length; o += CHUNK) chunks.push(stream.subarray(o, o + CHUNK));
  const bytes = chunks.length * CHUNK;
  let frameCount = 0;
  // The bulk path: frames and messages handed over as they complete, no Frame or payload objects.
  const frameVisitor: FrameVisitor = {
    frame(isControl, _opcode, buffer, start, end) {
      frameCount++;
      if (!isControl) visitDml(registry, buffer, visitor, start, end);
    },
  };
  // The convenient path: Frame objects and a result array per frame.
  const runPush = () => {
    const reader = new FrameReader();
    for (const chunk of chunks) {
      const got = reader.push(chunk);
      frameCount += got.length;
      for (let i = 0; i < got.length; i++) {
        const frame = got[i]!;
        if (!frame.isControl) sink += decodeDml(registry, frame.payload).length;
      }
    }
  };
  const run = api === 'push' ? runPush : () => {
    const reader = new FrameReader();
    for (const chunk of chunks) reader.pushEach(chunk, frameVisitor);
  };
  run();
  const framesPerChunk = Math.round(frameCount / chunks.length);
  const passesPerSec = timeLoop(1, run);
  return { mbPerSec: (passesPerSec * bytes) / 2 ** 20, framesPerChunk, mix: `${frames.length} frames/unit, ${unit.length} B/unit` };
}

const rows = [
  measure('MSG_CLIENTMOVE', GAME.MSG_CLIENTMOVE, clientMove),
  measure('MSG_SERVERMOVE', GAME.MSG_SERVERMOVE, serverMove),
  measure('MSG_USER_AUTHEN_V3', LOGIN.MSG_USER_AUTHEN_V3, authen),
  measure('MSG_LOGINCOMPLETE', GAME.MSG_LOGINCOMPLETE, loginComplete),
];
// A session-like mix: mostly movement, with logins and object blobs that carry most of the bytes.
const newObject = encodeDmlFrame(registry, GAME.MSG_NEWOBJECT, { Data: Buffer.alloc(2048, 0x22) });
const stream = measureStream([
  ...Array.from({ length: 8 }, () => encodeDmlFrame(registry, GAME.MSG_CLIENTMOVE, clientMove)),
  ...Array.from({ length: 8 }, () => encodeDmlFrame(registry, GAME.MSG_SERVERMOVE, serverMove)),
  encodeDmlFrame(registry, LOGIN.MSG_USER_AUTHEN_V3, authen),
  encodeDmlFrame(registry, GAME.MSG_LOGINCOMPLETE, loginComplete),
  newObject, newObject,
]);
// The worst case for bytes per second: nothing but 21-22 byte movement frames.
const movementFrames = [encodeDmlFrame(registry, GAME.MSG_CLIENTMOVE, clientMove), encodeDmlFrame(registry, GAME.MSG_SERVERMOVE, serverMove)];
const smallStream = measureStream(movementFrames);
const smallStreamPush = measureStream(movementFrames, 'push');

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log('| message | frame bytes | encoded/s | decoded/s |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${r.bytes} | ${fmt(r.encodePerSec)} | ${fmt(r.decodePerSec)} |`);
console.log(`| stream of 1 MB chunks, mixed (${stream.mix}, ~${stream.framesPerChunk} frames/chunk) | | | ${stream.mbPerSec.toFixed(0)} MB/s |`);
console.log(`| stream of 1 MB chunks, movement only (~${smallStream.framesPerChunk} frames/chunk) | | | ${smallStream.mbPerSec.toFixed(0)} MB/s |`);
console.log(`| same, through push() + decodeDml() | | | ${smallStreamPush.mbPerSec.toFixed(0)} MB/s |`);
if (sink === 42) console.log('');

// Small messages: the movement messages, the bulk of a game server's traffic.
const small = rows.slice(0, 2);
const harmonic = (values: number[]) => values.length / values.reduce((s, v) => s + 1 / v, 0);
console.log(JSON.stringify({
  decodePerSec: Math.round(harmonic(small.map((r) => r.decodePerSec))),
  encodePerSec: Math.round(harmonic(small.map((r) => r.encodePerSec))),
  streamMBPerSec: Math.round(stream.mbPerSec),
  streamMovementOnlyMBPerSec: Math.round(smallStream.mbPerSec),
  streamMovementOnlyPushMBPerSec: Math.round(smallStreamPush.mbPerSec),
  authenV3DecodePerSec: Math.round(rows[2]!.decodePerSec),
  authenV3EncodePerSec: Math.round(rows[2]!.encodePerSec),
  loginCompleteDecodePerSec: Math.round(rows[3]!.decodePerSec),
  loginCompleteEncodePerSec: Math.round(rows[3]!.encodePerSec),
}));
