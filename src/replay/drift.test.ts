import { describe, expect, it } from 'vitest';
import { driftExpected } from './drift.js';
import { matchOutput } from './match.js';

describe('driftExpected', () => {
  it("rewrites an older kubectl's event texts so today's output matches", () => {
    const old = [
      '  Type    Reason     Age   From               Message',
      '  ----    ------     ----  ----               -------',
      '  Normal  Scheduled  11s   default-scheduler  Successfully assigned default/liveness-exec to node01',
      '  Normal  Pulling    9s    kubelet, node01    Pulling image "busybox"',
      '  Normal  Pulled     7s    kubelet, node01    Successfully pulled image "busybox"',
    ].join('\n');
    const now = [
      '  Type    Reason     Age   From               Message',
      '  ----    ------     ----  ----               -------',
      '  Normal  Scheduled  12s   default-scheduler  Successfully assigned default/liveness-exec to minikube',
      '  Normal  Pulling    11s   kubelet            Pulling image "busybox"',
      '  Normal  Pulled     10s   kubelet            Successfully pulled image "busybox" in 1.2s (1.2s including waiting). Image size: 2160406 bytes.',
    ].join('\n');
    expect(matchOutput(old, now)).toBeUndefined();
    const d = driftExpected(old, 'kubectl describe pod liveness-exec');
    expect(d.rules).toEqual(["events name only the component since 1.20 (older: 'kubelet, NODE')", 'Pulled events give the pull time and image size since 1.27']);
    expect(matchOutput(d.expected, now)).toBeDefined();
  });

  it('leaves today\'s texts alone', () => {
    expect(driftExpected('pod/web created', 'kubectl run web --image=nginx').rules).toEqual([]);
    expect(driftExpected('deployment.apps/web created', 'kubectl create deployment web --image=nginx').rules).toEqual([]);
  });
});
