import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";
import nx from "@nx/eslint-plugin";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/out-tsc/**",
      "**/.nx/**",
      "**/vitest.config.mts",
      "**/vitest.engine.config.mts",
      "**/vitest.real-kind.config.mts",
      "**/*.cjs",
      "stacks/*/app/**",
      "vitest.shared.mts",
      "eslint.config.mjs",
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@pulumi": pulumi, "@nx": nx },
    rules: {
      // Layering: stacks compose components; components never import stacks or tools.
      "@nx/enforce-module-boundaries": [
        "error",
        {
          allow: [],
          depConstraints: [
            { sourceTag: "type:lib", onlyDependOnLibsWithTags: ["type:lib", "type:testing"] },
            { sourceTag: "type:testing", onlyDependOnLibsWithTags: ["type:lib"] },
            { sourceTag: "type:component", onlyDependOnLibsWithTags: ["type:lib", "type:component", "type:testing"] },
            { sourceTag: "type:stack", onlyDependOnLibsWithTags: ["type:lib", "type:component", "type:testing"] },
            // The real-engine suite drives stacks through the CLI's runner (tools may use tools).
            { sourceTag: "type:tool", onlyDependOnLibsWithTags: ["type:lib", "type:component", "type:testing", "type:tool"] },
          ],
        },
      ],
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Pulumi resources are constructed for their side effect on the engine.
      "no-new": "off",
    },
  },
  {
    // README examples (and the fixture stacks they show) import their own package by name, as a user's stack does.
    files: ["**/src/example.ts", "**/src/example.test.ts", "packages/*/test/*-stack/index.ts"],
    rules: { "@nx/enforce-module-boundaries": "off" },
  },
  {
    files: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
    },
  },
);
