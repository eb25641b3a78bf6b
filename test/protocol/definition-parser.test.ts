import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DefinitionError, parseDefinitionXml } from '../../src/protocol/index.js';

const info = (id = 40, type = 'TEST') =>
  `<_ProtocolInfo><RECORD><ServiceID TYPE="UBYT">${id}</ServiceID><ProtocolType TYPE="STR">${type}</ProtocolType>` +
  `<ProtocolVersion TYPE="INT">3</ProtocolVersion><ProtocolDescription TYPE="STR">Test protocol</ProtocolDescription></RECORD></_ProtocolInfo>`;
const msg = (tag: string, body = '') => `<${tag}><RECORD>${body}</RECORD></${tag}>`;

test('without _MsgOrder the order is the 1-based rank of the sorted tag names, duplicates collapsed, keyed on the tag', () => {
  const xml = `<TestMessages>${info()}
    ${msg('MSG_b', '<_MsgName TYPE="STR" NOXFER="TRUE">MSG_SOMETHING_ELSE</_MsgName><First TYPE="INT"></First>')}
    ${msg('MSG_ZED')}
    ${msg('MSG_B')}
    ${msg('MSG_a')}
    ${msg('MSG_b', '<Second TYPE="UBYT"></Second>')}
    ${msg('MSG_A_LONGER')}
  </TestMessages>`;
  const protocol = parseDefinitionXml(xml, 'TestMessages.xml');
  // Ordinal (byte) order: uppercase before lowercase, and "MSG_A_LONGER" < "MSG_B" < "MSG_ZED" < "MSG_a" < "MSG_b".
  assert.deepEqual(protocol.records.map((r) => [r.order, r.name]), [
    [1, 'MSG_A_LONGER'], [2, 'MSG_B'], [3, 'MSG_ZED'], [4, 'MSG_a'], [5, 'MSG_b'],
  ]);
  assert.deepEqual(protocol.records[4]!.fields, [{ name: 'Second', type: 'UBYT' }]);
  assert.ok(protocol.warnings.some((w) => w.includes('<MSG_b>') && w.includes('more than once')));
  assert.deepEqual({ id: protocol.serviceId, name: protocol.name, v: protocol.version, d: protocol.description }, { id: 40, name: 'TEST', v: 3, d: 'Test protocol' });
});

test('_MsgOrder wins over the sorted rank, and _MsgAccessLvl defaults to 0', () => {
  const xml = `<T>${info()}
    ${msg('MSG_A', '<_MsgOrder TYPE="UBYT" NOXFER="TRUE">200</_MsgOrder><_MsgAccessLvl TYPE="UBYT" NOXFER="TRUE">1</_MsgAccessLvl>')}
    ${msg('MSG_B', '<_MsgOrder TYPE="UBYT" NOXFER="TRUE">7</_MsgOrder>')}
  </T>`;
  const records = parseDefinitionXml(xml, 'T.xml').records;
  assert.deepEqual(records.map((r) => [r.name, r.order, r.accessLevel]), [['MSG_B', 7, 0], ['MSG_A', 200, 1]]);
});

test('NOXFER fields are metadata; misspelt TYPE attributes, odd case and spaces and type aliases are understood', () => {
  const xml = `<T>${info()}
    ${msg('MSG_A', `
      <_MsgOrder TYPE="UBYT" NOXFER="TRUE">1</_MsgOrder>
      <Hidden TYPE="INT" NOXFER="true"></Hidden>
      <A TPYE="INT"></A>
      <B type="ubyte"></B>
      <C TYPE=" USHORT "></C>
      <D Tyep="WSTR"></D>
      <E TYPE="GID"></E>
      <F TYP="STR"></F>
      <G TYPE="SHORT"></G>
      <H TYPE="FLOAT"></H>
      <I TYPE="DOUBLE"></I>
      <J TYPE="BYTE"></J>
      <K TYPE="bool"></K>
      <L TYPE="UINT" NOXFER="FALSE"></L>`)}
  </T>`;
  const protocol = parseDefinitionXml(xml, 'T.xml');
  assert.deepEqual(protocol.records[0]!.fields.map((f) => `${f.name}:${f.type}`),
    ['A:INT', 'B:UBYT', 'C:USHRT', 'D:WSTR', 'E:GID', 'F:STR', 'G:SHRT', 'H:FLT', 'I:DBL', 'J:BYT', 'K:BOOL', 'L:UINT']);
  assert.equal(protocol.records[0]!.unusable, undefined);
  assert.ok(protocol.warnings.some((w) => w.includes('"TPYE" read as TYPE')));
});

