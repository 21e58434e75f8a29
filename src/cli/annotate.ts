// kubectl annotate TYPE NAME key=value… key- [--overwrite] [-l] [--all]
import type { IO } from './io.js';
import { metadataVerb } from './metadata-verb.js';

export default (argv: string[], io: IO): Promise<number> => metadataVerb('annotate', argv, io);
