import { defineStoreContract } from './store-contract.js';
import { sqliteHarness } from './store-harness.js';

defineStoreContract(sqliteHarness());
