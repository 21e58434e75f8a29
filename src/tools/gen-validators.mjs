// Compiles schemas/kubernetes.json with ajv into standalone CommonJS validators (one per kind), so
// the CLI never compiles schemas at run time. The schema itself rides along for error rendering.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function generateValidators(outfile) {
  const schema = JSON.parse(readFileSync(join(root, 'schemas', 'kubernetes.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: false, strict: false, code: { source: true, optimize: 1 }, validateFormats: false });
  const base = 'https://kubesim.local/kubernetes';
  ajv.addSchema({ ...schema, $id: base });
  const exportsMap = {};
  for (const [kind, model] of Object.entries(schema.kinds)) {
    const id = `https://kubesim.local/kinds/${kind.replace(/\//g, '_')}`;
    ajv.addSchema({ $id: id, $ref: `${base}#/definitions/${model}` });
    exportsMap[kind] = id;
  }
  const code = standaloneCode.default ? standaloneCode.default(ajv, exportsMap) : standaloneCode(ajv, exportsMap);
  const lite = { kinds: schema.kinds, definitions: schema.definitions };
  writeFileSync(outfile, `${code}\nmodule.exports.__schema = ${JSON.stringify(lite)};\n`);
}
