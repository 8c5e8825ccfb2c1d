import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  box,
  bytes,
  fixture,
  HEIC_EXIF,
  HEIC_XMP,
  heicWithMetadata,
  jpegParts,
  jpegSegment,
  jpegWithMetadata,
  PNG_SIGNATURE,
  pngChunk,
  pngParts,
  pngWithMetadata,
  riff,
  riffChunk,
  SIMPLE_WEBP,
  VP8L_1X1,
  vp8x,
  webpWithMetadata,
} from "./__fixtures__/images";
import { blobEvidenceStore, EVIDENCE_LIMITS, EvidenceKeyError, evidenceStore, inspectUpload, isEvidenceKey, localEvidenceStore, validateUploadList } from "./evidence";
import { ImageMetadataError, stripImageMetadata } from "./image-metadata";

// Vercel Blob can't be reached from tests: the package is replaced by an in-memory fake that records
// what the store asks of it.
const blobFake = vi.hoisted(() => ({ files: new Map<string, { bytes: Uint8Array; contentType: string }>(), calls: [] as unknown[][] }));
vi.mock("@vercel/blob", () => ({
  put: vi.fn(async (pathname: string, body: Buffer, options: { contentType: string }) => {
    blobFake.calls.push(["put", pathname, options]);
    blobFake.files.set(pathname, { bytes: new Uint8Array(body), contentType: options.contentType });
    return { pathname };
  }),
  get: vi.fn(async (pathname: string, options: unknown) => {
    blobFake.calls.push(["get", pathname, options]);
    const file = blobFake.files.get(pathname);
    if (!file) return null;
    const half = Math.floor(file.bytes.length / 2);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(file.bytes.slice(0, half));
        controller.enqueue(file.bytes.slice(half));
        controller.close();
      },
    });
    return { statusCode: 200, stream, headers: new Headers(), blob: { pathname, contentType: file.contentType, size: file.bytes.length } };
  }),
  del: vi.fn(async (pathname: string, options: unknown) => {
    blobFake.calls.push(["del", pathname, options]);
    blobFake.files.delete(pathname);
  }),
}));

// sharp comes with Next.js; when it is there, stripped images are also decoded and compared pixel for pixel.
const sharp = await import("sharp").then(
  (m) => m.default,
  () => null,
);
const decode = async (b: Uint8Array) => {
  const { data, info } = await sharp!(b).raw().toBuffer({ resolveWithObject: true });
  return { pixels: [...data], width: info.width, height: info.height, channels: info.channels };
};
const withSharp = it.skipIf(!sharp);

const text = (b: Uint8Array) => Buffer.from(b).toString("latin1");
const SECRET = /SECRET/;

function pngChunkList(b: Uint8Array) {
  const list: { type: string; crcOk: boolean }[] = [];
  const view = Buffer.from(b);
  for (let at = 8; at < view.length; ) {
    const length = view.readUInt32BE(at);
    list.push({ type: view.toString("latin1", at + 4, at + 8), crcOk: crc32(view.subarray(at + 4, at + 8 + length)) === view.readUInt32BE(at + 8 + length) });
    at += 12 + length;
  }
  return list;
}

function riffChunkList(b: Uint8Array) {
  const view = Buffer.from(b);
  const list: string[] = [];
  for (let at = 12; at < view.length; ) {
    const size = view.readUInt32LE(at + 4);
    list.push(view.toString("latin1", at, at + 4));
    at += 8 + size + (size % 2);
  }
  return list;
}

