import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", ".gen/", ".tools/", "coverage/", "dist/", "docs/", "examples/*/node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@cdktn/provider-aws",
              message:
                "Import provider classes from their submodule (@cdktn/provider-aws/lib/<resource>): the package root loads ~2,400 modules, costing seconds and hundreds of MB on every synth and test run.",
            },
          ],
        },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
);
