/**
 * Hand-built images for lib/reports/evidence.test.ts, each carrying the metadata the stripper must
 * remove. The PNG, JPEG and WebP decode for real (checked with sharp in the tests when it is present);
 * the HEIC has a real HEIF box structure around placeholder HEVC bytes. CRCs come from node:zlib, not
 * from the code under test.
 */
import { readFileSync } from "node:fs";
import { crc32, deflateSync } from "node:zlib";

/** A plain Uint8Array (not a Buffer, so `toEqual` compares it with the code's output). Strings are Latin-1. */
export const bytes = (...parts: (Uint8Array | string | number[])[]): Uint8Array =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p)))));
const u16be = (n: number) => [n >> 8, n & 0xff];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

export const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, import.meta.url)));

// ---------------------------------------------------------------------------------------------------------
// PNG

export const PNG_SIGNATURE = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngChunk(type: string, data: Uint8Array | string): Uint8Array {
  const body = bytes(type, data);
  return bytes(u32be(body.length - 4), body, u32be(crc32(body)));
}

/** A 2×2 RGBA image: red, green / blue, half-transparent white. Its IDAT data split in two chunks. */
export function pngParts() {
  const ihdr = pngChunk("IHDR", bytes(u32be(2), u32be(2), [8, 6, 0, 0, 0]));
  const rows = bytes([0, 255, 0, 0, 255, 0, 255, 0, 255], [0, 0, 0, 255, 255, 255, 255, 255, 128]);
  const z = deflateSync(rows);
  const idat = [pngChunk("IDAT", z.subarray(0, 5)), pngChunk("IDAT", z.subarray(5))];
  return {
    ihdr,
    idat,
    gama: pngChunk("gAMA", bytes(u32be(45455))),
    phys: pngChunk("pHYs", bytes(u32be(2835), u32be(2835), [1])),
    iend: pngChunk("IEND", ""),
    text: pngChunk("tEXt", "Author\0PNG-SECRET-AUTHOR"),
    itxt: pngChunk("iTXt", "XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>PNG-SECRET-XMP</x:xmpmeta>"),
    ztxt: pngChunk("zTXt", bytes("Comment\0\0", deflateSync(Buffer.from("PNG-SECRET-ZTXT")))),
    exif: pngChunk("eXIf", "MM\0*\0\0\0\x08PNG-SECRET-GPS 39.9042N 116.4074E"),
    time: pngChunk("tIME", bytes(u16be(2026), [11, 29, 12, 0, 0])),
    private: pngChunk("prVt", "PNG-SECRET-PRIVATE"),
  };
}

export function pngWithMetadata(): Uint8Array {
  const c = pngParts();
  return bytes(PNG_SIGNATURE, c.ihdr, c.text, c.gama, c.itxt, c.exif, c.phys, c.time, c.idat[0]!, c.ztxt, c.idat[1]!, c.private, c.iend, "PNG-SECRET-TRAILER");
}

// ---------------------------------------------------------------------------------------------------------
// JPEG: a 16×8 greyscale baseline image (two mid-grey blocks, a restart marker between them).

export function jpegSegment(marker: number, payload: Uint8Array | string | number[]): Uint8Array {
  const body = bytes(payload);
  return bytes([0xff, marker], u16be(body.length + 2), body);
}

export function jpegParts() {
  const dqt = jpegSegment(0xdb, [0x00, ...new Array<number>(64).fill(1)]);
  const sof = jpegSegment(0xc0, [8, ...u16be(8), ...u16be(16), 1, 1, 0x11, 0]);
  const dri = jpegSegment(0xdd, u16be(1));
  // One code of length 1 in each table: DC category 0, AC end-of-block.
  const dht = jpegSegment(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), 0x00, 0x10, 1, ...new Array<number>(15).fill(0), 0x00]);
  const sos = jpegSegment(0xda, [1, 1, 0x00, 0, 63, 0]);
  // Each block: DC "0", EOB "0", padded with ones = 0x3F; RST0 between the two restart intervals.
  const scan = bytes([0x3f, 0xff, 0xd0, 0x3f]);
  return {
    soi: bytes([0xff, 0xd8]),
    // JFIF 1.02, aspect 1:1, with a 1×1 embedded thumbnail that must go.
    app0: jpegSegment(0xe0, bytes("JFIF\0", [1, 2, 0, 0, 1, 0, 1, 1, 1], "THM")),
    app0Clean: jpegSegment(0xe0, bytes("JFIF\0", [1, 2, 0, 0, 1, 0, 1, 0, 0])),
    exif: jpegSegment(0xe1, "Exif\0\0MM\0*\0\0\0\x08JPEG-SECRET-GPS GPSLatitude 39.9042N GPSLongitude 116.4074E"),
    xmp: jpegSegment(0xe1, "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>JPEG-SECRET-XMP</x:xmpmeta>"),
    icc: jpegSegment(0xe2, bytes("ICC_PROFILE\0", [1, 1], "not-a-real-profile")),
    mpf: jpegSegment(0xe2, "MPF\0JPEG-SECRET-MPF"),
    iptc: jpegSegment(0xed, "Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x14\x1c\x02\x50\0\x10JPEG-SECRET-IPTC"),
    adobe: jpegSegment(0xee, bytes("Adobe", [0, 100, 0, 0, 0, 0, 0])),
    com: jpegSegment(0xfe, "JPEG-SECRET-COMMENT"),
    dqt,
    sof,
    dri,
    dht,
    sos,
    scan,
    eoi: bytes([0xff, 0xd9]),
  };
}