describe("stripImageMetadata: JPEG", () => {
  it("keeps JFIF (without its thumbnail), the ICC profile, Adobe and the coding segments; drops EXIF, XMP, MPF, IPTC, comments and trailing bytes", () => {
    const j = jpegParts();
    const input = jpegWithMetadata();
    expect(text(input)).toMatch(/JPEG-SECRET-GPS GPSLatitude/);
    const out = stripImageMetadata(input, "jpeg");
    expect(out).toEqual(bytes(j.soi, j.app0Clean, j.icc, j.adobe, j.dqt, j.sof, j.dri, j.dht, j.sos, j.scan, j.eoi));
    expect(text(out)).not.toMatch(SECRET);
    expect(text(out)).not.toContain("THM");
  });

  it("copies entropy-coded data unchanged (stuffed bytes, restart markers, fill bytes) across several scans", () => {
    const j = jpegParts();
    const sof2 = jpegSegment(0xc2, [8, 0, 8, 0, 16, 1, 1, 0x11, 0]);
    const scan1 = bytes([0x12, 0xff, 0x00, 0x34, 0xff, 0xd3, 0x56, 0xff, 0x00]);
    const scan2 = bytes([0x78, 0xff, 0x00, 0x9a]);
    const input = bytes(j.soi, j.dqt, sof2, j.dht, j.sos, scan1, [0xff, 0xff], j.com, j.dht, j.sos, scan2, [0xff], j.exif, j.eoi);
    expect(stripImageMetadata(input, "jpeg")).toEqual(bytes(j.soi, j.dqt, sof2, j.dht, j.sos, scan1, j.dht, j.sos, scan2, j.eoi));
  });

  it("refuses truncated or malformed files", () => {
    const j = jpegParts();
    const whole = jpegWithMetadata();
    const eoi = Buffer.from(whole).lastIndexOf(Buffer.from([0xff, 0xd9]));
    const malformed: Record<string, [Uint8Array, string]> = {
      "cut in the scan": [whole.subarray(0, eoi - 1), "scan data ends without an end-of-image marker"],
      "no EOI": [whole.subarray(0, eoi), "scan data ends without an end-of-image marker"],
      "cut inside APP1": [whole.subarray(0, j.soi.length + j.app0.length + 10), "truncated segment"],
      "no SOI": [whole.subarray(2), "missing start-of-image marker"],
      "scan before frame header": [bytes(j.soi, j.dqt, j.dht, j.sos, j.scan, j.eoi), "scan before frame header"],
      "no scan": [bytes(j.soi, j.dqt, j.sof, j.eoi), "no image data before the end-of-image marker"],
      "unknown marker": [bytes(j.soi, jpegSegment(0xf7, [0, 0]), j.dqt, j.sof, j.dht, j.sos, j.scan, j.eoi), "unsupported marker"],
      "segment length below 2": [bytes(j.soi, [0xff, 0xe1, 0x00, 0x01], j.dqt, j.sof, j.dht, j.sos, j.scan, j.eoi), "truncated segment"],
      "garbage between segments": [bytes(j.soi, j.dqt, [0x00], j.sof, j.dht, j.sos, j.scan, j.eoi), "expected a marker"],
    };
    for (const [name, [b, reason]] of Object.entries(malformed)) {
      expect(() => stripImageMetadata(b, "jpeg"), name).toThrow(new ImageMetadataError("jpeg", reason));
    }
  });

  withSharp("still decodes to the same pixels", async () => {
    const input = jpegWithMetadata({ icc: false });
    const out = await decode(stripImageMetadata(input, "jpeg"));
    expect(out).toEqual(await decode(input));
    expect(out).toMatchObject({ width: 16, height: 8 });
    expect(new Set(out.pixels)).toEqual(new Set([128])); // mid-grey: DC 0 in every block
  });
});

