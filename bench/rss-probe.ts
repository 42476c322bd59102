/**
 * Preloaded into a child process (`node --import …/rss-probe.js`) so a bench can read the peak
 * resident memory of an unmodified CLI command: written to $SIGNGLOVE_RSS_OUT when it exits.
 */
import { writeFileSync } from 'node:fs';

const out = process.env.SIGNGLOVE_RSS_OUT;
if (out) process.on('exit', () => writeFileSync(out, JSON.stringify({ maxrss_mb: process.resourceUsage().maxRSS / 1024 })));
