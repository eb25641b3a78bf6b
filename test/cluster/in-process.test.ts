import { defineClusterContract } from './cluster-contract.js';
import { inProcessHarness } from './support.js';

defineClusterContract(inProcessHarness());