describe("stripImageMetadata: PNG", () => {
  it("keeps critical and colour chunks with valid CRCs; drops tEXt, iTXt, zTXt, eXIf, tIME, unknown chunks and trailing bytes", () => {
    const c = pngParts();
    const out = stripImageMetadata(pngWithMetadata(), "png");
    expect(out).toEqual(bytes(PNG_SIGNATURE, c.ihdr, c.gama, c.phys, c.idat[0]!, c.idat[1]!, c.iend));
    expect(out.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pngChunkList(out)).toEqual(["IHDR", "gAMA", "pHYs", "IDAT", "IDAT", "IEND"].map((type) => ({ type, crcOk: true })));
    expect(text(out)).not.toMatch(SECRET);
    expect(text(out)).not.toContain("Author");
  });

  it("drops a kept ancillary chunk whose CRC is wrong, and refuses damaged critical structure", () => {
    const c = pngParts();
    const badGama = Buffer.from(c.gama);
    badGama.writeUInt8(badGama.readUInt8(badGama.length - 1) ^ 0xff, badGama.length - 1);
    expect(stripImageMetadata(bytes(PNG_SIGNATURE, c.ihdr, badGama, ...c.idat, c.iend), "png")).toEqual(bytes(PNG_SIGNATURE, c.ihdr, ...c.idat, c.iend));

    const badIdat = Buffer.from(c.idat[1]!);
    badIdat.writeUInt8(badIdat.readUInt8(10) ^ 0xff, 10);
    const whole = pngWithMetadata();
    const malformed: Record<string, [Uint8Array, string]> = {
      "IDAT CRC": [bytes(PNG_SIGNATURE, c.ihdr, c.idat[0]!, badIdat, c.iend), "corrupt chunk (CRC mismatch)"],
      "no signature": [whole.subarray(8), "missing signature"],
      "cut in IDAT": [whole.subarray(0, Buffer.from(whole).indexOf("IDAT") + 6), "ends before the IEND chunk"],
      "no IEND": [bytes(PNG_SIGNATURE, c.ihdr, ...c.idat), "ends before the IEND chunk"],
      "no IDAT": [bytes(PNG_SIGNATURE, c.ihdr, c.iend), "no image data"],
      "first chunk not IHDR": [bytes(PNG_SIGNATURE, c.gama, c.ihdr, ...c.idat, c.iend), "first chunk is not IHDR"],
      "unknown critical chunk": [bytes(PNG_SIGNATURE, c.ihdr, pngChunk("ABCD", "x"), ...c.idat, c.iend), "unknown critical chunk"],
      "length past the end": [bytes(PNG_SIGNATURE, c.ihdr, [0x7f, 0, 0, 0], "IDAT", [0, 0, 0, 0]), "chunk length out of range"],
      "non-letter chunk type": [bytes(PNG_SIGNATURE, c.ihdr, pngChunk("ID1T", "x"), ...c.idat, c.iend), "invalid chunk type"],
    };
    for (const [name, [b, reason]] of Object.entries(malformed)) {
      expect(() => stripImageMetadata(b, "png"), name).toThrow(new ImageMetadataError("png", reason));
    }
  });

  withSharp("still decodes to the same pixels", async () => {
    const out = await decode(stripImageMetadata(pngWithMetadata(), "png"));
    expect(out).toEqual({ width: 2, height: 2, channels: 4, pixels: [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 128] });
  });
});

describe("stripImageMetadata: WebP", () => {
  it("drops EXIF, XMP and unknown chunks, clears their VP8X flags and fixes the RIFF size", () => {
    const input = webpWithMetadata();
    expect(input[20]).toBe(0x1c);
    const out = stripImageMetadata(input, "webp");
    expect(out).toEqual(riff(vp8x(0x10), VP8L_1X1));
    expect(Buffer.from(out).readUInt32LE(4)).toBe(out.length - 8);
    expect(riffChunkList(out)).toEqual(["VP8X", "VP8L"]);
    expect(text(out)).not.toMatch(SECRET);
  });

  it("keeps ICCP, ALPH and the other VP8X flags, and leaves a simple-format file as it was", () => {
    const iccp = riffChunk("ICCP", "profile bytes");
    const out = stripImageMetadata(riff(vp8x(0x20 | 0x10 | 0x08), iccp, VP8L_1X1, riffChunk("EXIF", "MM\0*")), "webp");
    expect(out).toEqual(riff(vp8x(0x20 | 0x10), iccp, VP8L_1X1));
    expect(stripImageMetadata(SIMPLE_WEBP, "webp")).toEqual(SIMPLE_WEBP);
  });

  it("refuses malformed files", () => {
    const whole = webpWithMetadata();
    const riffTooBig = Buffer.from(riff(vp8x(0), VP8L_1X1));
    riffTooBig.writeUInt32LE(riffTooBig.length, 4);
    const malformed: Record<string, [Uint8Array, string]> = {
      "RIFF size past the end": [riffTooBig, "RIFF size out of range"],
      "chunk past the RIFF end": [riff(vp8x(0), bytes("VP8L", [0xff, 0, 0, 0], "abc")), "chunk size out of range"],
      "first chunk is EXIF": [riff(riffChunk("EXIF", "MM\0*"), VP8L_1X1), "first chunk is not VP8, VP8L or VP8X"],
      "no image chunk": [riff(vp8x(0), riffChunk("ICCP", "x")), "no image data"],
      "short VP8X": [riff(riffChunk("VP8X", "abcd"), VP8L_1X1), "invalid VP8X chunk"],
      "cut in the header": [whole.subarray(0, 10), "missing RIFF/WEBP header"],
      "not WEBP": [bytes("RIFF", [4, 0, 0, 0], "AVI "), "missing RIFF/WEBP header"],
    };
    for (const [name, [b, reason]] of Object.entries(malformed)) {
      expect(() => stripImageMetadata(b, "webp"), name).toThrow(new ImageMetadataError("webp", reason));
    }
  });

  withSharp("still decodes to the same pixels", async () => {
    expect(await decode(stripImageMetadata(webpWithMetadata(), "webp"))).toEqual(await decode(SIMPLE_WEBP));
  });
});

