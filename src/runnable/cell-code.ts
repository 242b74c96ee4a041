/**
 * A notebook cell's TypeScript as a function the page can run, with tslab's semantics: the cells
 * share their top-level names (a rerun may declare a `const` again), `await` works at the top
 * level, and the value of a last bare expression is the cell's result. sucrase strips the types
 * (it is about 50 KB compressed; esbuild-wasm's binary alone is 3.7 MB), acorn finds the top-level
 * declarations, and each becomes an assignment to a local copied from, and written back to, the
 * page's scope object: local variables keep the cell's loops as fast as in the kernel.
 */
import { parse, type Node, type Pattern, type Program, type Statement } from "acorn";
import { transform } from "sucrase";

/** The compiled cell: `run(scope, console, importModule)` resolves to the cell's result. */
export interface CompiledCell {
  /** The names the cell declares at its top level (they go into the scope). */
  declared: string[];
  /** The body of the async function, for tests and error messages. */
  body: string;
}

/** Names a declaration pattern binds: `a`, `[a, b]`, `{ a, b: c, ...d }`, `a = 1`. */
function boundNames(pattern: Pattern, names: string[] = []): string[] {
  switch (pattern.type) {
    case "Identifier":
      names.push(pattern.name);
      break;
    case "ArrayPattern":
      for (const element of pattern.elements) if (element) boundNames(element, names);
      break;
    case "ObjectPattern":
      for (const property of pattern.properties) {
        boundNames(property.type === "RestElement" ? property.argument : property.value, names);
      }
      break;
    case "RestElement":
      boundNames(pattern.argument, names);
      break;
    case "AssignmentPattern":
      boundNames(pattern.left, names);
      break;
    default:
      break;
  }
  return names;
}

const SCOPE = "__gdScope";
const IMPORT = "__gdImport";
const RESULT = "__gdResult";

/** The JavaScript of a cell's TypeScript (types stripped, nothing else changed). */
export function stripTypes(source: string): string {
  return transform(source, { transforms: ["typescript"], disableESTransforms: true, keepUnusedImports: true })
    .code;
}

/**
 * The body of `async function (__gdScope, console, __gdImport)` that runs the cell: throws a
 * SyntaxError for code that does not parse.
 */
export function compileCell(source: string, scopeNames: Iterable<string>): CompiledCell {
  const code = stripTypes(source);
  const program: Program = parse(code, {
    ecmaVersion: "latest",
    sourceType: "module",
    allowAwaitOutsideFunction: true,
  });
  const declared: string[] = [];
  const hoisted: string[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  const text = (node: Node) => code.slice(node.start, node.end);
  const last = program.body[program.body.length - 1] as Statement | undefined;
  for (const statement of program.body) {
    if (statement.type === "VariableDeclaration") {
      const assignments: string[] = [];
      for (const declarator of statement.declarations) {
        declared.push(...boundNames(declarator.id));
        if (declarator.init) assignments.push(`(${text(declarator.id)} = ${text(declarator.init)})`);
        else if (statement.kind !== "var") assignments.push(`(${text(declarator.id)} = undefined)`);
      }
      edits.push({ start: statement.start, end: statement.end, text: `;${assignments.join(", ")};` });
    } else if (statement.type === "FunctionDeclaration" && statement.id) {
      declared.push(statement.id.name);
      hoisted.push(`${statement.id.name} = ${text(statement)};`);
      edits.push({ start: statement.start, end: statement.end, text: "" });
    } else if (statement.type === "ClassDeclaration" && statement.id) {
      declared.push(statement.id.name);
      edits.push({
        start: statement.start,
        end: statement.end,
        text: `;${statement.id.name} = ${text(statement)};`,
      });
    } else if (statement.type === "ImportDeclaration") {
      const module = `${IMPORT}(${JSON.stringify(statement.source.value)})`;
      const parts: string[] = [];
      const named: string[] = [];
      for (const specifier of statement.specifiers) {
        declared.push(specifier.local.name);
        if (specifier.type === "ImportNamespaceSpecifier")
          parts.push(`(${specifier.local.name} = ${module})`);
        else if (specifier.type === "ImportDefaultSpecifier") {
          parts.push(`(${specifier.local.name} = ${module}.default)`);
        } else {
          const imported =
            specifier.imported.type === "Identifier"
              ? specifier.imported.name
              : String(specifier.imported.value);
          named.push(`${JSON.stringify(imported)}: ${specifier.local.name}`);
        }
      }
      if (named.length > 0) parts.push(`({ ${named.join(", ")} } = ${module})`);
      if (parts.length === 0) parts.push(module); // import "x": for its effects
      edits.push({ start: statement.start, end: statement.end, text: `;${parts.join(", ")};` });
    } else if (statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration") {
      throw new SyntaxError("a notebook cell cannot export");
    } else if (statement === last && statement.type === "ExpressionStatement") {
      edits.push({
        start: statement.start,
        end: statement.end,
        text: `;${RESULT} = (${text(statement.expression)});`,
      });
    }
  }
  let body = "";
  let position = 0;
  for (const edit of edits) {
    body += code.slice(position, edit.start) + edit.text;
    position = edit.end;
  }
  body += code.slice(position);
  const names = [...new Set([...scopeNames, ...declared])].filter((name) => name !== "console");
  const locals = names.map((name) => `${name} = ${SCOPE}[${JSON.stringify(name)}]`);
  const writeBack = names.map((name) => `${SCOPE}[${JSON.stringify(name)}] = ${name};`);
  const wrapped = [
    `let ${[RESULT, ...locals].join(", ")};`,
    "try {",
    ...hoisted,
    body,
    `return ${RESULT};`,
    `} finally { ${writeBack.join(" ")} }`,
  ].join("\n");
  return { declared: [...new Set(declared)], body: wrapped };
}

/** The cell's function: call it with the scope object, the cell's console and the import function. */
export type CellFunction = (
  scope: Record<string, unknown>,
  console: Pick<Console, "log" | "info" | "warn" | "error" | "debug">,
  importModule: (name: string) => unknown,
) => Promise<unknown>;

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (
  ...parameters: string[]
) => CellFunction;

/** compileCell's body as a function (sloppy mode, as tslab's CommonJS cells). */
export function cellFunction(compiled: CompiledCell): CellFunction {
  return new AsyncFunction(SCOPE, "console", IMPORT, compiled.body);
}
