import { describe, expect, it } from 'vitest';
import { classify, endlessNote, limitExit, syntaxErrorText } from './limits.js';

describe('classify', () => {
  it('takes the command-count and loop limits as a command that never ends', () => {
    const c = classify('start\nbash: too many commands executed (>5000), increase executionLimits.maxCommandCount\n', 126);
    expect(c.limit).toEqual({ kind: 'endless', count: 5000, what: 'commands' });
    expect(c.stderr).toBe('start\n');
    expect(classify('bash: while loop: too many iterations (5000), increase executionLimits.maxLoopIterations\n', 126).limit).toEqual({ kind: 'endless', count: 5000, what: 'loop iterations' });
  });

  it('takes too deep recursion as a stack overflow and outgrown strings as memory', () => {
    const s = classify('bash: f: maximum recursion depth (100) exceeded, increase executionLimits.maxCallDepth\n', 126);
    expect(s).toEqual({ stderr: '', limit: { kind: 'stack' } });
    expect(limitExit('stack')).toBe(139);
    const m = classify('bash: word expansion: string length limit exceeded (67108864 bytes)\n', 126);
    expect(m).toEqual({ stderr: '', limit: { kind: 'memory' } });
    expect(limitExit('memory')).toBe(137);
  });

  it("rewrites just-bash's unavailable commands as the shell's not found and keeps other text", () => {
    const c = classify("bash: sqlite3: command not available in browser environments. Exclude 'sqlite3' from your commands or use the Node.js bundle.\nls: x: No such file or directory\n", 127);
    expect(c).toEqual({ stderr: 'bash: sqlite3: command not found\nls: x: No such file or directory\n' });
  });

  it("words kubesim's own note", () => {
    expect(endlessNote({ count: 5000, what: 'commands' })).toBe('kubesim: the command runs forever in the container; stopped after simulating 5000 commands (exit 124)\n');
  });

  it("words parser errors as the invoked shell does, without the parser's own wording", () => {
    const near = "bash: syntax error: Parse error at 1:8: syntax error near unexpected token `fi'";
    expect(syntaxErrorText(near, 'bash')).toBe("bash: -c: line 1: syntax error near unexpected token `fi'");
    expect(syntaxErrorText(near, 'dash')).toBe('sh: 1: Syntax error: "fi" unexpected');
    expect(syntaxErrorText(near, 'ash')).toBe('sh: syntax error: unexpected "fi"');
    const eof = 'bash: syntax error: Parse error at 1:13: Expected DONE, got EOF';
    expect(syntaxErrorText(eof, 'bash')).toBe('bash: -c: line 2: syntax error: unexpected end of file');
    expect(syntaxErrorText(eof, 'dash')).toBe('sh: 1: Syntax error: end of file unexpected (expecting "done")');
    expect(syntaxErrorText('bash: line 1: unexpected EOF while looking for matching `"\'', 'ash')).toBe('sh: syntax error: unterminated quoted string');
    expect(classify(`${near}\n`, 2, 'dash').stderr).toBe('sh: 1: Syntax error: "fi" unexpected\n');
  });
});
