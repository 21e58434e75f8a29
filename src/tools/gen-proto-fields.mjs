// Writes schemas/proto-fields.json: the protobuf field numbers, names and types of the Kubernetes API
// messages (from the generated.proto files of k8s.io/api and k8s.io/apimachinery), which `kubesim
// serve` needs to read the protobuf request bodies the real kubectl's typed clients send.
//
// Usage: node src/tools/gen-proto-fields.mjs API_REPO_DIR APIMACHINERY_REPO_DIR
// (checkouts of github.com/kubernetes/api and github.com/kubernetes/apimachinery)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [apiDir, machineryDir] = process.argv.slice(2);
if (!apiDir || !machineryDir) {
  process.stderr.write('usage: gen-proto-fields.mjs API_REPO_DIR APIMACHINERY_REPO_DIR\n');
  process.exit(2);
}

const API_GROUPS = ['core/v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'discovery/v1', 'networking/v1', 'policy/v1', 'rbac/v1', 'storage/v1', 'scheduling/v1', 'coordination/v1', 'authentication/v1', 'authorization/v1', 'events/v1', 'node/v1'];
const MACHINERY = ['pkg/apis/meta/v1', 'pkg/api/resource', 'pkg/runtime', 'pkg/runtime/schema', 'pkg/util/intstr'];

const out = {};

function parse(file) {
  const text = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '');
  const pkg = /package\s+([\w.]+);/.exec(text)[1];
  const re = /message\s+(\w+)\s*\{([^{}]*)\}/g;
  let m;
  while ((m = re.exec(text))) {
    const fields = {};
    const fre = /(optional|repeated)?\s*(map<\s*([\w.]+)\s*,\s*([\w.]+)\s*>|[\w.]+)\s+(\w+)\s*=\s*(\d+)\s*;/g;
    let f;
    while ((f = fre.exec(m[2]))) {
      const resolve = (t) => (['string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float', 'sint32', 'sint64', 'fixed32', 'fixed64'].includes(t) ? t : t.includes('.') ? t.replace(/^\./, '') : `${pkg}.${t}`);
      const type = f[3] ? `map<${resolve(f[3])},${resolve(f[4])}>` : resolve(f[2]);
      fields[f[6]] = f[1] === 'repeated' ? [f[5], type, 1] : [f[5], type];
    }
    out[`${pkg}.${m[1]}`] = fields;
  }
}

for (const g of API_GROUPS) parse(join(apiDir, g, 'generated.proto'));
for (const g of MACHINERY) parse(join(machineryDir, g, 'generated.proto'));
writeFileSync('schemas/proto-fields.json', `${JSON.stringify(out)}\n`);
process.stdout.write(`schemas/proto-fields.json: ${Object.keys(out).length} messages\n`);
