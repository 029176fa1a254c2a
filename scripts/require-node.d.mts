/** Types of scripts/require-node.mjs (plain JavaScript so an old Node can run it). */
export declare const MIN_NODE: readonly [number, number];
