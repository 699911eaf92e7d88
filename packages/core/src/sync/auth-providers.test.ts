import { parseSchema } from '@offgrid/schema';
import { describe, expect, it } from 'vitest';
import { authProvidersFor } from './auth-providers';

const schema = parseSchema(`
  type Note @model @auth(rules: [{ allow: owner }]) { id: ID! text: String }
  type Post @model @auth(rules: [{ allow: public }]) { id: ID! title: String }
  type Profile @model @auth(rules: [{ allow: public, operations: [read] }, { allow: owner }]) { id: ID! name: String }
  type Team @model @auth(rules: [{ allow: groups, groups: ["Admin"] }, { allow: private, operations: [read] }]) { id: ID! name: String }
  type Audit @model @auth(rules: [{ allow: public, provider: iam }]) { id: ID! what: String }
  type Open @model { id: ID! what: String }
`);
const both = { apiKey: true, signedIn: true };
const signedOut = { apiKey: true, signedIn: false };

describe('authProvidersFor (multi-auth, as Amplify MULTI_AUTH)', () => {
  it('orders owner, groups and private rules (the token) before public ones (the API key)', () => {
    expect(authProvidersFor(schema.models.Profile!, 'read', both)).toEqual(['token', 'apiKey']);
    expect(authProvidersFor(schema.models.Team!, 'read', both)).toEqual(['token']);
    expect(authProvidersFor(schema.models.Post!, 'read', both)).toEqual(['apiKey']);
  });

  it('keeps only the rules that allow the operation', () => {
    // Public may read Profile but not create it: a create goes with the token only.
    expect(authProvidersFor(schema.models.Profile!, 'create', both)).toEqual(['token']);
  });

  it('gives a signed-out user only the public providers', () => {
    expect(authProvidersFor(schema.models.Profile!, 'read', signedOut)).toEqual(['apiKey']);
    expect(authProvidersFor(schema.models.Post!, 'read', signedOut)).toEqual(['apiKey']);
  });

  it('falls back to what is configured when no rule names an available credential (the server decides)', () => {
    expect(authProvidersFor(schema.models.Note!, 'read', signedOut)).toEqual(['apiKey']);
    expect(authProvidersFor(schema.models.Audit!, 'read', both)).toEqual(['token', 'apiKey']);
    expect(authProvidersFor(schema.models.Open!, 'read', { apiKey: false, signedIn: true })).toEqual(['token']);
  });
});
