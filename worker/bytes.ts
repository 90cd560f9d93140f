// Joining byte chunks.

/** The chunks as one array; a single chunk is returned as it is, without a copy. */
export function concatBytes(chunks: readonly Uint8Array[], total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const joined = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.byteLength;
  }
  return joined;
}
