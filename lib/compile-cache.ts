/**
 * Preloaded with `node --import` before the app or a script: turns on Node's on-disk compile cache, which also
 * caches the result of stripping TypeScript types, so running the sources directly costs what running compiled
 * JavaScript costs (npm run bench measures it). The cache lives in the OS temporary folder.
 */
import { enableCompileCache } from "node:module";

enableCompileCache();
