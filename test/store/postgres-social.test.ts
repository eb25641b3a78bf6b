import { defineSocialContract } from './social-contract.js';
import { postgresHarness } from './store-harness.js';

defineSocialContract(await postgresHarness());
