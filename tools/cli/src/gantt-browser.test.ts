import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { expect, it } from "vitest";
import { ganttHtml, readEvents, timeline } from "./index";

// The Gantt chart opened in a real headless browser (Debian's chromium); its screenshot must show
// the bars: blue ones, and the critical path's in red.

const CHROMIUM = "/usr/bin/chromium";

/** RGB(A) pixels of an 8-bit, non-interlaced PNG (what Chromium writes for screenshots). */
function decodePng(file: string): { width: number; height: number; pixel: (x: number, y: number) => [number, number, number] } {
  const png = readFileSync(file);
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("ascii", offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[12] !== 0) throw new Error("only 8-bit, non-interlaced PNGs");
      channels = body[9] === 6 ? 4 : body[9] === 2 ? 3 : 0;
      if (channels === 0) throw new Error(`PNG colour type ${body[9]} not handled`);
    } else if (type === "IDAT") {
      data.push(body);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const upLeft = y > 0 && x >= channels ? pixels[(y - 1) * stride + x - channels]! : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [a, b, c] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return a <= b && a <= c ? left : b <= c ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, paeth()][filter]!;
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return {
    width,
    height,
    pixel: (x, y) => [pixels[y * stride + x * channels]!, pixels[y * stride + x * channels + 1]!, pixels[y * stride + x * channels + 2]!],
  };
}

it("GIVEN a run's timeline WHEN the HTML chart is opened in headless Chromium THEN the screenshot shows the bars", () => {
  expect(existsSync(CHROMIUM), "Debian's chromium is installed (apt-get install chromium)").toBe(true);
  const dir = mkdtempSync(join(tmpdir(), "gantt-"));
  const html = join(dir, "gantt.html");
  const png = join(dir, "gantt.png");
  writeFileSync(html, ganttHtml(timeline(readEvents(join(__dirname, "..", "test", "fixtures", "whole-seconds.jsonl"))), "gateway-e2e"));
  const result = spawnSync(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${join(dir, "profile")}`,
      "--hide-scrollbars",
      "--window-size=1000,300",
      `--screenshot=${png}`,
      `file://${html}`,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  expect(existsSync(png), result.stderr).toBe(true);
  const image = decodePng(png);
  let red = 0;
  let blue = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const [r, g, b] = image.pixel(x, y);
      if (r > 200 && g < 80 && b < 80) red += 1;
      if (r < 80 && g > 100 && g < 150 && b > 200) blue += 1;
    }
  }
  // Three critical bars (build, load, deployment) in red, one (the cluster) in blue.
  expect(red).toBeGreaterThan(1500);
  expect(blue).toBeGreaterThan(300);
}, 90_000);
