import { describe, expect, it } from 'vitest';
import { parseSchema } from './parse-schema';

function authOf(rules: string, fields = 'title: String') {
  const model = parseSchema(`type Doc @model @auth(rules: [${rules}]) { ${fields} }`).models.Doc;
  if (!model) throw new Error('no model');
  return model;
}

describe('@auth rules', () => {
  it('maps Amplify read operations to read and keeps canonical order', () => {
    expect(authOf('{ allow: private, operations: [delete, get, list, listen, sync, search, create] }').auth).toEqual([
      { allow: 'private', operations: ['create', 'read', 'delete'] },
    ]);
  });

  it('keeps custom owner fields, claims and providers; adds the owner field once', () => {
    const model = authOf(
      '{ allow: owner, ownerField: "author", identityClaim: "sub::username", provider: userPools, operations: [create, update] }, { allow: owner, ownerField: "author" }',
    );
    expect(model.auth).toEqual([
      { allow: 'owner', ownerField: 'author', identityClaim: 'sub::username', provider: 'userPools', operations: ['create', 'update'] },
      { allow: 'owner', ownerField: 'author', identityClaim: 'sub', operations: ['create', 'read', 'update', 'delete'] },
    ]);
    expect(model.fieldOrder).toEqual(['id', 'title', 'createdAt', 'updatedAt', 'author']);
  });

  it('does not add an owner field the model declares', () => {
    const model = authOf('{ allow: owner }', 'title: String, owner: String!');
    expect(model.fields.owner?.required).toBe(true);
    expect(model.fieldOrder).toEqual(['id', 'title', 'owner', 'createdAt', 'updatedAt']);
  });

  it('reads static and dynamic groups', () => {
    const model = authOf('{ allow: groups, groups: ["Admin", "Editor"] }, { allow: groups, groupsField: "readers", groupClaim: "roles", operations: [read] }');
    expect(model.auth).toEqual([
      { allow: 'groups', groups: ['Admin', 'Editor'], groupClaim: 'cognito:groups', operations: ['create', 'read', 'update', 'delete'] },
      { allow: 'groups', groupsField: 'readers', groupClaim: 'roles', operations: ['read'] },
    ]);
    expect(model.fields.readers).toMatchObject({ type: { kind: 'scalar', name: 'String' }, isList: true, required: false });
  });

  it('reads public with a provider and custom', () => {
    expect(authOf('{ allow: public, provider: apiKey }, { allow: custom }').auth).toEqual([
      { allow: 'public', provider: 'apiKey', operations: ['create', 'read', 'update', 'delete'] },
      { allow: 'custom', operations: ['create', 'read', 'update', 'delete'] },
    ]);
  });

  it('gives a join model the rules of both sides and their owner field', () => {
    const { models } = parseSchema(`
      type Post @model @auth(rules: [{ allow: owner }, { allow: public, operations: [read] }]) { tags: [Tag] @manyToMany(relationName: "PostTags") }
      type Tag @model @auth(rules: [{ allow: public, operations: [read] }]) { posts: [Post] @manyToMany(relationName: "PostTags") }
    `);
    expect(models.PostTags?.auth).toEqual([
      { allow: 'owner', ownerField: 'owner', identityClaim: 'sub', operations: ['create', 'read', 'update', 'delete'] },
      { allow: 'public', operations: ['read'] },
    ]);
    expect(models.PostTags?.fields.owner?.type).toEqual({ kind: 'scalar', name: 'String' });
  });
});
