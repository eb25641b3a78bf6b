import { defineSecurityContract } from './security-contract.js';
import { sqliteHarness } from './store-harness.js';

defineSecurityContract(sqliteHarness());
