import { defineClusterContract } from './cluster-contract.js';
import { natsHarness } from './support.js';

defineClusterContract(await natsHarness());
