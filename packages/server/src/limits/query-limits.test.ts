import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { queryLimitsRule } from './query-limits';

const schema = buildSchema(`
  type Post { id: ID! _deleted: Boolean }
  type Tag { id: ID! _deleted: Boolean }
  type PostTags { id: ID! postId: ID tagId: ID createdAt: String updatedAt: String _version: Int _lastChangedAt: Float _deleted: Boolean post: Post tag: Tag }
  type Page { items: [PostTags]! nextToken: String startedAt: Float }
  type Query { syncPostTags(limit: Int, nextToken: String, lastSync: Float): Page }
`);
const cost = (doc: string, maxCost: number) => validate(schema, parse(doc), [...specifiedRules, queryLimitsRule(12, maxCost)]).map((e) => e.message);

describe('queryLimitsRule', () => {
  // What the unmodified Amplify client sends for a many-to-many join model: its two belongsTo as `x { id _deleted }`.
  const amplifyJoinSync = `query operation($limit: Int, $nextToken: String, $lastSync: Float) {
    syncPostTags(limit: $limit, nextToken: $nextToken, lastSync: $lastSync) {
      items { id postId tagId createdAt updatedAt _version _lastChangedAt _deleted post { id _deleted } tag { id _deleted } }
      nextToken startedAt
    }
  }`;

  it("accepts Amplify's sync query for a join model under the default limit: a single related object is not a list", () => {
    expect(cost(amplifyJoinSync, 5000)).toEqual([]);
  });

  it('still weighs lists ten times what they select', () => {
    // items (a list): 1 + 10 * (8 scalars + post 3 + tag 3) = 141; the page adds nextToken and startedAt (143);
    // syncPostTags returns one page: 1 + 143.
    expect(cost(amplifyJoinSync, 143)).toEqual(['Query cost 144 exceeds the limit of 143. Select fewer fields or split the query.']);
  });
});
