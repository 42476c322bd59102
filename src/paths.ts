import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Root of the installed package (the folder holding package.json), whether run from src via a loader or from dist. */
export const PACKAGE_ROOT: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  // dist/src/paths.js → up to the folder that has package.json
  for (let i = 0; i < 4; i++) {
    if (path.basename(dir) === 'dist') return path.dirname(dir);
    if (path.basename(dir) === 'src' && path.basename(path.dirname(dir)) !== 'dist') return path.dirname(dir);
    dir = path.dirname(dir);
  }
  return dir;
})();

/** Trained model bundles shipped with the package. */
export const MODELS_DIR = path.join(PACKAGE_ROOT, 'models');
/** Small shipped data files (simulator parameters, fonts, samples). */
export const ASSETS_DIR = path.join(PACKAGE_ROOT, 'assets');
/** Browser UI sources and the built bundle. */
export const WEB_DIR = path.join(PACKAGE_ROOT, 'web');