export function jpegWithMetadata(options: { icc?: boolean } = {}): Uint8Array {
  const j = jpegParts();
  return bytes(j.soi, j.app0, j.exif, j.xmp, ...(options.icc === false ? [] : [j.icc]), j.mpf, j.iptc, j.adobe, j.com, j.dqt, j.sof, j.dri, j.dht, j.sos, j.scan, j.eoi, "JPEG-SECRET-TRAILER");
}

// ---------------------------------------------------------------------------------------------------------
// WebP: an extended-format (VP8X) 1×1 lossless image.

/** The VP8L chunk (with its RIFF padding byte) of a well-known 1×1 lossless WebP. */
export const VP8L_1X1 = new Uint8Array(Buffer.from("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", "base64").subarray(12));
export const SIMPLE_WEBP = new Uint8Array(Buffer.from("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", "base64"));

export function riffChunk(fourcc: string, data: Uint8Array | string): Uint8Array {
  const body = bytes(data);
  return bytes(fourcc, u32le(body.length), body, body.length % 2 ? [0] : []);
}

export const riff = (...chunks: Uint8Array[]) => {
  const body = bytes("WEBP", ...chunks);
  return bytes("RIFF", u32le(body.length), body);
};

export const vp8x = (flags: number) => riffChunk("VP8X", bytes([flags, 0, 0, 0], [0, 0, 0], [0, 0, 0]));

export function webpWithMetadata(): Uint8Array {
  return bytes(
    riff(
      vp8x(0x10 | 0x08 | 0x04), // alpha, EXIF and XMP present
      VP8L_1X1,
      riffChunk("EXIF", "MM\0*\0\0\0\x08WEBP-SECRET-GPS 39.9042N 116.4074E"),
      riffChunk("XMP ", "<x:xmpmeta>WEBP-SECRET-XMP</x:xmpmeta>"),
      riffChunk("SECR", "WEBP-SECRET-UNKNOWN"), // odd length: padded
    ),
    "WEBP-SECRET-TRAILER",
  );
}

// ---------------------------------------------------------------------------------------------------------
// HEIC: ftyp + meta (hdlr pict, pitm, iinf, iloc[, idat]) + mdat holding the image, Exif and XMP items.

export const box = (type: string, ...payload: (Uint8Array | string | number[])[]) => {
  const body = bytes(...payload);
  return bytes(u32be(body.length + 8), type, body);
};
const fullBox = (type: string, version: number, ...payload: (Uint8Array | string | number[])[]) => box(type, [version, 0, 0, 0], ...payload);
const infe = (id: number, type: string, extra = "") => fullBox("infe", 2, u16be(id), u16be(0), type, "\0", extra);

export const HEIC_IMAGE = bytes("\0\0\0\x1a\x26\x01", new Array<number>(58).fill(0).map((_, i) => (i * 37) & 0xff)); // stand-in HEVC
export const HEIC_EXIF = bytes(u32be(0), "MM\0*\0\0\0\x08HEIC-SECRET-GPS 39.9042N 116.4074E");
export const HEIC_XMP = bytes("<x:xmpmeta>HEIC-SECRET-XMP</x:xmpmeta>");

export function heicWithMetadata(options: { majorBrand?: string; brands?: string[]; exifInIdat?: boolean; xmlBox?: boolean } = {}) {
  const major = options.majorBrand ?? "heic";
  const ftyp = box("ftyp", major, u32be(0), ...(options.brands ?? ["mif1", "heic"]));
  const build = (mdatStart: number) => {
    const items: { id: number; method: number; offset: number; length: number }[] = [
      { id: 1, method: 0, offset: mdatStart, length: HEIC_IMAGE.length },
      options.exifInIdat
        ? { id: 2, method: 1, offset: 0, length: HEIC_EXIF.length }
        : { id: 2, method: 0, offset: mdatStart + HEIC_IMAGE.length, length: HEIC_EXIF.length },
      { id: 3, method: 0, offset: mdatStart + HEIC_IMAGE.length + (options.exifInIdat ? 0 : HEIC_EXIF.length), length: HEIC_XMP.length },
    ];
    const iloc = fullBox(
      "iloc",
      1,
      [0x44, 0x00], // offset_size 4, length_size 4, base_offset_size 0, index_size 0
      u16be(items.length),
      ...items.map((i) => bytes(u16be(i.id), u16be(i.method), u16be(0), u16be(1), u32be(i.offset), u32be(i.length))),
    );
    const meta = fullBox(
      "meta",
      0,
      fullBox("hdlr", 0, u32be(0), "pict", new Array<number>(12).fill(0), "\0"),
      fullBox("pitm", 0, u16be(1)),
      fullBox("iinf", 0, u16be(3), infe(1, "hvc1"), infe(2, "Exif"), infe(3, "mime", "application/rdf+xml\0")),
      iloc,
      ...(options.exifInIdat ? [box("idat", HEIC_EXIF)] : []),
      ...(options.xmlBox ? [fullBox("xml ", 0, "<x:xmpmeta>HEIC-SECRET-XMLBOX</x:xmpmeta>")] : []),
    );
    const mdat = box("mdat", HEIC_IMAGE, options.exifInIdat ? [] : HEIC_EXIF, HEIC_XMP);
    return { meta, mdat };
  };
  const { meta } = build(0);
  const mdatStart = ftyp.length + meta.length + 8;
  const final = build(mdatStart);
  return { file: bytes(ftyp, final.meta, final.mdat), mdatStart };
}