describe("stripImageMetadata: HEIC", () => {
  it("zeroes the Exif and XMP items in mdat and changes nothing else", () => {
    const { file, mdatStart } = heicWithMetadata();
    const out = stripImageMetadata(file, "heic");
    const expected = Buffer.from(file);
    const exifAt = expected.indexOf(Buffer.from(HEIC_EXIF));
    const xmpAt = expected.indexOf(Buffer.from(HEIC_XMP));
    expect(exifAt).toBeGreaterThan(mdatStart);
    expected.fill(0, exifAt, exifAt + HEIC_EXIF.length).fill(0, xmpAt, xmpAt + HEIC_XMP.length);
    expect(out).toEqual(new Uint8Array(expected));
    expect(text(out)).not.toMatch(SECRET);
    expect(file).not.toEqual(out); // the input was not modified in place
    expect(text(file)).toMatch(SECRET);
  });

  it("zeroes an Exif item stored in idat and turns an XML box into free space", () => {
    const { file } = heicWithMetadata({ exifInIdat: true, xmlBox: true });
    const out = stripImageMetadata(file, "heic");
    const expected = Buffer.from(file);
    const exifAt = expected.indexOf(Buffer.from(HEIC_EXIF));
    expect(expected.toString("latin1", exifAt - 4, exifAt)).toBe("idat");
    expected.fill(0, exifAt, exifAt + HEIC_EXIF.length);
    const xmlAt = expected.indexOf("xml ");
    const xmlEnd = xmlAt - 4 + expected.readUInt32BE(xmlAt - 4);
    expected.write("free", xmlAt, "latin1");
    expected.fill(0, xmlAt + 4, xmlEnd);
    const xmpAt = expected.indexOf(Buffer.from(HEIC_XMP));
    expected.fill(0, xmpAt, xmpAt + HEIC_XMP.length);
    expect(out).toEqual(new Uint8Array(expected));
    expect(text(out)).not.toMatch(SECRET);
  });

  it("refuses structure it can't follow", () => {
    const { file } = heicWithMetadata();
    const at = (type: string) => Buffer.from(file).indexOf(type) - 4; // box start
    const patch = (offset: number, value: number[]) => {
      const copy = Buffer.from(file);
      copy.set(value, offset);
      return copy;
    };
    const iloc = at("iloc");
    const itemTwo = iloc + 8 + 4 + 2 + 2 + 16; // header, version/flags, sizes, count, item 1
    const malformed: Record<string, [Uint8Array, string]> = {
      "Exif extent past the end": [patch(itemTwo + 12, [0x00, 0x10, 0x00, 0x00]), "metadata item data outside mdat"],
      "Exif extent outside mdat": [patch(itemTwo + 8, [0, 0, 0, 0]), "metadata item data outside mdat"],
      "Exif extent of length 0": [patch(itemTwo + 12, [0, 0, 0, 0]), "metadata item data outside mdat"],
      "Exif item in another file": [patch(itemTwo + 4, [0, 1]), "metadata item stored outside the file"],
      "construction method 2": [patch(itemTwo + 2, [0, 2]), "unsupported item construction method"],
      "iloc version 3": [patch(iloc + 8, [3]), "unsupported iloc version"],
      "iloc field size 3": [patch(iloc + 12, [0x34]), "unsupported iloc field size"],
      "box size past the end": [patch(at("mdat"), [0x7f, 0, 0, 0]), "box size out of range"],
      "meta not a picture": [patch(at("hdlr") + 16, [...Buffer.from("vide")]), "meta box is not an image handler"],
      "no meta": [bytes(box("ftyp", "heic", [0, 0, 0, 0], "mif1heic"), box("mdat", "x")), "no meta box"],
      "first box not ftyp": [bytes(box("free", ""), file), "first box is not ftyp"],
      "top-level moov": [bytes(file, box("moov", "")), "unsupported top-level box"],
      "meta cut short": [file.subarray(0, at("iloc") + 4), "box size out of range"],
      "cut in the mdat header": [file.subarray(0, at("mdat") + 6), "truncated box header"],
    };
    for (const [name, [b, reason]] of Object.entries(malformed)) {
      expect(() => stripImageMetadata(b, "heic"), name).toThrow(new ImageMetadataError("heic", reason));
    }
  });
});

