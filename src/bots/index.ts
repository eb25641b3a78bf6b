// Public entry of the bot swarm: bots that play Imlight over the wire, for load and fault tests.
export { Bot, DEFAULT_MIX, DEFAULT_ZONES, pickAction, type ActionMix, type BotOptions, type JourneyResult, type StepSink } from './bot.js';
export { decodeCharacterInfo, encodeCreationInfo, type CharacterInfo } from './character-blob.js';
export { attach, changeZone, chat, logout, replyOrRefusal, sendMove, type Attached, type Position } from './game-steps.js';
export { LatencyRecorder, percentile, type StepSummary } from './latency-recorder.js';
export {
  authenticate, authenticationRec1, awaitAdmission, createCharacter, listCharacters, selectCharacter, step,
  type Authenticated, type BotAccount, type Selected,
} from './login-steps.js';
export { runSwarm, validateSwarmOptions, type SwarmOptions, type SwarmProgress, type SwarmReport } from './swarm.js';
export { botUsernames, parseAccounts, parseMix, parseTarget, readAccountsFile } from './swarm-input.js';
export { formatProgress, formatReport } from './swarm-report.js';
export * from './errors.js';
