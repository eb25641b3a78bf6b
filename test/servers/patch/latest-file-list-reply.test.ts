import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FrameReader, MessageRegistry, PATCH, decodeDml, encodeDmlFrame } from '../../../src/protocol/index.js';
import { LIST_BIN_NAME, buildFileList, latestFileListReply } from '../../../src/servers/patch/index.js';
import { tempDir, writeTree } from './fixtures.js';

// The exact bytes of a client's PATCH MSG_LATEST_FILE_LIST_V2 request (messages.md).
const REQUEST = Buffer.concat([Buffer.from([0x0d, 0xf0, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x02, 0x22, 0x00]), Buffer.alloc(30), Buffer.from([0x00])]);

describe('the reply to MSG_LATEST_FILE_LIST_V2', () => {
  test('the request bytes from messages.md get a well-formed reply describing the current list', async () => {
    const dir = await tempDir('reply');
    try {
      await writeTree(dir.path, { 'a.txt': 'alpha', 'Data/GameData/b.bin': 'bravo' });
      const { list } = await buildFileList(dir.path, { cachePath: false, now: () => 1_700_000_123_456 });
      const registry = MessageRegistry.defaults();
      const frames = new FrameReader().push(REQUEST);
      assert.equal(frames.length, 1);
      const [decoded] = decodeDml(registry, frames[0]!.payload);
      assert.ok(decoded?.ok, 'the request decodes');
      assert.equal(decoded.record.name, 'MSG_LATEST_FILE_LIST_V2');
      const request = decoded.data as { Locale: Buffer };

      const reply = latestFileListReply(list, request, {
        urlPrefix: 'http://patch.example:12501/', listFileUrl: `http://patch.example:12501/${LIST_BIN_NAME}`,
      });
      assert.equal(reply.LatestVersion, list.version);
      assert.equal(reply.ListFileName.toString(), 'LatestFileList.bin');
      assert.equal(reply.ListFileType, 1);
      assert.equal(reply.ListFileTime, 1_700_000_123);
      assert.equal(reply.ListFileSize, list.bin.length);
      assert.equal(reply.ListFileCRC, list.binCrc);
      assert.equal(reply.URLPrefix.toString(), 'http://patch.example:12501/');
      assert.equal(reply.URLSuffix.toString(), '');
      assert.deepEqual(reply.Locale, request.Locale);

      const bytes = encodeDmlFrame(registry, PATCH.MSG_LATEST_FILE_LIST_V2, reply);
      const [back] = decodeDml(registry, new FrameReader().push(bytes)[0]!.payload);
      assert.ok(back?.ok);
      assert.equal(back.record.name, 'MSG_LATEST_FILE_LIST_V2');
      assert.equal(back.data.ListFileCRC, list.binCrc);
      assert.equal((back.data.ListFileURL as Buffer).toString(), `http://patch.example:12501/${LIST_BIN_NAME}`);
    } finally {
      await dir.cleanup();
    }
  });

  test('a Locale sent by the client is echoed byte for byte', () => {
    const list = { version: 7, timeSecs: 5, bin: Buffer.from('xyz'), binCrc: 0xdeadbeef };
    const reply = latestFileListReply(list, { Locale: Buffer.from('English') }, { urlPrefix: 'u/', listFileUrl: 'u/l', urlSuffix: '?v=7' });
    assert.equal(reply.Locale.toString(), 'English');
    assert.equal(reply.URLSuffix.toString(), '?v=7');
    assert.equal(reply.ListFileCRC, 0xdeadbeef);
    assert.equal(reply.LatestVersion, 7);
  });
});
