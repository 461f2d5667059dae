import { buildSchema, graphql, GraphQLResolveInfo } from 'graphql';
import { selectsField } from './selected-fields';

const schema = buildSchema(`
  type Place { place: Int }
  type Profile { xp: Int, season: Place }
  type Query { profile: Profile }
`);

/** What selectsField(info, 'season') answers inside `profile` for this query. */
async function seasonSelected(query: string): Promise<boolean> {
  let selected: boolean | undefined;
  const result = await graphql({
    schema,
    source: query,
    rootValue: {
      profile: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
        selected = selectsField(info, 'season');
        return { xp: 1, season: { place: 1 } };
      },
    },
  });
  expect(result.errors).toBeUndefined();
  return selected!;
}

describe('selectsField', () => {
  it('sees a field selected by name, or under an alias', async () => {
    expect(await seasonSelected('{ profile { xp season { place } } }')).toBe(true);
    expect(await seasonSelected('{ profile { xp where: season { place } } }')).toBe(true);
  });

  it('sees a field selected through an inline fragment or a fragment spread', async () => {
    expect(await seasonSelected('{ profile { ... on Profile { season { place } } } }')).toBe(true);
    expect(
      await seasonSelected('{ profile { ...P } } fragment P on Profile { xp season { place } }'),
    ).toBe(true);
  });

  it('answers false when the field is not selected', async () => {
    expect(await seasonSelected('{ profile { xp } }')).toBe(false);
    expect(await seasonSelected('{ profile { ...P } } fragment P on Profile { xp }')).toBe(false);
  });
});
