import type { Tree } from "@nx/devkit";
import { createTreeWithEmptyWorkspace } from "@nx/devkit/testing";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** A virtual workspace holding the stack files of the workspace at `root`, as the generator sees a real one. */
export function workspaceWithStacks(root: string): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const dir of readdirSync(join(root, "stacks"))) {
    for (const file of readdirSync(join(root, "stacks", dir)).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) {
      tree.write(`stacks/${dir}/${file}`, readFileSync(join(root, "stacks", dir, file)));
    }
  }
  return tree;
}

/** Writes the stack the generator wrote into `tree` as stacks/<name> to the directory `dir` on disk (emptied first). */
export function writeGeneratedStack(tree: Tree, name: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  const prefix = `stacks/${name}/`;
  for (const change of tree.listChanges().filter((c) => c.path.startsWith(prefix) && c.content !== null)) {
    const target = join(dir, change.path.slice(prefix.length));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, change.content!);
  }
}
