import { ActorSystem, createJsonLogger, type ActorSystemOptions, type Logger } from '../../src/runtime/index.js';
import { VirtualScheduler } from '../../src/runtime/testkit/index.js';

export interface TestSystem {
  readonly system: ActorSystem;
  readonly scheduler: VirtualScheduler;
  readonly logs: Array<Record<string, unknown>>;
}

// A system on virtual time whose log lines are captured instead of printed.
export function testSystem(name = 'test', options: Omit<ActorSystemOptions, 'scheduler' | 'logger'> = {}): TestSystem {
  const scheduler = new VirtualScheduler();
  const logs: Array<Record<string, unknown>> = [];
  const logger: Logger = createJsonLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  return { system: ActorSystem.create(name, { ...options, scheduler, logger }), scheduler, logs };
}
