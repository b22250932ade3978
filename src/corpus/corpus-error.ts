/** A corpus problem, reported as one line naming the file. */
export class CorpusError extends Error {
  override name = 'CorpusError';
}
