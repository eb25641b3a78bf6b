import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { KiClient } from '../../../src/net/index.js';
import {
  ControlOpcode, FrameReader, MessageRegistry, PATCH, decodeDml, decodeSessionOffer, encodeDmlFrame, type Frame,
} from '../../../src/protocol/index.js';
import { ActorSystem, createJsonLogger } from '../../../src/runtime/index.js';
import {
  LIST_BIN_NAME, PatchHttpServer, decodeFileListTables, fileRecordsOf, startPatchServer, type PatchServerOptions,
} from '../../../src/servers/patch/index.js';
import { bytes, tempDir, writeTree } from './fixtures.js';
import { referenceKiwadCrc, referenceStandardCrc } from './reference-crc.js';

// The exact bytes of a client's PATCH MSG_LATEST_FILE_LIST_V2 request (messages.md).
const REQUEST = Buffer.concat([Buffer.from([0x0d, 0xf0, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x02, 0x22, 0x00]), Buffer.alloc(30), Buffer.from([0x00])]);

const TREE = {
  'Data/GameData/Root.bin': bytes(5000, 1),
  'PatchClient/Patcher.dll': bytes(300, 2),
  'packages/Zone_1/Data/Zone.bin': 'zone data',
};

interface Reply {
  LatestVersion: number; ListFileName: Buffer; ListFileType: number; ListFileTime: number; ListFileSize: number;
  ListFileCRC: number; ListFileURL: Buffer; URLPrefix: Buffer; URLSuffix: Buffer; Locale?: Buffer | string;
}

/** A patch directory served over HTTP and KiNP on 127.0.0.1, as the part wires them. */
async function startPatch(files: Record<string, Buffer | string>, options: Partial<PatchServerOptions> = {}) {
  const dir = await tempDir('patch-server');
  await writeTree(dir.path, files);
  const http = new PatchHttpServer({ dir: dir.path });
  await http.start({ host: '127.0.0.1', port: 0 });
  const logs: Record<string, unknown>[] = [];
  const system = ActorSystem.create('patch-test', {
    logger: createJsonLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) }),
  });
  const base = http.url();
  const { address } = await startPatchServer(system, {
    host: '127.0.0.1', port: 0, currentList: () => http.list, urls: { urlPrefix: base, listFileUrl: `${base}${LIST_BIN_NAME}` }, ...options,
  });
  return {
    dir: dir.path, http, system, port: address.port, base, logs,
    async close() {
      await system.terminate();
      await http.stop();
      await dir.cleanup();
    },
  };
}

