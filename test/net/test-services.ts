// Small services for the networking tests, on messages of the shipped definitions.
import { EXTENDEDBASE, LOGIN, SYSTEM } from '../../src/protocol/index.js';
import { FatalServiceError, MessageService, type ServiceContext, type ServiceEnv } from '../../src/net/index.js';
import type { ActorRef } from '../../src/runtime/index.js';

/** Answers MSG_PING with MSG_PING_RSP. */
export class PingService extends MessageService {
  constructor(context: ServiceContext, env: ServiceEnv) {
    super(context, env);
    this.onClient(SYSTEM.MSG_PING, () => this.send(SYSTEM.MSG_PING_RSP, {}));
  }
}

/**
 * MSG_RAW_TEXT commands: "crash" throws, "fatal" throws a FatalServiceError, "flood:N" sends N
 * 60 KB messages, anything else is echoed back with this service's name prefixed.
 */
export class TextService extends MessageService {
  constructor(context: ServiceContext, env: ServiceEnv) {
    super(context, env);
    this.onClient(EXTENDEDBASE.MSG_RAW_TEXT, ({ Message }) => {
      const text = Message.toString('utf8');
      if (text === 'crash') throw new Error('test crash');
      if (text === 'fatal') throw new FatalServiceError('test fatal');
      if (text.startsWith('flood:')) {
        const block = Buffer.alloc(60_000, 0x61);
        for (let i = 0; i < Number(text.slice(6)); i++) this.send(EXTENDEDBASE.MSG_RAW_TEXT, { Message: block });
        return;
      }
      this.send(EXTENDEDBASE.MSG_RAW_TEXT, { Message: `${env.name}:${text}` });
    });
  }
}

/** A second handler of MSG_RAW_TEXT, answering with MSG_SERVERMESSAGE. */
export class ShoutService extends MessageService {
  constructor(context: ServiceContext, env: ServiceEnv) {
    super(context, env);
    this.onClient(EXTENDEDBASE.MSG_RAW_TEXT, ({ Message }) => this.send(EXTENDEDBASE.MSG_SERVERMESSAGE, { Modal: 0, Message: Message.toString('utf8').toUpperCase() }));
  }
}

/** Answers LOGIN.MSG_USER_VALIDATE (access level 1) with MSG_USER_VALIDATE_RSP. */
export class ValidateService extends MessageService {
  constructor(context: ServiceContext, env: ServiceEnv) {
    super(context, env);
    this.onClient(LOGIN.MSG_USER_VALIDATE, ({ UserID }) =>
      this.send(LOGIN.MSG_USER_VALIDATE_RSP, { Error: 0, Reason: '', UserID, TimeStamp: '', PayingUser: 0, Flags: 0 }),
    );
  }
}

export type CounterMessage =
  | { readonly type: 'test.count'; readonly replyTo: ActorRef<number> }
  | { readonly type: 'test.never-answered'; readonly replyTo: ActorRef<number> };

/**
 * Internal messages between services: "ask:count" asks the counter service for its count,
 * "ask:silent" asks a type the counter never answers, "ask:nobody" a type no service handles.
 */
export class AskingService extends MessageService {
  constructor(context: ServiceContext, env: ServiceEnv) {
    super(context, env);
    this.onClient(SYSTEM.MSG_PING, async () => {
      const count = await this.askService<number>((replyTo) => ({ type: 'test.count', replyTo }), 1000);
      this.send(EXTENDEDBASE.MSG_RAW_TEXT, { Message: `count:${count}` });
    });
    this.onClient(EXTENDEDBASE.MSG_RAW_TEXT, async ({ Message }) => {
      const which = Message.toString('utf8');
      const type = which === 'ask:silent' ? 'test.never-answered' : which === 'ask:nobody' ? 'test.nobody' : undefined;
      if (type === undefined) return;
      try {
        await this.askService<number>((replyTo) => ({ type, replyTo }), 200);
      } catch (error) {
        const e = error as { code: string; message: string };
        this.send(EXTENDEDBASE.MSG_RAW_TEXT, { Message: `${e.code}|${e.message}` });
      }
    });
  }
}

export class CounterService extends MessageService<CounterMessage> {
  #count = 0;
  constructor(context: ServiceContext<CounterMessage>, env: ServiceEnv) {
    super(context, env);
    this.onClient(SYSTEM.MSG_PING_RSP, () => {
      this.#count++;
    });
    this.onServer('test.count', ({ replyTo }) => replyTo.tell(++this.#count));
    this.onServer('test.never-answered', () => {});
  }
}

/** Declares MSG_PING twice: construction must fail. */
export class TwiceService extends MessageService {
  constructor(context: ServiceContext, env: ServiceEnv) {
    super(context, env);
    this.onClient(SYSTEM.MSG_PING, () => {});
    this.onClient(SYSTEM.MSG_PING, () => {});
  }
}

/** Takes 20 ms per MSG_PING: a client pinging faster floods its mailbox. */
export class SlowService extends MessageService {
  constructor(context: ServiceContext, env: ServiceEnv) {
    super(context, env);
    this.onClient(SYSTEM.MSG_PING, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      this.send(SYSTEM.MSG_PING_RSP, {});
    });
  }
}
