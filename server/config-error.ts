/** A bad config value: start-up stops with this message (naming the key), never a stack trace. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
