import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { decodeImage, probeImage, sniffFormat } from '../../app/worker/decode.ts';
import { tempDir } from '../helpers.ts';

/** A 60×40 image: left half red, right half blue. */
const base = () =>
  sharp({ create: { width: 60, height: 40, channels: 3, background: '#ff0000' } }).composite([
    { input: { create: { width: 30, height: 40, channels: 3, background: '#0000ff' } }, left: 30, top: 0 },
  ]);

function bmp24(width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const buf = Buffer.alloc(54 + stride * height);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(width, 18);
  buf.writeInt32LE(height, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      const o = 54 + (height - 1 - y) * stride + x * 3;
      buf[o] = b;
      buf[o + 1] = g;
      buf[o + 2] = r;
    }
  return buf;
}

const pixel = (img: { data: Uint8Array; width: number }, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];

describe('decoding', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('decode')));
  after(() => cleanup());

  it('reads every supported format into 8-bit RGB, by content not by name', async () => {
    const files: Record<string, Buffer> = {
      'a.jpg': await base().jpeg({ quality: 95 }).toBuffer(),
      'b.png': await base().png().toBuffer(),
      'c.tif': await base().tiff().toBuffer(),
      'd.webp': await base().webp({ lossless: true }).toBuffer(),
      'e.gif': await base().gif().toBuffer(),
      'f.bmp': bmp24(60, 40, (x) => (x < 30 ? [255, 0, 0] : [0, 0, 255])),
      'g-really-a-png.jpg': await base().png().toBuffer(),
    };
    for (const [name, bytes] of Object.entries(files)) {
      const file = path.join(dir, name);
      await writeFile(file, bytes);
      const img = await decodeImage(file, 0, 1e6);
      assert.equal(img.width, 60, name);
      assert.equal(img.height, 40, name);
      const [r, , b] = pixel(img, 5, 5);
      assert.ok(r! > 200 && b! < 60, `${name}: left half is red, got ${pixel(img, 5, 5)}`);
      const [r2, , b2] = pixel(img, 50, 5);
      assert.ok(r2! < 60 && b2! > 200, `${name}: right half is blue, got ${pixel(img, 50, 5)}`);
    }
  });

  it('applies EXIF orientation, flattens alpha onto white and converts 16-bit', async () => {
    const rotated = path.join(dir, 'exif.jpg');
    // Orientation 6: stored landscape, displayed rotated 90° clockwise.
    await writeFile(rotated, await base().jpeg().withMetadata({ orientation: 6 }).toBuffer());
    const img = await decodeImage(rotated, 0, 1e6);
    assert.deepEqual([img.width, img.height], [40, 60]);
    assert.ok(pixel(img, 20, 5)[0]! > 200, 'after rotation the red half is on top');
    assert.deepEqual((await probeImage(rotated, 1e6)).width, 40);

    const alpha = path.join(dir, 'alpha16.png');
    await writeFile(alpha, await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).toColourspace('rgb16').png().toBuffer());
    const flat = await decodeImage(alpha, 0, 1e6);
    assert.deepEqual(pixel(flat, 3, 3), [255, 255, 255]);
  });

  it('reads each page of a multi-page TIFF', async () => {
    const file = path.join(dir, 'multi.tif');
    const pages = await Promise.all(['#ff0000', '#00ff00', '#0000ff'].map((c) => sharp({ create: { width: 20, height: 10, channels: 3, background: c } }).png().toBuffer()));
    await writeFile(file, await sharp(pages, { join: { animated: true } }).tiff().toBuffer());
    const probe = await probeImage(file, 1e6);
    assert.equal(probe.pages, 3);
    assert.deepEqual(pixel(await decodeImage(file, 1, 1e6), 0, 0).map((v) => v > 128), [false, true, false]);
    await assert.rejects(decodeImage(file, 3, 1e6), { name: 'CorruptImageError', message: /page 4 does not exist/ });
  });

  it('refuses bad input with the specific error', async () => {
    const write = async (name: string, bytes: Buffer | string) => {
      const file = path.join(dir, name);
      await writeFile(file, bytes);
      return file;
    };
    await assert.rejects(decodeImage(await write('empty.png', ''), 0, 1e6), { kind: 'input-empty', message: /is empty \(0 bytes\)/ });
    await assert.rejects(decodeImage(await write('text.png', 'hello, this is not an image\n'), 0, 1e6), { kind: 'unsupported-format', message: /contains text/ });
    await assert.rejects(decodeImage(await write('doc.jpg', '%PDF-1.4\n%âãÏÓ\n'), 0, 1e6), { kind: 'unsupported-format', message: /is a PDF/ });
    const jpeg = await base().jpeg().toBuffer();
    await assert.rejects(decodeImage(await write('cut.jpg', jpeg.subarray(0, jpeg.length >> 1)), 0, 1e6), { kind: 'corrupt-image' });
    await assert.rejects(decodeImage(await write('big.png', await base().png().toBuffer()), 0, 1000), { kind: 'image-too-large', message: /60×40 pixels/ });
    await assert.rejects(probeImage(path.join(dir, 'nope.png'), 1e6), { kind: 'input-not-found' });
    await assert.rejects(decodeImage(dir, 0, 1e6), { kind: 'input-unreadable', message: /not a regular file/ });
  });

  it('sniffs formats from magic bytes', () => {
    assert.equal(sniffFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), 'jpeg');
    assert.equal(sniffFormat(Buffer.from('II*\0')), 'tiff');
    assert.equal(sniffFormat(Buffer.from('RIFF\0\0\0\0WEBPVP8 ')), 'webp');
    assert.deepEqual(sniffFormat(Buffer.from([0, 1, 2, 3, 200, 7])), { unknown: 'its contents match no supported image type' });
  });
});
