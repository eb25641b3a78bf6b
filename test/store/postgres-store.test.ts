import { defineStoreContract } from './store-contract.js';
import { postgresHarness } from './store-harness.js';

defineStoreContract(await postgresHarness());
