// Errors of the social layer, each with a stable code.
export class SocialConfigError extends Error {
  readonly code = 'ERR_SOCIAL_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'SocialConfigError';
  }
}
