// kubectl uncordon NODE…: makes nodes schedulable again.
import { cordonVerb } from './cordon.js';
import type { IO } from './io.js';

export default (argv: string[], io: IO): Promise<number> => cordonVerb('uncordon', argv, io);
