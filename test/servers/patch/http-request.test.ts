import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ifRangeHolds, notModified, parseRange, parseTarget } from '../../../src/servers/patch/http-request.js';

describe('request-target parsing', () => {
  test('plain and percent-encoded paths map to list keys', () => {
    assert.deepEqual(parseTarget('/Data/GameData/Root.wad'), { ok: true, path: 'Data/GameData/Root.wad' });
    assert.deepEqual(parseTarget('/a%20b/c.txt?x=1'), { ok: true, path: 'a b/c.txt' });
    assert.deepEqual(parseTarget('/'), { ok: true, path: '' });
  });

  test('a doubled leading slash (URLPrefix ending in "/" joined to "/Bin/x") is the same path', () => {
    assert.deepEqual(parseTarget('//Bin/x'), { ok: true, path: 'Bin/x' });
    assert.deepEqual(parseTarget('///Data/GameData/Root.wad'), { ok: true, path: 'Data/GameData/Root.wad' });
    assert.deepEqual(parseTarget('//etc/passwd'), { ok: true, path: 'etc/passwd' }, 'a key into the file list, never a root path');
  });

  test('traversal, absolute, NUL and backslash forms are refused', () => {
    for (const bad of ['/../x', '/a/../../x', '/%2e%2e/x', '/a/%2E%2E/x', '/..%2fx', '/a\\b', '/a%5cb', '//%2fetc', '/%2fetc',
      '/C:/x', '/c%3a/x', '/a%00b', '/./a', '/a//b', '/a/', 'a', 'http://h/a', undefined, '/%zz']) {
      assert.equal(parseTarget(bad).ok, false, String(bad));
    }
  });
});

describe('Range evaluation', () => {
  test('single ranges in their three forms', () => {
    assert.deepEqual(parseRange('bytes=0-9', 100), { kind: 'partial', start: 0, end: 9 });
    assert.deepEqual(parseRange('bytes=90-', 100), { kind: 'partial', start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=-10', 100), { kind: 'partial', start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=-1000', 100), { kind: 'partial', start: 0, end: 99 });
    assert.deepEqual(parseRange('bytes=50-1000', 100), { kind: 'partial', start: 50, end: 99 });
  });

  test('unsatisfiable ranges and ignored ones', () => {
    assert.deepEqual(parseRange('bytes=100-', 100), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=-0', 100), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=0-', 0), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=99999999999999999999-', 100), { kind: 'unsatisfiable' });
    for (const ignored of [undefined, 'bytes=0-1,5-6', 'items=0-1', 'bytes=5-1', 'bytes=-', 'bytes=a-b']) {
      assert.deepEqual(parseRange(ignored, 100), { kind: 'full' }, String(ignored));
    }
  });
});

describe('conditional requests', () => {
  const etag = '"1-2-00000003"';
  test('If-None-Match wins over If-Modified-Since', () => {
    assert.equal(notModified({ 'if-none-match': `"x", W/${etag}` }, etag, 1000), true);
    assert.equal(notModified({ 'if-none-match': '"x"', 'if-modified-since': new Date(5_000_000).toUTCString() }, etag, 1000), false);
    assert.equal(notModified({ 'if-modified-since': new Date(1_000_000).toUTCString() }, etag, 1000), true);
    assert.equal(notModified({ 'if-modified-since': new Date(999_000).toUTCString() }, etag, 1000), false);
    assert.equal(notModified({ 'if-modified-since': 'garbage' }, etag, 1000), false);
  });
  test('If-Range needs a strong match or the exact date', () => {
    assert.equal(ifRangeHolds(etag, etag, 1000), true);
    assert.equal(ifRangeHolds(`W/${etag}`, etag, 1000), false);
    assert.equal(ifRangeHolds(new Date(1_000_000).toUTCString(), etag, 1000), true);
    assert.equal(ifRangeHolds(new Date(2_000_000).toUTCString(), etag, 1000), false);
  });
});
