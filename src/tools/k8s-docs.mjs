// Reads the API documentation that @kubernetes/client-node leaves out, for `npm run schemas`: the
// kubernetes-models package's .d.ts files keep the OpenAPI descriptions whole (paragraphs, the
// "Possible enum values" lists, the docs of fields that refer to other types), their enum values
// (as unions of string literals) and which fields are Quantities, FieldsV1… rather than strings.
// kubernetes-types fills in the descriptions of the scalar types that kubernetes-models has none for
// (Quantity).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Doc comment text without the comment markers, blank lines kept as paragraph breaks. */
function uncomment(body) {
  return body
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n')
    .replace(/^\n+/, '')
    .replace(/\s+$/, '');
}

/** Splits `"A" | "B" | ""` into its literals, or undefined when the type is anything else. */
export function literalUnion(type) {
  const parts = type.split('|').map((s) => s.trim());
  if (!parts.every((p) => /^"(?:[^"\\]|\\.)*"$/.test(p))) return undefined;
  return parts.map((p) => JSON.parse(p));
}

export function createDocs(requireFrom) {
  const modelsRoot = dirname(requireFrom.resolve('kubernetes-models/package.json'));
  const nodeModules = dirname(modelsRoot);
  const typesRoot = dirname(requireFrom.resolve('kubernetes-types/package.json'));
  const cache = new Map();

  const importPath = (from, spec) => `${(spec.startsWith('.') ? resolve(dirname(from), spec) : join(nodeModules, spec)).replace(/\.js$/, '')}.d.ts`;

  /** The first declared interface or type of a kubernetes-models file: its doc, fields and imports. */
  function parse(file) {
    if (cache.has(file)) return cache.get(file);
    const text = readFileSync(file, 'utf8');
    const imports = {};
    for (const m of text.matchAll(/^import \{ ([^}]+) \} from "([^"]+)";/gm)) {
      for (const id of m[1].split(',')) imports[id.trim()] = importPath(file, m[2]);
    }
    const head = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\n)?export (interface|type) (\w+)/.exec(text);
    const out = { description: head?.[1] ? uncomment(head[1]) : undefined, props: {}, imports };
    if (head?.[2] === 'interface') {
      const start = text.indexOf('{', head.index + head[0].length) + 1;
      const lines = text.slice(start, text.indexOf('\n}', start)).split('\n');
      const balanced = (s) => (s.match(/\{/g) ?? []).length === (s.match(/\}/g) ?? []).length;
      let doc;
      for (let i = 0; i < lines.length; i++) {
        if (/^ {4}\/\*\*/.test(lines[i])) {
          const body = [];
          while (!lines[++i].includes('*/')) body.push(lines[i]);
          doc = uncomment(body.join('\n'));
          continue;
        }
        const m = /^ {4}"([^"]+)"\??: (.*)$/.exec(lines[i]);
        if (!m) continue;
        let type = m[2];
        while (!(type.endsWith(';') && balanced(type))) type += `\n${lines[++i]}`;
        out.props[m[1]] = { doc, type: type.slice(0, -1).replace(/\s+/g, ' ') };
        doc = undefined;
      }
    }
    cache.set(file, out);
    return out;
  }

  /** The file declaring a kind: `apps/v1/Deployment` → kubernetes-models/apps/v1/Deployment.d.ts. */
  function kindFile(kindKey) {
    const file = join(modelsRoot, `${kindKey}.d.ts`);
    return existsSync(file) ? file : undefined;
  }

  /** The files of the named types a field's type text refers to (`Array<IIoK8s…Container>`). */
  function refs(parsed, type) {
    return [...type.matchAll(/\bI\w+/g)].map((m) => parsed.imports[m[0]]).filter(Boolean);
  }

  /** `resource.Quantity`, `v1.Time`: a referenced file's Go name (package directory + type). */
  function goName(file) {
    return `${basename(dirname(file))}.${basename(file, '.d.ts')}`;
  }

  let typesDocs;
  /** kubernetes-types' description of a type by name, e.g. Quantity. */
  function fallbackDescription(name) {
    if (!typesDocs) {
      typesDocs = {};
      const walk = (dir) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          const p = join(dir, e.name);
          if (e.isDirectory() && e.name !== 'node_modules') walk(p);
          else if (e.name.endsWith('.d.ts')) {
            const text = readFileSync(p, 'utf8');
            for (const m of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export (?:type|interface) (\w+)/g)) typesDocs[m[2]] ??= uncomment(m[1]);
          }
        }
      };
      walk(typesRoot);
    }
    return typesDocs[name];
  }

  return { parse, kindFile, refs, goName, fallbackDescription };
}
