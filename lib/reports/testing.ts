import type { EvidenceStore } from "./evidence";

/** For tests and benches: evidence kept in memory, exactly the bytes a disk or Blob store would hold. */
export function memoryEvidenceStore(): EvidenceStore & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    async put(key, bytes) {
      files.set(key, bytes);
    },
    async get(key) {
      return files.get(key) ?? null;
    },
    async delete(key) {
      files.delete(key);
    },
  };
}
