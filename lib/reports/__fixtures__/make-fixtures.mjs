// Writes the real-encoder fixtures used by lib/reports/evidence.test.ts: small images made by libvips
// (through sharp, which Next.js installs) carrying EXIF with GPS, XMP and an ICC profile.
// Run from the repository root: node lib/reports/__fixtures__/make-fixtures.mjs
import { writeFileSync } from "node:fs";
import sharp from "sharp";

const dir = new URL(".", import.meta.url);
const width = 16;
const height = 12;
const pixels = Buffer.alloc(width * height * 3);
for (let y = 0; y < height; y++) {
  for (let x = 0; x < width; x++) pixels.set([x * 16, y * 20, 255 - x * 8], (y * width + x) * 3);
}

const xmp =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>XMP-SECRET-CREATOR</dc:creator>' +
  "</rdf:Description></rdf:RDF></x:xmpmeta>";
const exif = {
  IFD0: { Artist: "EXIF-SECRET-ARTIST", Make: "EXIF-SECRET-MAKE" },
  IFD3: { GPSLatitudeRef: "N", GPSLatitude: "39/1 54/1 1527/100", GPSLongitudeRef: "E", GPSLongitude: "116/1 23/1 2664/100" },
};

const image = () => sharp(pixels, { raw: { width, height, channels: 3 } }).withExif(exif).withXmp(xmp).withIccProfile("p3");
const outputs = {
  "real.jpg": image().jpeg({ quality: 90 }),
  "real-progressive.jpg": image().jpeg({ quality: 90, progressive: true }), // several scans, DHT between them
  "real.png": image().png(),
  "real.webp": image().webp({ lossless: true }),
  // An AVIF is a HEIF file with the same meta/iinf/iloc layout as HEIC (libvips can't encode HEVC).
  "real.avif": image().avif({ effort: 0, lossless: true }),
};
for (const [name, pipeline] of Object.entries(outputs)) {
  const bytes = await pipeline.toBuffer();
  writeFileSync(new URL(name, dir), bytes);
  console.log(name, bytes.length);
}
