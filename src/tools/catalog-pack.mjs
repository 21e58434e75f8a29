// The image catalog as the bundle reads it (bin/dist/images.pack): fixtures/images.json is 240 KB of
// JSON, and reading and parsing it whole cost 3 to 5 ms of every command that pulls, starts or stops
// a container, which needs one or two of its 43 images. The pack's first line is JSON: the source
// file's size and mtime (the pack is used only while they match), everything but the images, and
// each image's place in the rest of the file by its registry path; then each image's JSON text.
// src/runtime/catalog.ts reads it; a test checks it resolves every image and tag as the JSON does.

/** The pack of the catalog `text` (the contents of a file whose stat is `st`). */
export function packCatalog(text, st) {
  const cat = JSON.parse(text);
  const { images = {}, ...core } = cat;
  const places = {};
  const bodies = [];
  let off = 0;
  for (const entry of Object.values(images)) {
    // the first entry of a registry is the one a lookup finds
    if (Object.hasOwn(places, entry.registry)) continue;
    const body = Buffer.from(JSON.stringify(entry));
    places[entry.registry] = [off, body.length];
    bodies.push(body);
    off += body.length;
  }
  const head = JSON.stringify({ source: [st.size, st.mtimeMs], core, images: places });
  return Buffer.concat([Buffer.from(`${head}\n`), ...bodies]);
}
