import { embeddingText } from '../corpus/embedding-text.ts';
import type { Chunk } from '../corpus/types.ts';
import type { LocalEmbeddings } from '../embeddings/local-embeddings.ts';
import { contentTerms } from '../text/analyze.ts';

/**
 * What retrieval derives from a passage of one loaded index: its stems (with its heading
 * path), its pairs of adjacent stems, its text as duplicates are compared, and its vector in
 * the local embedder's space.
 * Worked out the first time a question reaches the passage and kept with the index, so a
 * corpus of many thousand passages pays only for those questions reach, and a hot swap drops
 * them with their generation.
 */
export class ChunkFeatures {
  private readonly stemSets = new Map<Chunk, ReadonlySet<string>>();
  private readonly duplicateKeys = new Map<Chunk, string>();
  private readonly localVectors = new Map<Chunk, Float32Array>();
  private readonly bigramSets = new Map<Chunk, ReadonlySet<string>>();

  constructor(private readonly embedder: LocalEmbeddings) {}

  /** Stems of a passage and its heading path. */
  stems(chunk: Chunk): ReadonlySet<string> {
    return cached(this.stemSets, chunk, () => new Set(contentTerms(`${chunk.headingPath.join(' ')} ${chunk.text}`)));
  }

  /** Pairs of adjacent content stems of a passage, as "a b" (stop words skipped: "marketer at an agency" has "market agenc"). */
  bigrams(chunk: Chunk): ReadonlySet<string> {
    return cached(this.bigramSets, chunk, () => bigramsOf(contentTerms(chunk.text)));
  }

  /** A passage's text with whitespace collapsed: the same text twice is one passage. */
  duplicateKey(chunk: Chunk): string {
    return cached(this.duplicateKeys, chunk, () => chunk.text.replace(/\s+/g, ' ').trim());
  }

  /** A passage's vector in the local embedder's space (whatever embedded the index's own vectors). */
  localVector(chunk: Chunk): Float32Array {
    return cached(this.localVectors, chunk, () => this.embedder.embedPassage(embeddingText(chunk)));
  }
}

/** Adjacent pairs of a stem sequence, as "a b". */
function bigramsOf(stems: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i < stems.length; i++) out.add(`${stems[i - 1]} ${stems[i]}`);
  return out;
}

function cached<V>(memo: Map<Chunk, V>, chunk: Chunk, compute: () => V): V {
  let value = memo.get(chunk);
  if (value === undefined) {
    value = compute();
    memo.set(chunk, value);
  }
  return value;
}