describe("real encoder output (libvips via sharp; lib/reports/__fixtures__/make-fixtures.mjs)", () => {
  const cases = [
    { name: "real.jpg", kind: "jpeg", gone: ["Exif\0\0", "http://ns.adobe.com/xap/1.0/"], kept: ["ICC_PROFILE\0"] },
    { name: "real-progressive.jpg", kind: "jpeg", gone: ["Exif\0\0", "http://ns.adobe.com/xap/1.0/"], kept: ["ICC_PROFILE\0"] },
    { name: "real.png", kind: "png", gone: ["eXIf"], kept: ["iCCP"] },
    { name: "real.webp", kind: "webp", gone: ["EXIF", "XMP "], kept: ["ICCP", "VP8X"] },
    { name: "real.avif", kind: "heic", gone: [], kept: ["iloc", "Exif", "mime"] }, // the HEIF structure HEIC shares
  ] as const;

  for (const c of cases) {
    it(`${c.name}: metadata gone, colour profile kept`, () => {
      const input = fixture(c.name);
      expect(text(input)).toContain("EXIF-SECRET-ARTIST");
      const out = stripImageMetadata(input, c.kind);
      expect(text(out)).not.toMatch(SECRET);
      for (const s of c.gone) expect(text(out)).not.toContain(s);
      for (const s of c.kept) expect(text(out)).toContain(s);
      if (c.kind === "heic") expect(out.length).toBe(input.length);
      if (c.kind === "webp") expect(out[20]! & 0x0c).toBe(0); // VP8X no longer announces EXIF or XMP
    });

    withSharp(`${c.name}: decodes to the same pixels, with no EXIF or XMP left`, async () => {
      const input = fixture(c.name);
      const out = stripImageMetadata(input, c.kind);
      expect(await decode(out)).toEqual(await decode(input));
      const before = await sharp!(input).metadata();
      const after = await sharp!(out).metadata();
      expect(before.exif).toBeDefined();
      expect(before.xmp).toBeDefined();
      if (c.kind === "heic") {
        // Scrubbed in place: the items are still listed, their data is all zeros.
        expect([...after.exif!].every((v) => v === 0)).toBe(true);
        expect([...after.xmp!].every((v) => v === 0)).toBe(true);
      } else {
        expect(after.exif).toBeUndefined();
        expect(after.xmp).toBeUndefined();
        expect(after.icc).toEqual(before.icc);
      }
    });
  }
});

describe("stripImageMetadata on damaged input", () => {
  it("either strips or throws ImageMetadataError, for every truncation and for random byte flips", () => {
    const inputs = [
      ["jpeg", jpegWithMetadata()],
      ["jpeg", fixture("real-progressive.jpg")],
      ["png", pngWithMetadata()],
      ["png", fixture("real.png")],
      ["webp", webpWithMetadata()],
      ["webp", fixture("real.webp")],
      ["heic", heicWithMetadata().file],
      ["heic", fixture("real.avif")],
    ] as const;
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const attempt = (kind: (typeof inputs)[number][0], b: Uint8Array) => {
      try {
        stripImageMetadata(b, kind);
      } catch (error) {
        expect(error).toBeInstanceOf(ImageMetadataError);
      }
    };
    for (const [kind, input] of inputs) {
      for (let length = 0; length < input.length; length++) attempt(kind, input.subarray(0, length));
      for (let i = 0; i < 300; i++) {
        const damaged = input.slice();
        for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
        attempt(kind, damaged);
      }
    }
  });
});

