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
    expect(measureOperation(doc, 'B')).toMatchObject({ depth: 2, complexity: 3, rootFields: 1 });
  });

  it('measures each fragment once: 30 levels of doubling take no time and cost 2^30', () => {
    let source = `query Q { ranks { ...F30 } } fragment F0 on Rank { id }`;
    for (let i = 1; i <= 30; i += 1)
      source += ` fragment F${i} on Rank { ...F${i - 1} ...F${i - 1} }`;
    const doc = parse(source);
    const started = performance.now();
    const cost = measureOperation(doc, 'Q');
    expect(performance.now() - started).toBeLessThan(50);
    expect(cost.complexity).toBe(1 + 2 ** 30);
  });

  it('counts introspection, aliases, directives and top-level fields as the operation runs', () => {
    const doc =
      parse(`query Q { a: ranks { id } b: ranks @include(if: true) { ...N } __schema { types { name } } }
      fragment N on Rank { n1: nameEn @skip(if: false) }`);
    expect(measureOperation(doc, 'Q')).toEqual({
      depth: 2,
      // a: 1+1, b: 1+1, __schema: 1 + 50 + types 1 + name 1
      complexity: 57,
      aliases: 3,
      directives: 2,
      rootFields: 3,
    });
  });
});
