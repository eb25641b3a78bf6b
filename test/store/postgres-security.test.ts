import { defineSecurityContract } from './security-contract.js';
import { postgresHarness } from './store-harness.js';

defineSecurityContract(await postgresHarness());
