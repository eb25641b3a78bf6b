// Errors of the configuration loader. Each carries a stable `code`; ConfigError lists every problem found,
// so an operator fixes them all in one pass instead of one per start.

export interface ConfigIssue {
  /** Dotted key path, e.g. `login.port`; empty for the whole document. */
  readonly path: string;
  /** What is wrong, phrased to follow the key: `must be an integer 0..65535, got "abc"`. */
  readonly message: string;
  /** Where the offending value came from, e.g. `IMLIGHT_LOGIN_PORT` or `file ./imlight.config.toml`. */
  readonly source?: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.source === undefined ? '' : ` (from ${issue.source})`;
  return issue.path === '' ? `${issue.message}${where}` : `${issue.path}: ${issue.message}${where}`;
}

export class ConfigError extends Error {
  readonly code = 'ERR_CONFIG_INVALID';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    super(`invalid configuration:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`, options);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export class ConfigFileError extends Error {
  readonly code = 'ERR_CONFIG_FILE';
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`configuration file ${file}: ${message}`, options);
    this.name = 'ConfigFileError';
    this.file = file;
  }
}