test('a field whose TYPE cannot be recognised makes its record unusable, not the file', () => {
  const xml = `<T>${info()}${msg('MSG_A', '<V TYPE="VECTOR3"></V>')}${msg('MSG_B', '<W></W>')}${msg('MSG_C', '<X TYPE="INT"></X>')}</T>`;
  const protocol = parseDefinitionXml(xml, 'T.xml');
  assert.match(protocol.records[0]!.unusable ?? '', /unknown TYPE "VECTOR3"/);
  assert.match(protocol.records[1]!.unusable ?? '', /no TYPE attribute/);
  assert.equal(protocol.records[2]!.unusable, undefined);
  assert.equal(protocol.warnings.length, 2);
});

test('bad XML is an error naming the file and where it broke', () => {
  assert.throws(() => parseDefinitionXml(`<T>${info()}<MSG_A><RECORD></MSG_A></T>`, 'Broken.xml'),
    (e: unknown) => e instanceof DefinitionError && e.code === 'ERR_DEFINITION' && /^Broken\.xml: malformed XML at line 1/.test(e.message) && e.message.includes("'RECORD'"));
});

test('structural problems name the file and the element', () => {
  const cases: [string, RegExp][] = [
    [`<T>${msg('MSG_A')}</T>`, /^F\.xml <_ProtocolInfo>: missing/],
    [`<T>${info(300)}</T>`, /^F\.xml <_ProtocolInfo\/ServiceID>/],
    [`<T>${info(4, '1bad')}</T>`, /^F\.xml <_ProtocolInfo\/ProtocolType>/],
    [`<T>${info()}<MSG_A><NOTRECORD/></MSG_A></T>`, /^F\.xml <MSG_A>: has no <RECORD> child/],
    [`<T>${info()}${msg('MSG_A', '<__proto__ TYPE="INT"></__proto__>')}</T>`, /^F\.xml.*__proto__/],
  ];
  for (const [xml, pattern] of cases) assert.throws(() => parseDefinitionXml(xml, 'F.xml'), (e: unknown) => e instanceof DefinitionError && pattern.test(e.message), String(pattern));
});

test('files without a root element and with a byte-order mark are accepted; duplicate field names are kept apart', () => {
  const xml = `\ufeff<?xml version="1.0"?>${info()}${msg('MSG_A', '<X TYPE="INT"></X><X TYPE="UBYT"></X>')}`;
  const protocol = parseDefinitionXml(Buffer.from(xml, 'utf8'), 'T.xml');
  assert.deepEqual(protocol.records[0]!.fields, [{ name: 'X', type: 'INT' }, { name: 'X_2', type: 'UBYT' }]);
});

test('an order that does not fit a byte is skipped with a warning', () => {
  const tags = Array.from({ length: 256 }, (_, i) => msg(`MSG_${String(i).padStart(3, '0')}`)).join('');
  const protocol = parseDefinitionXml(`<T>${info()}${tags}</T>`, 'Big.xml');
  assert.equal(protocol.records.length, 255);
  assert.equal(protocol.records.at(-1)!.name, 'MSG_254');
  assert.ok(protocol.warnings.some((w) => w.includes('MSG_255')));
});
