/** The transcript cannot be fetched at all (no adapter, no credentials): retrying will not help. */
export class TranscriptUnavailableError extends Error {
  override name = 'TranscriptUnavailableError';
}