describe("inspectUpload", () => {
  it("accepts PNG, JPEG, WebP and HEIC by their bytes and returns them stripped", async () => {
    const inputs = [
      { b: pngWithMetadata(), kind: "png", mime: "image/png" },
      { b: jpegWithMetadata(), kind: "jpeg", mime: "image/jpeg" },
      { b: webpWithMetadata(), kind: "webp", mime: "image/webp" },
      { b: heicWithMetadata().file, kind: "heic", mime: "image/heic" },
      // Major brand mif1 with HEVC (heic) among the compatible brands: file-type says image/heif.
      { b: heicWithMetadata({ majorBrand: "mif1", brands: ["mif1", "heic", "miaf"] }).file, kind: "heic", mime: "image/heic" },
      { b: fixture("real.jpg"), kind: "jpeg", mime: "image/jpeg" },
    ] as const;
    for (const { b, kind, mime } of inputs) {
      const result = await inspectUpload(b);
      expect(result).toEqual({ ok: true, kind, mime, bytes: stripImageMetadata(b, kind) });
      if (result.ok) expect(text(result.bytes)).not.toMatch(SECRET);
    }
    expect(EVIDENCE_LIMITS.types).toEqual(["image/png", "image/jpeg", "image/webp", "image/heic"]);
  });

  it("refuses other types whatever they are called", async () => {
    const avif = fixture("real.avif");
    const exe = bytes("MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0", new Array<number>(48).fill(0), "This program cannot be run in DOS mode.");
    const refused = {
      "a Windows .exe renamed .png": exe,
      "a GIF": bytes("GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;"),
      "a PDF": bytes("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"),
      "an SVG": bytes('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><script>alert(1)</script></svg>'),
      "plain text": bytes("hello, this is not an image"),
      "an AVIF": avif,
      "a HEIF with AVIF inside, major brand mif1": heicWithMetadata({ majorBrand: "mif1", brands: ["mif1", "avif"] }).file,
      "a HEIC image sequence": heicWithMetadata({ majorBrand: "msf1", brands: ["msf1", "hevc"] }).file,
      "a JPEG behind an ID3 tag": bytes("ID3\x04\0\0\0\0\0\0", jpegWithMetadata()),
      "an MP4": heicWithMetadata({ majorBrand: "isom", brands: ["isom", "mp41"] }).file,
    };
    for (const [name, b] of Object.entries(refused)) {
      expect(await inspectUpload(b), name).toEqual({ ok: false, error: "unsupported_type" });
    }
  });

  it("refuses empty, oversized and unreadable files", async () => {
    expect(await inspectUpload(new Uint8Array(0))).toEqual({ ok: false, error: "empty" });
    const big = new Uint8Array(EVIDENCE_LIMITS.maxBytes + 1);
    big.set(PNG_SIGNATURE);
    expect(await inspectUpload(big)).toEqual({ ok: false, error: "too_large" });

    const jpeg = jpegWithMetadata();
    expect(await inspectUpload(jpeg.subarray(0, jpeg.length - 40))).toEqual({ ok: false, error: "unreadable" });
    const png = pngWithMetadata();
    expect(await inspectUpload(png.subarray(0, 60))).toEqual({ ok: false, error: "unreadable" });
    const { file } = heicWithMetadata();
    expect(await inspectUpload(file.subarray(0, file.length - 10))).toEqual({ ok: false, error: "unreadable" });
    expect(await inspectUpload(bytes("RIFF", [0xff, 0, 0, 0], "WEBPVP8L"))).toEqual({ ok: false, error: "unreadable" });
  });
});

describe("validateUploadList", () => {
  const max = EVIDENCE_LIMITS.maxBytes;
  it("checks count and sizes before any bytes are read", () => {
    expect(validateUploadList([])).toBeNull();
    expect(validateUploadList([{ size: 1 }, { size: max }, { size: 100 }])).toBeNull();
    expect(validateUploadList([{ size: 1 }, { size: 1 }, { size: 1 }, { size: 1 }])).toBe("too_many");
    expect(validateUploadList([{ size: 1 }, { size: max + 1 }])).toBe("too_large");
    expect(validateUploadList([{ size: 0 }])).toBe("empty");
  });
});

