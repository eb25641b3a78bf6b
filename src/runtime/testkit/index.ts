export { TestProbe } from './test-probe.js';
export { settle, VirtualScheduler } from './virtual-scheduler.js';
