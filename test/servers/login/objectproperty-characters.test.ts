// The login server speaking the client's own object format: with a type dump configured, CreationInfo is decoded
// by the ObjectProperty codec and MSG_CHARACTERINFO is built from the stored character in the configured class.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ObjectPropertyCharacterCodec, ObjectPropertyCodec, PropertyFlags, loadTypeDump,
} from '../../../src/objectproperty/index.js';
import { LOGIN } from '../../../src/protocol/index.js';
import { createCharacter, startLoginHarness, type LoginHarness } from './harness.js';

// The network mask: a property travels when it has both TRANSMIT and PRIVILEGED_TRANSMIT.
const NET = PropertyFlags.TRANSMIT | PropertyFlags.PRIVILEGED_TRANSMIT;
const types = loadTypeDump({
  version: 2,
  classes: {
    [String(0x43524541)]: {
      name: 'class CreationInfo',
      hash: 0x43524541,
      properties: {
        m_name: { type: 'std::string', id: 0, flags: NET },
        m_school: { type: 'enum School', id: 1, flags: NET | PropertyFlags.ENUM, enum_options: { FIRE: 0, ICE: 1, STORM: 2 } },
        m_appearance: { type: 'unsigned int', id: 2, flags: NET, dynamic: true },
      },
    },
    [String(0x43484152)]: {
      name: 'class CharacterInfo',
      hash: 0x43484152,
      properties: {
        m_globalID: { type: 'gid', id: 0, flags: NET },
        m_name: { type: 'std::string', id: 1, flags: NET },
        m_school: { type: 'enum School', id: 2, flags: NET | PropertyFlags.ENUM, enum_options: { FIRE: 0, ICE: 1, STORM: 2 } },
        m_appearance: { type: 'unsigned int', id: 3, flags: NET, dynamic: true },
        m_zoneName: { type: 'std::string', id: 4, flags: NET },
        m_location: { type: 'std::string', id: 5, flags: NET },
      },
    },
  },
});
const blobs = new ObjectPropertyCodec(types);

describe('the login server with a configured type dump', () => {
  let harness: LoginHarness;
  before(async () => {
    harness = await startLoginHarness({
      codec: new ObjectPropertyCharacterCodec({ types, className: 'class CharacterInfo' }),
      settings: { startZone: 'WizardCity/WC_Hub' },
    });
    await harness.createAccount('opal');
  });
  after(() => harness.close());

  it('accepts a CreationInfo encoded by the codec, stores its fields and lists the character back in the client class', async () => {
    const { client } = await harness.logInAdmitted('opal');
    const creation = blobs.encode({ $class: 'class CreationInfo', m_name: 'Opal Stormcaller', m_school: 2, m_appearance: [7, 8, 9] });
    assert.equal(await createCharacter(client, creation), 0);

    client.send(LOGIN.MSG_REQUESTCHARACTERLIST, {});
    await client.next(LOGIN.MSG_STARTCHARACTERLIST, 5000);
    const info = blobs.decode((await client.next(LOGIN.MSG_CHARACTERINFO, 5000)).CharacterInfo);
    assert.equal((await client.next(LOGIN.MSG_CHARACTERLIST, 5000)).Error, 0);

    const [stored] = await harness.store.characters.listByAccount((await harness.store.accounts.findByUsername('opal'))!.id);
    assert.ok(stored !== undefined);
    assert.deepEqual(info, {
      $class: 'class CharacterInfo', m_globalID: stored.id, m_name: 'Opal Stormcaller', m_school: 2, m_appearance: [7, 8, 9],
      m_zoneName: 'WizardCity/WC_Hub', m_location: 'Start',
    });
    assert.deepEqual(stored.creationData, creation);
    assert.deepEqual(stored.state['creation'], { $class: 'class CreationInfo', m_name: 'Opal Stormcaller', m_school: 2, m_appearance: [7, 8, 9] });
  });

  it('answers a CreationInfo that does not decode with an error reply and keeps the session', async () => {
    const { client } = await harness.logInAdmitted('opal');
    const code = await createCharacter(client, Buffer.from('deadbeef01', 'hex'));
    assert.notEqual(code, 0);
    client.send(LOGIN.MSG_REQUESTCHARACTERLIST, {});
    assert.equal((await client.next(LOGIN.MSG_CHARACTERLIST, 5000)).Error, 0);
  });
});
