#!/usr/bin/env node
// Draws OCR Desk's icons (a page with lines of text under a magnifier) from one SVG: build/icon.png for the
// installers (electron-builder makes .icns and .ico from it), the window icon and the tray icon. Run after changing
// the drawing: `node scripts/make-icons.mjs`; the PNGs are committed.
import { Buffer } from 'node:buffer';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256">
  <rect x="16" y="16" width="224" height="224" rx="44" fill="#1f5fa8"/>
  <rect x="62" y="44" width="116" height="152" rx="10" fill="#ffffff"/>
  <g fill="#1f5fa8"><rect x="78" y="68" width="84" height="10" rx="4"/><rect x="78" y="90" width="70" height="10" rx="4"/>
  <rect x="78" y="112" width="80" height="10" rx="4"/><rect x="78" y="134" width="52" height="10" rx="4"/></g>
  <circle cx="164" cy="160" r="34" fill="none" stroke="#ffc83d" stroke-width="14"/>
  <rect x="184" y="184" width="16" height="46" rx="7" fill="#ffc83d" transform="rotate(-45 192 207)"/>
</svg>`);

const targets = [
  [path.join(root, 'build', 'icon.png'), 512],
  [path.join(root, 'app', 'main', 'electron', 'assets', 'icon.png'), 256],
  [path.join(root, 'app', 'main', 'electron', 'assets', 'tray.png'), 32],
];
for (const [file, size] of targets) {
  await sharp(svg, { density: 72 * (size / 256) * 2 }).resize(size, size).png({ compressionLevel: 9 }).toFile(file);
  console.log(`${path.relative(root, file)} (${size}×${size})`);
}
