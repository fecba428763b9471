import { join } from "node:path";
import ts from "typescript";
import { ROOT } from "./fakes";

/**
 * The names of the properties of each arguments interface (inherited ones included, e.g.
 * InClusterArgs' cluster and namespace), read with the TypeScript checker from the components'
 * sources: what "every argument has a case" is checked against.
 */
export function argumentNames(interfaces: ReadonlyArray<{ file: string; type: string }>): Map<string, string[]> {
  const files = [...new Set(interfaces.map((entry) => join(ROOT, entry.file)))];
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
  });
  const checker = program.getTypeChecker();
  const names = new Map<string, string[]>();
  for (const { file, type } of interfaces) {
    const source = program.getSourceFile(join(ROOT, file));
    const declaration = source?.statements.find(
      (statement): statement is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(statement) && statement.name.text === type,
    );
    if (declaration === undefined) throw new Error(`${file} declares no interface ${type}`);
    const properties = checker.getPropertiesOfType(checker.getTypeAtLocation(declaration.name)).map((property) => property.name);
    names.set(type, properties.sort());
  }
  return names;
}