/** A raw TCP client: what it sends is exactly the bytes given; frames are read with the protocol library. */
class RawClient {
  readonly #socket: Socket;
  readonly #reader = new FrameReader();
  readonly #frames: Frame[] = [];
  #wake: (() => void) | undefined;
  #closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.#reader.push(chunk)) this.#frames.push({ ...frame, payload: Buffer.from(frame.payload) });
      this.#wake?.();
    });
    socket.on('close', () => { this.#closed = true; this.#wake?.(); });
    socket.on('error', () => {});
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer): void { this.#socket.write(bytes); }

  get closed(): boolean { return this.#closed; }

  async frame(timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (this.#frames.length === 0) {
      if (this.#closed) throw new Error('connection closed while waiting for a frame');
      if (Date.now() > deadline) throw new Error('no frame in time');
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    return this.#frames.shift()!;
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#closed) {
      if (Date.now() > deadline) throw new Error('the connection stayed open');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  destroy(): void { this.#socket.destroy(); }
}

/** Checks a reply against what the HTTP side actually serves; returns the downloaded list. */
async function checkReplyAgainstHttp(reply: Reply, base: string): Promise<Buffer> {
  assert.equal(reply.ListFileName.toString(), 'LatestFileList.bin');
  assert.equal(reply.ListFileType, 1);
  assert.equal(reply.URLPrefix.toString(), base);
  assert.equal(reply.ListFileURL.toString(), `${base}LatestFileList.bin`);
  assert.equal(reply.URLSuffix.toString(), '');
  const response = await fetch(reply.ListFileURL.toString());
  assert.equal(response.status, 200);
  const bin = Buffer.from(await response.arrayBuffer());
  assert.equal(reply.ListFileSize, bin.length, 'ListFileSize is the size of the served LatestFileList.bin');
  assert.equal(reply.ListFileCRC, referenceStandardCrc(bin), 'ListFileCRC is the CRC-32/IEEE of the served LatestFileList.bin');
  const version = decodeFileListTables(bin).find((t) => t.name === 'About')!.records[0]!['Version'];
  assert.equal(reply.LatestVersion, version, 'LatestVersion is the served list\'s About.Version');
  return bin;
}

describe('the KiNP side of the patch server', () => {
  test('the exact request bytes sent before any SessionAccept get a reply describing the list served over HTTP', async () => {
    const patch = await startPatch(TREE);
    const client = await RawClient.open(patch.port);
    try {
      // Sent at once, before the SessionOffer is even read, as the real client does.
      client.write(REQUEST);
      const offer = await client.frame();
      assert.equal(offer.isControl, true);
      assert.equal(offer.opcode, ControlOpcode.SessionOffer);
      assert.ok(decodeSessionOffer(offer.payload).sid > 0);

      const answer = await client.frame();
      assert.equal(answer.isControl, false);
      const results = decodeDml(MessageRegistry.defaults(), answer.payload);
      assert.equal(results.length, 1);
      const [decoded] = results;
      assert.ok(decoded?.ok, 'the reply decodes with the registry');
      assert.equal(decoded.record.name, 'MSG_LATEST_FILE_LIST_V2');
      assert.equal(decoded.record.serviceId, 8);
      const reply = decoded.data as unknown as Reply;
      assert.deepEqual(reply.Locale, Buffer.alloc(0), 'the empty Locale is echoed');
      assert.equal(reply.ListFileTime, patch.http.list!.timeSecs);

      const bin = await checkReplyAgainstHttp(reply, patch.base);
      // The list it describes is the directory's: every file is downloadable by URLPrefix + SrcFileName with its CRC.
      const records = fileRecordsOf(decodeFileListTables(bin));
      assert.deepEqual(records.map((r) => r.SrcFileName).sort(), Object.keys(TREE).sort());
      for (const record of records) {
        const file = Buffer.from(await (await fetch(`${reply.URLPrefix.toString()}${record.SrcFileName}`)).arrayBuffer());
        assert.equal(referenceKiwadCrc(file), record.CRC, record.SrcFileName);
        assert.deepEqual(file, readFileSync(join(patch.dir, ...record.SrcFileName.split('/'))));
      }
      assert.equal(client.closed, false, 'the session stays open, still waiting for the SessionAccept');
    } finally {
      client.destroy();
      await patch.close();
    }
  });

  test('a request with a Locale, and one in the older MSG_LATEST_FILE_LIST form, after a handshake with KiClient', async () => {
    const patch = await startPatch(TREE);
    const client = await KiClient.connect({ port: patch.port, keepAliveMs: 0 });
    try {
      const empty = { LatestVersion: 0, ListFileName: '', ListFileType: 0, ListFileTime: 0, ListFileSize: 0, ListFileCRC: 0, ListFileURL: '', URLPrefix: '', URLSuffix: '' };
      client.send(PATCH.MSG_LATEST_FILE_LIST_V2, { ...empty, Locale: 'English' });
      const v2 = await client.next(PATCH.MSG_LATEST_FILE_LIST_V2, 5000);
      assert.equal(v2.Locale.toString(), 'English');
      await checkReplyAgainstHttp(v2, patch.base);

      client.send(PATCH.MSG_LATEST_FILE_LIST, empty);
      const v1 = await client.next(PATCH.MSG_LATEST_FILE_LIST, 5000);
      assert.equal('Locale' in v1, false, 'the v1 request is answered in the v1 shape');
      await checkReplyAgainstHttp(v1, patch.base);
      assert.equal(client.stats.decodeErrors, 0);
    } finally {
      await client.close();
      await patch.close();
    }
  });

  test('after a file changes and the list is rebuilt, the reply describes the new list', async () => {
    const patch = await startPatch(TREE);
    const client = await KiClient.connect({ port: patch.port, keepAliveMs: 0 });
    try {
      const ask = async (): Promise<Reply> => {
        client.writeRaw(REQUEST);
        return client.next(PATCH.MSG_LATEST_FILE_LIST_V2, 5000);
      };
      const before = await ask();
      await checkReplyAgainstHttp(before, patch.base);

      // Same size, other bytes, another mtime: only the CRC of the file (and so of the list) changes.
      const path = join(patch.dir, 'packages', 'Zone_1', 'Data', 'Zone.bin');
      await writeFile(path, 'ZONE DATA');
      const later = new Date('2024-02-03T04:05:06Z');
      await utimes(path, later, later);
      await patch.http.rebuild();

      const after = await ask();
      assert.notEqual(after.ListFileCRC, before.ListFileCRC, 'the list CRC changes');
      assert.equal(after.LatestVersion, before.LatestVersion + 1);
      const bin = await checkReplyAgainstHttp(after, patch.base);
      const zone = fileRecordsOf(decodeFileListTables(bin)).find((r) => r.SrcFileName === 'packages/Zone_1/Data/Zone.bin')!;
      assert.equal(zone.CRC, referenceKiwadCrc(Buffer.from('ZONE DATA')));
    } finally {
      await client.close();
      await patch.close();
    }
  });

  test('a request with an oversized Locale closes that session only', async () => {
    const patch = await startPatch(TREE, { maxLocaleBytes: 16 });
    const registry = MessageRegistry.defaults();
    const request = (locale: string) => encodeDmlFrame(registry, PATCH.MSG_LATEST_FILE_LIST_V2, {
      LatestVersion: 0, ListFileName: '', ListFileType: 0, ListFileTime: 0, ListFileSize: 0, ListFileCRC: 0, ListFileURL: '', URLPrefix: '', URLSuffix: '', Locale: locale,
    });
    const hostile = await RawClient.open(patch.port);
    const other = await KiClient.connect({ port: patch.port, keepAliveMs: 0 });
    try {
      hostile.write(request('x'.repeat(17)));
      assert.equal((await hostile.frame()).opcode, ControlOpcode.SessionOffer);
      await hostile.waitClosed();
      assert.ok(patch.logs.some((l) => String(l['msg']).includes('oversized Locale')));

      other.writeRaw(request('x'.repeat(16)));
      assert.equal((await other.next(PATCH.MSG_LATEST_FILE_LIST_V2, 5000)).Locale.toString(), 'x'.repeat(16));
    } finally {
      hostile.destroy();
      await other.close();
      await patch.close();
    }
  });

  test('with a client\'s own definitions declaring Locale as WSTR, the reply follows them', async () => {
    const shipped = readFileSync(new URL('../../../src/protocol/definitions/PatchMessages.xml', import.meta.url), 'utf8');
    const own = shipped.replace('<Locale TYPE="STR"></Locale>', '<Locale TYPE="WSTR"></Locale>');
    assert.notEqual(own, shipped);
    const registry = MessageRegistry.defaults().merge(MessageRegistry.fromXml([{ name: 'PatchMessages.xml', content: own }]));
    const patch = await startPatch(TREE, { registry });
    const client = await KiClient.connect({ port: patch.port, keepAliveMs: 0, registry });
    try {
      client.send(PATCH.MSG_LATEST_FILE_LIST_V2, {
        LatestVersion: 0, ListFileName: '', ListFileType: 0, ListFileTime: 0, ListFileSize: 0, ListFileCRC: 0, ListFileURL: '', URLPrefix: '', URLSuffix: '',
        Locale: 'Français' as never,
      });
      const reply = await client.next(PATCH.MSG_LATEST_FILE_LIST_V2, 5000);
      assert.equal(reply.Locale as unknown, 'Français');
      await checkReplyAgainstHttp(reply, patch.base);
    } finally {
      await client.close();
      await patch.close();
    }
  });
});
