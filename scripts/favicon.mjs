#!/usr/bin/env node
// `node scripts/favicon.mjs`: writes src/web/assets/favicon.svg and favicon.ico from one drawing
// (a dark-blue tile with a white arrow: software passed on). Run again after changing the shapes;
// both files are committed, so neither the hub nor the build needs an image library.
// The ICO holds 16×16 and 32×32 PNGs (what browsers ask /favicon.ico for), drawn here with 4×4
// supersampling for smooth edges; PNG-in-ICO is read by every browser since IE 11.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BLUE = [0x1f, 0x3a, 0x7a];
const WHITE = [0xff, 0xff, 0xff];
// Shapes on a 32-unit canvas, painted in order.
const SHAPES = [
  { kind: 'rounded', x: 0, y: 0, w: 32, h: 32, r: 6, colour: BLUE },
  { kind: 'rect', x: 6, y: 13.5, w: 12, h: 5, colour: WHITE },
  { kind: 'polygon', points: [[16, 7], [27, 16], [16, 25]], colour: WHITE },
];

const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const svgShape = (s) =>
  s.kind === 'rounded' ? `<rect width="${s.w}" height="${s.h}" rx="${s.r}" fill="${hex(s.colour)}"/>`
  : s.kind === 'rect' ? `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" fill="${hex(s.colour)}"/>`
  : `<polygon points="${s.points.map((p) => p.join(',')).join(' ')}" fill="${hex(s.colour)}"/>`;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${SHAPES.map(svgShape).join('')}</svg>\n`;

function inside(s, x, y) {
  if (s.kind === 'rect') return x >= s.x && x < s.x + s.w && y >= s.y && y < s.y + s.h;
  if (s.kind === 'rounded') {
    if (x < s.x || y < s.y || x >= s.x + s.w || y >= s.y + s.h) return false;
    const cx = Math.min(Math.max(x, s.x + s.r), s.x + s.w - s.r);
    const cy = Math.min(Math.max(y, s.y + s.r), s.y + s.h - s.r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= s.r ** 2;
  }
  let odd = false;
  for (let i = 0, j = s.points.length - 1; i < s.points.length; j = i++) {
    const [xi, yi] = s.points[i];
    const [xj, yj] = s.points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}

/** RGBA pixels of the drawing at size×size. */
function raster(size) {
  const out = Buffer.alloc(size * size * 4);
  const SUB = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SUB; sy++) {
        for (let sx = 0; sx < SUB; sx++) {
          const x = ((px + (sx + 0.5) / SUB) * 32) / size;
          const y = ((py + (sy + 0.5) / SUB) * 32) / size;
          const hit = SHAPES.findLast((s) => inside(s, x, y));
          if (!hit) continue;
          for (let c = 0; c < 3; c++) sum[c] += hit.colour[c];
          sum[3] += 255;
        }
      }
      const n = SUB * SUB;
      const covered = sum[3] / 255;
      const at = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) out[at + c] = covered ? Math.round(sum[c] / covered) : 0;
      out[at + 3] = Math.round(sum[3] / n);
    }
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function png(size) {
  const pixels = raster(size);
  const rows = Buffer.concat(Array.from({ length: size }, (_, y) => Buffer.concat([Buffer.from([0]), pixels.subarray(y * size * 4, (y + 1) * size * 4)])));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
function ico(sizes) {
  const images = sizes.map(png);
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach((image, i) => {
    const at = 6 + 16 * i;
    header[at] = sizes[i] % 256;
    header[at + 1] = sizes[i] % 256;
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(image.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += image.length;
  });
  return Buffer.concat([header, ...images]);
}

const dir = new URL('../src/web/assets/', import.meta.url);
writeFileSync(new URL('favicon.svg', dir), svg);
writeFileSync(new URL('favicon.ico', dir), ico([16, 32]));
