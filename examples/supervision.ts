// A parent supervising a failing child: run it with `npm run example:supervision`.
//
// The Accountant keeps a balance and throws on a bad withdrawal. Its parent, the Bank, restarts it on ordinary
// errors (fresh state, same ref, queued messages kept) and stops it when the restart budget is spent or the error
// is fatal. Watching the child tells the Bank when it is gone.
import {
  Actor,
  ActorSystem,
  createJsonLogger,
  decideByType,
  Directive,
  oneForOne,
  props,
  type ActorContext,
  type ActorRef,
} from '../src/runtime/index.js';

class Overdraft extends Error {}
class LedgerCorrupt extends Error {}

type AccountMessage =
  | { type: 'deposit'; amount: number }
  | { type: 'withdraw'; amount: number }
  | { type: 'corrupt' }
  | { type: 'balance'; replyTo: ActorRef<number> };

class Accountant extends Actor<AccountMessage> {
  #balance = 0;

  override preStart(): void {
    this.context.log.info('accountant started with a zero balance');
  }

  readonly receive = {
    deposit: (m: { amount: number }) => {
      this.#balance += m.amount;
    },
    withdraw: async (m: { amount: number }) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (m.amount > this.#balance) throw new Overdraft(`cannot withdraw ${m.amount} from ${this.#balance}`);
      this.#balance -= m.amount;
    },
    corrupt: () => {
      throw new LedgerCorrupt('ledger checksum mismatch');
    },
    balance: (m: { replyTo: ActorRef<number> }) => m.replyTo.tell(this.#balance),
  };
}

type BankMessage = { type: 'open'; replyTo: ActorRef<ActorRef<AccountMessage>> } | { type: 'closed'; path: string };

class Bank extends Actor<BankMessage> {
  override readonly supervisorStrategy = oneForOne({
    maxRetries: 3,
    withinMs: 60_000,
    decide: decideByType([
      [LedgerCorrupt, Directive.stop],
      [Overdraft, Directive.restart],
    ]),
  });

  constructor(context: ActorContext<BankMessage>, private readonly closed: (path: string) => void) {
    super(context);
  }

  readonly receive = {
    open: (m: { replyTo: ActorRef<ActorRef<AccountMessage>> }) => {
      const account = this.context.spawn(props<AccountMessage>((ctx) => new Accountant(ctx)), 'account-1');
      this.context.watch(account, { type: 'closed', path: account.path });
      m.replyTo.tell(account);
    },
    closed: (m: { path: string }) => this.closed(m.path),
  };
}

const system = ActorSystem.create('example', { logger: createJsonLogger({ level: 'warn' }) });
let markClosed!: (path: string) => void;
const accountClosed = new Promise<string>((resolve) => (markClosed = resolve));
const bank = system.spawn(props<BankMessage>((ctx) => new Bank(ctx, markClosed)), 'bank');

const account = await bank.ask<ActorRef<AccountMessage>>((replyTo) => ({ type: 'open', replyTo }), 1000);
const balance = (): Promise<number> => account.ask<number>((replyTo) => ({ type: 'balance', replyTo }), 1000);

account.tell({ type: 'deposit', amount: 100 });
account.tell({ type: 'withdraw', amount: 30 });
console.log(`balance after deposit and withdrawal: ${await balance()}`);

account.tell({ type: 'withdraw', amount: 500 });
account.tell({ type: 'deposit', amount: 7 });
console.log(`balance after an overdraft (restarted, fresh state, the queued deposit kept): ${await balance()}`);

account.tell({ type: 'corrupt' });
console.log(`the bank saw ${await accountClosed} stop after a fatal error`);

await system.terminate();
console.log(`system terminated; dead letters: ${system.deadLetterCount}`);
