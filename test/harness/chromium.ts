/** Headless Chromium (Debian `chromium`) screenshots of a local HTML file, for the report tests. */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { decodePng, type Image } from "./png";

/** Renders `htmlFile` at `width`×`height` into `png` (a throwaway profile next to it) and decodes it. */
export function screenshot(htmlFile: string, png: string, width: number, height: number, timeoutMs = 120_000): Promise<Image> {
  const profile = path.join(path.dirname(png), `chromium-profile-${path.basename(png, ".png")}`);
  const args = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    `--user-data-dir=${profile}`,
    `--screenshot=${png}`,
    `--window-size=${width},${height}`,
    `file://${htmlFile}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("chromium", args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("exit", () => {
      clearTimeout(timer);
      fs.rmSync(profile, { recursive: true, force: true });
      if (!fs.existsSync(png)) reject(new Error(`chromium wrote no screenshot: ${stderr.slice(-1000)}`));
      else resolve(decodePng(fs.readFileSync(png)));
    });
  });
}
