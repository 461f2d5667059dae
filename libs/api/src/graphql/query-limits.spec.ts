import { parse } from 'graphql';
import { measureOperation } from './query-limits';

describe('measureOperation', () => {
  it('counts nesting depth, through fragments, ignoring introspection', () => {
    const doc = parse(`
      query Q { profile(accountId: "1") { rank { id } ...F } __schema { types { fields { name } } } }
      fragment F on Profile { achievements { code } }`);
    expect(measureOperation(doc, 'Q').depth).toBe(3);
  });

  it('multiplies a list by its page size, literal or variable', () => {
    const literal = parse(`{ leaderboard(first: 50) { entries { place xp } } }`);
    // leaderboard 1 + 50 * (entries 1 + place 1 + xp 1)
    expect(measureOperation(literal, undefined).complexity).toBe(151);
    const variable = parse(`query L($n: Int) { leaderboard(first: $n) { entries { place } } }`);
    expect(measureOperation(variable, 'L', { n: 20 }).complexity).toBe(1 + 20 * 2);
  });

  it('picks the named operation and survives a self-referencing fragment', () => {
    const doc = parse(`query A { ranks { id } } query B { ranks { id nameEn } }
      fragment Loop on Rank { ...Loop }`);
    expect(measureOperation(doc, 'B')).toEqual({ depth: 2, complexity: 3 });
  });
});