describe("local evidence store", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "evidence-test-"));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });
  const reportId = "0b7c6f5e-2a7d-4c1e-9d55-3f1f8f0e7a10";
  const key = `${reportId}/5c0d0f3e-98a4-4f0b-8c51-2f7a4a6b1c22`;

  it("round-trips a file under UPLOADS_DIR, written with mode 0600 and no temporary file left", async () => {
    const store = evidenceStore({ UPLOADS_DIR: dir });
    const data = bytes("sealed evidence bytes");
    await store.put(key, data, "application/octet-stream");
    const file = path.join(dir, reportId, key.split("/")[1]!);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, reportId))).mode & 0o077).toBe(0);
    expect(await readdir(path.join(dir, reportId))).toEqual([key.split("/")[1]]);
    const back = await store.get(key);
    expect(back).toEqual(data);
    expect(back).toBeInstanceOf(Uint8Array);
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    await store.delete(key); // already gone: no error
  });

  it("resolves a relative UPLOADS_DIR, and the .data/uploads default, against the working directory", async () => {
    vi.spyOn(process, "cwd").mockReturnValue(dir);
    await evidenceStore({ UPLOADS_DIR: "rel/uploads" }).put(key, bytes("a"), "application/octet-stream");
    await evidenceStore({}).put(key, bytes("b"), "application/octet-stream");
    await evidenceStore({ UPLOADS_DIR: "  ", BLOB_READ_WRITE_TOKEN: " " }).put("other", bytes("c"), "application/octet-stream");
    expect(await stat(path.join(dir, "rel/uploads", key))).toBeTruthy();
    expect(await localEvidenceStore(path.join(dir, ".data/uploads")).get(key)).toEqual(bytes("b"));
    expect(await localEvidenceStore(path.join(dir, ".data/uploads")).get("other")).toEqual(bytes("c"));
  });

  it("refuses keys that could leave the root, before touching the disk", async () => {
    const store = localEvidenceStore(path.join(dir, "root"));
    const bad = ["../x", "/etc/passwd", "a/../../b", "..", ".", "a/./b", "a//b", "a/", "", "a\\..\\b", "C:\\x", ".hidden", "a/b.tmp", "%2e%2e/x", "a\0b", "a/b/c/d/e", "x".repeat(65)];
    for (const k of bad) {
      expect(isEvidenceKey(k), k).toBe(false);
      await expect(store.put(k, bytes("x"), "image/png"), k).rejects.toThrow(EvidenceKeyError);
      await expect(store.get(k), k).rejects.toThrow(EvidenceKeyError);
      await expect(store.delete(k), k).rejects.toThrow(EvidenceKeyError);
    }
    expect(await readdir(dir)).toEqual([]);
    expect(isEvidenceKey(key)).toBe(true);
  });

  it("refuses to store or read a file far larger than any evidence", async () => {
    const store = localEvidenceStore(dir);
    await expect(store.put("big", new Uint8Array(EVIDENCE_LIMITS.maxBytes + 65 * 1024), "application/octet-stream")).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("Vercel Blob evidence store (package replaced by a fake)", () => {
  beforeAll(() => {
    blobFake.files.clear();
  });
  afterAll(() => {
    blobFake.calls.length = 0;
  });
  const key = "0b7c6f5e-2a7d-4c1e-9d55-3f1f8f0e7a10/5c0d0f3e-98a4-4f0b-8c51-2f7a4a6b1c22";

  it("is chosen when BLOB_READ_WRITE_TOKEN is set, and stores privately under the exact key", async () => {
    blobFake.calls.length = 0;
    const store = evidenceStore({ BLOB_READ_WRITE_TOKEN: "vercel_blob_rw_store_secret", UPLOADS_DIR: "/nonexistent" });
    const data = bytes("sealed evidence bytes, long enough to arrive in two chunks");
    await store.put(key, data, "application/octet-stream");
    expect(await store.get(key)).toEqual(data);
    expect(await store.get(`${key.slice(0, -1)}0`)).toBeNull();
    await store.delete(key);
    expect(blobFake.files.size).toBe(0);
    const token = "vercel_blob_rw_store_secret";
    expect(blobFake.calls).toEqual([
      ["put", key, { access: "private", contentType: "application/octet-stream", addRandomSuffix: false, allowOverwrite: false, token }],
      ["get", key, { access: "private", token }],
      ["get", `${key.slice(0, -1)}0`, { access: "private", token }],
      ["del", key, { token }],
    ]);
  });

  it("refuses bad keys before calling the service", async () => {
    blobFake.calls.length = 0;
    const store = blobEvidenceStore("vercel_blob_rw_store_secret");
    for (const k of ["../x", "/etc/passwd", "a/../../b", "https://evil.example/x"]) {
      await expect(store.put(k, bytes("x"), "image/png")).rejects.toThrow(EvidenceKeyError);
      await expect(store.get(k)).rejects.toThrow(EvidenceKeyError);
      await expect(store.delete(k)).rejects.toThrow(EvidenceKeyError);
    }
    expect(blobFake.calls).toEqual([]);
  });
});
