import path from 'node:path';
import { existsSync } from 'node:fs';
import { ASSETS_DIR } from '../paths.js';

/**
 * The font every chart is drawn with. It ships in assets/fonts (Pretendard Regular, KS X 1001 subset, TrueType,
 * SIL OFL, taken from the `pretendard` npm package) so Hangul renders as Hangul on machines without
 * any Korean system font: the PNG renderer loads only this file, never the system's fonts.
 */
export const CHART_FONT_FILE = path.join(ASSETS_DIR, 'fonts', 'Pretendard-Regular.subset.ttf');

/** Family name inside the font file; the CSS fallbacks help when someone opens a bare .svg elsewhere. */
export const CHART_FONT_FAMILY = 'Pretendard';
export const CHART_FONT_CSS = `${CHART_FONT_FAMILY}, 'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif`;

/** Path of the shipped chart font; throws a clear error if the package was installed without assets. */
export function chartFontFile(): string {
  if (!existsSync(CHART_FONT_FILE)) {
    throw new Error(`chart font missing: ${CHART_FONT_FILE} (the package's assets/fonts folder is incomplete)`);
  }
  return CHART_FONT_FILE;
}

/** resvg font settings: only the shipped font, so output is the same on every machine. */
export function chartFontOptions() {
  return {
    loadSystemFonts: false,
    fontFiles: [chartFontFile()],
    defaultFontFamily: CHART_FONT_FAMILY,
    sansSerifFamily: CHART_FONT_FAMILY,
  };
}
