import { defineSocialContract } from './social-contract.js';
import { sqliteHarness } from './store-harness.js';

defineSocialContract(sqliteHarness());
