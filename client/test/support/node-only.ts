// Constructs a browser lacks, scanned for in the client's sources and in the packed JavaScript; each with a line it
// must catch.
export const NODE_ONLY: [what: string, pattern: RegExp, caught: string][] = [
  ['a node: import', /from\s+['"]node:|import\(\s*['"]node:/, "import { readFileSync } from 'node:fs';"],
  [
    'a Node core module import',
    /from\s+['"](fs|path|http|https|os|crypto|child_process|url|buffer|stream|util)['"]/,
    "import fs from 'fs';",
  ],
  ['Buffer', /\bBuffer\b/, "Buffer.from(id).toString('base64')"],
  ['process', /\bprocess\s*[.[]/, 'process.env.STARMILE_URL'],
  ['require()', /\brequire\s*\(/, "const x = require('x');"],
  ['__dirname', /\b__dirname\b/, 'join(__dirname, "x")'],
];

/** The text without line and block comments, which may name these constructs harmlessly. */
export const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
