import { SignJWT } from 'jose';

/** The HS256 secret the auth test servers verify tokens with. */
export const SECRET = 'auth-per-model-test-secret-0123456789';

/**
 * A schema mixing owner, group and public models. Owner and group models come first in the sync order,
 * so a refusal used to hold back everything after them.
 */
export const AUTH_SDL = /* GraphQL */ `
  type Note @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    text: String!
    owner: String
  }
  type Secret @model @auth(rules: [{ allow: groups, groups: ["Admin"] }]) {
    id: ID!
    text: String!
  }
  type Profile @model @auth(rules: [{ allow: owner }, { allow: public, operations: [read] }]) {
    id: ID!
    name: String!
    owner: String
  }
  type Post @model @auth(rules: [{ allow: public }]) {
    id: ID!
    title: String!
  }
`;

/** A signed HS256 token for `sub`, in `groups`, valid for an hour. */
export const token = (sub: string, groups: string[] = []) =>
  new SignJWT({ 'cognito:groups': groups })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET));
