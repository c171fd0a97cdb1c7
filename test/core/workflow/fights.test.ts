import { nextFightRound, type FightSettings, type FightState } from '../../../lambdas/core/workflow/fights';

const settings: FightSettings = { windowMinutes: 15, digestMinutes: 10 };
const at = (seconds: number) => new Date(Date.UTC(2026, 11, 7, 10, 0, seconds)).toISOString();
const seen = (seconds: number, configuration = 'flip', actorKey = 'deploy-bot') => ({ actorKey, actorName: actorKey, configuration, at: at(seconds) });

function play(times: number[], options = settings): { notices: string[]; last?: FightState; yields: boolean[] } {
  let state: FightState | undefined;
  const notices: string[] = [];
  const yields: boolean[] = [];
  for (const t of times) {
    const round = nextFightRound(state, seen(t), options);
    notices.push(round.notice);
    yields.push(round.yieldNow);
    state = round.state;
  }
  return { notices, last: state, yields };
}

describe('Function: nextFightRound', () => {
  it('tells the first change and the first re-apply, escalates the second re-apply, then folds', () => {
    // A pipeline re-applying every 3 s, 10 times in 30 s
    const { notices, last } = play([0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
    expect(notices).toEqual(['normal', 'normal', 'escalate', 'fold', 'fold', 'fold', 'fold', 'fold', 'fold', 'fold']);
    expect(last).toMatchObject({ rounds: 10, untold: 7, escalatedAt: at(6) });
  });

  it('sends a digest of the folded rounds at most every digestMinutes', () => {
    const { notices } = play([0, 60, 120, 180, 730, 760, 1400]);
    expect(notices).toEqual(['normal', 'normal', 'escalate', 'fold', 'digest', 'fold', 'digest']);
  });

  it('starts over after the window, for another actor, or for another configuration', () => {
    const first = nextFightRound(undefined, seen(0), settings).state;
    const second = nextFightRound(first, seen(5), settings).state;
    expect(nextFightRound(second, seen(5 + 16 * 60), settings).round).toBe(1);
    expect(nextFightRound(second, seen(10, 'flip', 'alice'), settings).round).toBe(1);
    expect(nextFightRound(second, seen(10, 'other change'), settings).round).toBe(1);
  });

  it('yields after the rounds the policy allows, and says so once', () => {
    const { notices, yields } = play([0, 3, 6, 9, 12], { ...settings, yieldAfterRounds: 3 });
    expect(yields).toEqual([false, false, false, true, true]);
    expect(notices).toEqual(['normal', 'normal', 'escalate', 'escalate', 'fold']);
  });
});
