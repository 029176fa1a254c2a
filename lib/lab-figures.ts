/**
 * The source lab's measurements (seed 000, us-west-2; shared/REFERENCE.md "Measured in the source lab"):
 * milliseconds to write / read one file of each size, per tier.
 */
export const LAB_FIGURES: Readonly<Record<string, { session: [number, number]; s3files: [number, number]; s3api: [number, number] }>> = {
  "1 KB": { session: [0.89, 0.27], s3files: [12.84, 2.88], s3api: [63.52, 32.55] },
  "100 KB": { session: [0.64, 0.24], s3files: [23.8, 3.35], s3api: [34.67, 25.68] },
  "1 MB": { session: [2.89, 0.35], s3files: [41.85, 7.35], s3api: [106.12, 33.2] },
  "10 MB": { session: [16.87, 2.76], s3files: [111.61, 35.88], s3api: [133.75, 120.49] },
};
