// Typechecks code a reader or a partner writes (samples, usage of a generated client) as a bundler-based project
// would, strictly; the tests that need it share one set of options.
import ts from 'typescript';

/** @returns the compiler's findings for `files`, each as `file:line message` (file relative to `base`) */
export function typecheck(
  files: string[],
  base: string,
  extra: ts.CompilerOptions = {},
): { file: string; text: string }[] {
  const program = ts.createProgram({
    rootNames: files,
    options: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      ...extra,
    },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const file = d.file ? d.file.fileName.slice(base.length).replace(/^\//, '') : '(global)';
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return { file, text: `${file}:${line} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}` };
  });
}
