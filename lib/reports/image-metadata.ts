/**
 * Removes identifying metadata (EXIF incl. GPS, XMP, IPTC, comments, text chunks) from the screenshots
 * owners attach to reports, before anything is stored. Pure functions on bytes: no I/O, no dependencies,
 * no pixel decoding. The image data itself is copied unchanged.
 *
 * Every parser here is strict about structure: a length that runs past the end, a missing end marker or
 * an unknown critical part throws `ImageMetadataError`, and the caller refuses the upload. Error messages
 * name the structural problem only, never anything read from the file.
 */

export type ImageKind = "png" | "jpeg" | "webp" | "heic";

export class ImageMetadataError extends Error {
  constructor(
    readonly kind: ImageKind,
    readonly reason: string,
  ) {
    super(`${kind}: ${reason}`);
    this.name = "ImageMetadataError";
  }
}

/** A copy of `bytes` without metadata; throws `ImageMetadataError` when the structure can't be parsed. */
export function stripImageMetadata(bytes: Uint8Array, kind: ImageKind): Uint8Array {
  switch (kind) {
    case "jpeg":
      return stripJpeg(bytes);
    case "png":
      return stripPng(bytes);
    case "webp":
      return stripWebp(bytes);
    case "heic":
      return scrubHeic(bytes);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Byte helpers

const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const u32le = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

function ascii(b: Uint8Array, at: number, length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) s += String.fromCharCode(b[at + i]!);
  return s;
}

function startsWith(b: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > b.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as used by PNG). */
export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------------------------------------------------
// JPEG: rebuild the marker stream, keeping only what decoding needs (plus the ICC profile for colour).

/** Markers kept as they are: frame headers (SOFn), DHT, DAC, DQT, DNL, DRI, DHP, EXP. */
function isCodingSegment(code: number): boolean {
  return (code >= 0xc0 && code <= 0xcf && code !== 0xc8) || (code >= 0xdb && code <= 0xdf);
}
const isFrameHeader = (code: number) => code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc;

function stripJpeg(b: Uint8Array): Uint8Array {
  const fail = (reason: string) => new ImageMetadataError("jpeg", reason);
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) throw fail("missing start-of-image marker");
  const out: Uint8Array[] = [Uint8Array.of(0xff, 0xd8)];
  let pos = 2;
  let sawFrame = false;
  let sawScan = false;
  for (;;) {
    if (pos >= b.length) throw fail("ends before the end-of-image marker");
    if (b[pos] !== 0xff) throw fail("expected a marker");
    while (pos < b.length && b[pos] === 0xff) pos++; // 0xFF fill bytes may precede a marker
    if (pos >= b.length) throw fail("ends before the end-of-image marker");
    const code = b[pos]!;
    pos++;
    if (code === 0xd9) {
      if (!sawFrame || !sawScan) throw fail("no image data before the end-of-image marker");
      out.push(Uint8Array.of(0xff, 0xd9)); // anything after EOI (trailers, appended files) is dropped
      return concat(out);
    }
    if (code === 0x01 || (code >= 0xd0 && code <= 0xd7)) {
      out.push(Uint8Array.of(0xff, code)); // TEM / RSTn: no length
      continue;
    }
    if (code === 0x00 || code === 0xd8) throw fail("unexpected marker");
    if (pos + 2 > b.length) throw fail("truncated segment");
    const length = u16be(b, pos);
    if (length < 2 || pos + length > b.length) throw fail("truncated segment");
    const segment = b.subarray(pos, pos + length); // length field + payload
    const payload = b.subarray(pos + 2, pos + length);
    pos += length;

    if (code === 0xe0) {
      // APP0: keep a JFIF header, rewritten without its embedded thumbnail; drop JFXX and anything else.
      if (startsWith(payload, 0, "JFIF\0") && payload.length >= 14) {
        out.push(Uint8Array.of(0xff, 0xe0, 0x00, 0x10), payload.subarray(0, 12), Uint8Array.of(0, 0));
      }
    } else if (code === 0xe2) {
      // APP2: the ICC profile (colour) stays; FlashPix, MPF (extra images) and the rest go.
      if (startsWith(payload, 0, "ICC_PROFILE\0")) out.push(Uint8Array.of(0xff, code), segment);
    } else if (code === 0xee) {
      // APP14 "Adobe" (fixed 12 bytes: version, flags, colour transform) tells decoders how the
      // components are encoded; it holds nothing personal. Any other APP14 goes.
      if (length === 14 && startsWith(payload, 0, "Adobe")) out.push(Uint8Array.of(0xff, code), segment);
    } else if ((code >= 0xe1 && code <= 0xef) || code === 0xfe) {
      // APP1 (EXIF, XMP), APP3..APP15 (incl. APP13 Photoshop/IPTC), COM: dropped.
    } else if (code === 0xda) {
      if (!sawFrame) throw fail("scan before frame header");
      sawScan = true;
      out.push(Uint8Array.of(0xff, code), segment);
      // Entropy-coded data runs to the next marker other than a stuffed 0xFF00 or a restart marker.
      const start = pos;
      for (;;) {
        pos = b.indexOf(0xff, pos);
        if (pos < 0 || pos + 1 >= b.length) throw fail("scan data ends without an end-of-image marker");
        const next = b[pos + 1]!;
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) pos += 2;
        else break;
      }
      out.push(b.subarray(start, pos));
    } else if (isCodingSegment(code)) {
      if (isFrameHeader(code)) sawFrame = true;
      out.push(Uint8Array.of(0xff, code), segment);
    } else {
      throw fail("unsupported marker");
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// PNG: keep critical chunks and the ancillary chunks that only describe colour, transparency and pixel size.

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const PNG_CRITICAL = new Set(["IHDR", "PLTE", "IDAT", "IEND"]);
/** cICP, mDCv and cLLi (PNG 3rd edition) are numeric colour-space and HDR descriptions, like cHRM. */
const PNG_SAFE_ANCILLARY = new Set(["tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "pHYs", "bKGD", "cICP", "mDCv", "cLLi"]);

function stripPng(b: Uint8Array): Uint8Array {
  const fail = (reason: string) => new ImageMetadataError("png", reason);
  if (b.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((v, i) => b[i] !== v)) throw fail("missing signature");
  const out: Uint8Array[] = [PNG_SIGNATURE];
  let pos = PNG_SIGNATURE.length;
  let first = true;
  let sawData = false;
  for (;;) {
    if (pos + 12 > b.length) throw fail("ends before the IEND chunk");
    const length = u32be(b, pos);
    if (length > 0x7fffffff || pos + 12 + length > b.length) throw fail("chunk length out of range");
    for (let i = 4; i < 8; i++) {
      const c = b[pos + i]! | 0x20;
      if (c < 0x61 || c > 0x7a) throw fail("invalid chunk type");
    }
    const type = ascii(b, pos + 4, 4);
    const critical = (b[pos + 4]! & 0x20) === 0; // bit 5 of the first type byte: ancillary
    const chunk = b.subarray(pos, pos + 12 + length);
    const crcValid = crc32(b.subarray(pos + 4, pos + 8 + length)) === u32be(b, pos + 8 + length);
    pos += 12 + length;

    if (first && (type !== "IHDR" || length !== 13)) throw fail("first chunk is not IHDR");
    first = false;
    if (PNG_CRITICAL.has(type)) {
      if (!crcValid) throw fail("corrupt chunk (CRC mismatch)");
      if (type === "IDAT") sawData = true;
      if (type === "IEND") {
        if (length !== 0) throw fail("invalid IEND chunk");
        if (!sawData) throw fail("no image data");
        out.push(chunk); // anything after IEND is dropped
        return concat(out);
      }
      out.push(chunk);
    } else if (critical) {
      throw fail("unknown critical chunk");
    } else if (PNG_SAFE_ANCILLARY.has(type) && crcValid) {
      out.push(chunk); // a corrupt ancillary chunk is dropped, as decoders would ignore it
    }
    // tEXt, zTXt, iTXt, eXIf, tIME and every other ancillary chunk: dropped.
  }
}

// ---------------------------------------------------------------------------------------------------------
// WebP (RIFF): drop EXIF, XMP and unknown chunks, clear the VP8X flags that announced them, fix the size.

const WEBP_KEPT = new Set(["VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"]);
const VP8X_EXIF_FLAG = 0x08;
const VP8X_XMP_FLAG = 0x04;

function stripWebp(b: Uint8Array): Uint8Array {
  const fail = (reason: string) => new ImageMetadataError("webp", reason);
  if (b.length < 20 || !startsWith(b, 0, "RIFF") || !startsWith(b, 8, "WEBP")) throw fail("missing RIFF/WEBP header");
  const riffEnd = 8 + u32le(b, 4);
  if (riffEnd < 12 || riffEnd > b.length) throw fail("RIFF size out of range");
  const chunks: Uint8Array[] = [];
  let pos = 12;
  let first = true;
  let sawImage = false;
  while (pos < riffEnd) {
    if (pos + 8 > riffEnd) throw fail("truncated chunk header");
    const fourcc = ascii(b, pos, 4);
    const size = u32le(b, pos + 4);
    const dataEnd = pos + 8 + size;
    if (dataEnd > riffEnd) throw fail("chunk size out of range");
    if (first && fourcc !== "VP8 " && fourcc !== "VP8L" && fourcc !== "VP8X") throw fail("first chunk is not VP8, VP8L or VP8X");
    first = false;
    if (WEBP_KEPT.has(fourcc)) {
      let chunk = b.subarray(pos, dataEnd);
      if (fourcc === "VP8X") {
        if (size < 10) throw fail("invalid VP8X chunk");
        chunk = chunk.slice();
        chunk[8] = chunk[8]! & ~(VP8X_EXIF_FLAG | VP8X_XMP_FLAG);
      }
      if (fourcc === "VP8 " || fourcc === "VP8L" || fourcc === "ANMF") sawImage = true;
      chunks.push(chunk);
      if (size % 2 === 1) chunks.push(Uint8Array.of(0)); // RIFF padding, also when the writer left it out at the end
    }
    // EXIF, "XMP " and unknown chunks: dropped.
    pos = dataEnd + (size % 2);
  }
  if (!sawImage) throw fail("no image data");
  const body = concat(chunks);
  const header = new Uint8Array(12);
  header.set(b.subarray(0, 4), 0);
  new DataView(header.buffer).setUint32(4, 4 + body.length, true);
  header.set(b.subarray(8, 12), 8);
  return concat([header, body]); // bytes after the RIFF chunk are dropped
}

// ---------------------------------------------------------------------------------------------------------
// HEIC (ISO BMFF / HEIF): overwrite the data of Exif and XMP items with zeros, in place. Item data is
// located through `iloc`; the boxes themselves keep their sizes, so the image stays decodable.

interface Box {
  type: string;
  start: number;
  /** First byte after the header (size, type, large size, uuid usertype). */
  body: number;
  end: number;
}

/** Items whose data is metadata, never pixels: Exif, XMP and other MIME-typed items, URI-typed items. */
const HEIF_METADATA_ITEM_TYPES = new Set(["Exif", "mime", "uri "]);
const HEIF_TOP_LEVEL = new Set(["ftyp", "meta", "mdat", "free", "skip", "wide"]);

function scrubHeic(input: Uint8Array): Uint8Array {
  const fail = (reason: string) => new ImageMetadataError("heic", reason);
  const b = input.slice();

  const readBoxes = (start: number, end: number): Box[] => {
    const boxes: Box[] = [];
    let pos = start;
    while (pos < end) {
      if (pos + 8 > end) throw fail("truncated box header");
      let size = u32be(b, pos);
      const type = ascii(b, pos + 4, 4);
      let header = 8;
      if (size === 1) {
        if (pos + 16 > end) throw fail("truncated box header");
        const high = u32be(b, pos + 8);
        if (high > 0x1fffff) throw fail("box size out of range");
        size = high * 2 ** 32 + u32be(b, pos + 12);
        header = 16;
      } else if (size === 0) {
        size = end - pos; // extends to the end of its container
      }
      if (type === "uuid") header += 16;
      if (size < header || pos + size > end) throw fail("box size out of range");
      boxes.push({ type, start: pos, body: pos + header, end: pos + size });
      pos += size;
    }
    return boxes;
  };
  const only = (boxes: Box[], type: string): Box | undefined => {
    const found = boxes.filter((x) => x.type === type);
    if (found.length > 1) throw fail(`more than one ${type} box`);
    return found[0];
  };
  /** A FullBox's version, after checking the box is long enough to hold `need` bytes past version/flags. */
  const fullBox = (box: Box, need = 0) => {
    if (box.body + 4 + need > box.end) throw fail(`truncated ${box.type} box`);
    return b[box.body]!;
  };

  const top = readBoxes(0, b.length);
  if (top[0]?.type !== "ftyp") throw fail("first box is not ftyp");
  for (const box of top) if (!HEIF_TOP_LEVEL.has(box.type)) throw fail("unsupported top-level box");
  const meta = only(top, "meta");
  if (!meta) throw fail("no meta box");
  fullBox(meta);
  const children = readBoxes(meta.body + 4, meta.end);
  const hdlr = only(children, "hdlr");
  if (!hdlr) throw fail("no hdlr box");
  fullBox(hdlr, 8); // pre_defined, handler_type
  if (ascii(b, hdlr.body + 8, 4) !== "pict") throw fail("meta box is not an image handler");
  const iinf = only(children, "iinf");
  const iloc = only(children, "iloc");
  if (!iinf || !iloc) throw fail("missing iinf or iloc box");
  const idat = only(children, "idat");

  // iinf: which items carry metadata.
  const metadataItems = new Set<number>();
  const iinfVersion = fullBox(iinf, 2);
  const entriesStart = iinf.body + 4 + (iinfVersion === 0 ? 2 : 4);
  if (entriesStart > iinf.end) throw fail("truncated iinf box");
  for (const infe of readBoxes(entriesStart, iinf.end)) {
    if (infe.type !== "infe") continue;
    const version = fullBox(infe, 4);
    let p = infe.body + 4;
    let id: number;
    let itemType: string;
    if (version >= 2) {
      const idSize = version === 2 ? 2 : 4;
      if (p + idSize + 6 > infe.end) throw fail("truncated infe box");
      id = idSize === 2 ? u16be(b, p) : u32be(b, p);
      p += idSize + 2; // item_ID, item_protection_index
      itemType = ascii(b, p, 4);
    } else {
      id = u16be(b, p); // version 0/1 entries are MIME-typed by definition
      itemType = "mime";
    }
    if (HEIF_METADATA_ITEM_TYPES.has(itemType)) metadataItems.add(id);
  }

  // iloc: where their bytes are.
  const ilocVersion = fullBox(iloc, 2);
  if (ilocVersion > 2) throw fail("unsupported iloc version");
  let p = iloc.body + 4;
  const need = (n: number) => {
    if (p + n > iloc.end) throw fail("truncated iloc box");
  };
  const readU16 = () => {
    need(2);
    p += 2;
    return u16be(b, p - 2);
  };
  const readSized = (size: number): number => {
    need(size);
    let value: number;
    if (size === 0) value = 0;
    else if (size === 4) value = u32be(b, p);
    else if (size === 8) {
      const high = u32be(b, p);
      if (high > 0x1fffff) throw fail("iloc value out of range");
      value = high * 2 ** 32 + u32be(b, p + 4);
    } else throw fail("unsupported iloc field size");
    p += size;
    return value;
  };
  need(2);
  const offsetSize = b[p]! >> 4;
  const lengthSize = b[p]! & 0x0f;
  const baseOffsetSize = b[p + 1]! >> 4;
  const indexSize = ilocVersion >= 1 ? b[p + 1]! & 0x0f : 0;
  p += 2;
  const itemCount = ilocVersion < 2 ? readU16() : readSized(4);
  const mdats = top.filter((x) => x.type === "mdat");
  const ranges: [number, number][] = [];
  for (let i = 0; i < itemCount; i++) {
    const id = ilocVersion < 2 ? readU16() : readSized(4);
    const method = ilocVersion >= 1 ? readU16() & 0x0f : 0;
    const dataReference = readU16();
    const baseOffset = readSized(baseOffsetSize);
    const extentCount = readU16();
    const scrub = metadataItems.has(id);
    if (scrub && dataReference !== 0) throw fail("metadata item stored outside the file");
    if (scrub && method !== 0 && method !== 1) throw fail("unsupported item construction method");
    for (let e = 0; e < extentCount; e++) {
      if (indexSize > 0) readSized(indexSize);
      const offset = readSized(offsetSize);
      const length = readSized(lengthSize);
      if (!scrub) continue;
      if (method === 0) {
        // File offsets: the bytes must lie inside an mdat box's payload.
        const start = baseOffset + offset;
        const end = start + length;
        if (length === 0 || !mdats.some((m) => start >= m.body && end <= m.end)) throw fail("metadata item data outside mdat");
        ranges.push([start, end]);
      } else {
        // Offsets into the meta box's idat payload; length 0 means "to the end of idat".
        if (!idat) throw fail("metadata item in a missing idat box");
        const start = idat.body + baseOffset + offset;
        const end = length === 0 ? idat.end : start + length;
        if (start > idat.end || end > idat.end) throw fail("metadata item data outside idat");
        ranges.push([start, end]);
      }
    }
  }

  for (const [start, end] of ranges) b.fill(0, start, end);
  // XML metadata boxes directly in meta become free boxes of the same size, with their payload zeroed.
  for (const box of children) {
    if (box.type === "xml " || box.type === "bxml") {
      b.set([0x66, 0x72, 0x65, 0x65], box.start + 4);
      b.fill(0, box.body, box.end);
    }
  }
  return b;
}
