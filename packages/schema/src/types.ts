/**
 * The normalized model schema: what `parseSchema` makes of a GraphQL SDL.
 *
 * It is plain JSON (serialisable, comparable), so the client can ship it as a module and
 * the server and client agree on it by `hash`.
 */

/** Amplify's scalars plus GraphQL's built-ins. */
export type ScalarType =
  | 'ID'
  | 'String'
  | 'Int'
  | 'Float'
  | 'Boolean'
  | 'AWSDate'
  | 'AWSTime'
  | 'AWSDateTime'
  | 'AWSTimestamp'
  | 'AWSEmail'
  | 'AWSJSON'
  | 'AWSURL'
  | 'AWSPhone'
  | 'AWSIPAddress';

/** The type of a field's value. */
export type FieldType =
  | { kind: 'scalar'; name: ScalarType }
  | { kind: 'enum'; name: string }
  /** An embedded (non-model) type, stored inside the record. */
  | { kind: 'nonModel'; name: string }
  /** A reference to another model; only fields with a `relation` have it. */
  | { kind: 'model'; name: string };

/** How a relation field connects two models. */
export type Relation =
  | {
      kind: 'belongsTo';
      /** The related (parent) model. */
      model: string;
      /** Fields on THIS model holding the parent's primary key, in key order. */
      targetNames: string[];
    }
  | {
      kind: 'hasOne';
      model: string;
      /** Fields on THIS model holding the child's primary key, in key order. */
      targetNames: string[];
    }
  | {
      kind: 'hasMany';
      model: string;
      /** Fields on the RELATED model that hold this model's primary key, in key order. */
      associatedWith: string[];
    }
  | {
      /** `@manyToMany(relationName: "PostTags")`: a hasMany to the generated join model. */
      kind: 'manyToMany';
      /** The generated join model, e.g. `PostTags`. */
      joinModel: string;
      /** The model on the other side, e.g. `Tag`. */
      model: string;
      /** Fields on the join model that hold this model's key. */
      associatedWith: string[];
    };

export interface FieldDefinition {
  name: string;
  type: FieldType;
  /** `String!` (for lists: the list itself is required). */
  required: boolean;
  isList: boolean;
  /** For lists: `[String!]` */
  listItemRequired: boolean;
  /** Set for relation fields; these are not stored in the record. */
  relation?: Relation;
  /** `@default(value: "...")`, as written in the SDL (a string). */
  default?: string;
  /**
   * True for fields the server manages (`createdAt`, `updatedAt` added implicitly or declared
   * as AWSDateTime by Amplify convention); clients never send them as edits.
   */
  readOnly?: boolean;
}

export interface IndexDefinition {
  /** Index name (`@index(name: ...)`), or `byPrimaryKey` style generated name. */
  name: string;
  /** Partition field first, then sort key fields. */
  fields: string[];
  /** `@index(queryField: ...)` if given. */
  queryField?: string;
}

/** One `@auth` rule, normalized. */
export interface AuthRule {
  allow: 'owner' | 'groups' | 'public' | 'private' | 'custom';
  /** For owner rules: the field holding the owner (default `owner`). */
  ownerField?: string;
  /** For owner rules: the claim to read the owner from (default `sub::username` as Amplify; we use `sub`). */
  identityClaim?: string;
  /** Static groups. */
  groups?: string[];
  /** Dynamic groups: the field holding group names. */
  groupsField?: string;
  /** Claim carrying the caller's groups (default `cognito:groups`). */
  groupClaim?: string;
  /** `apiKey`, `userPools`, `oidc`, `iam`, `function` as written, if any. */
  provider?: string;
  /** Operations this rule allows; defaults to all of create, read, update, delete. */
  operations: Array<'create' | 'read' | 'update' | 'delete'>;
}

export interface ModelDefinition {
  name: string;
  /** Amplify's plural for `syncXs`/`listXs` (e.g. `Shelves`, `Diaries`, `Todos`). */
  pluralName: string;
  /** Fields in SDL order, including relation fields and implicit fields (`id`, `createdAt`, `updatedAt`). */
  fields: Record<string, FieldDefinition>;
  /** Field order as declared, for stable output. */
  fieldOrder: string[];
  /**
   * Primary key: first the partition key field, then the sort key fields. `['id']` when the model
   * has no `@primaryKey` (a managed id the client generates as a UUID).
   */
  primaryKey: string[];
  /** True when the key is the implicit/`@primaryKey`-less `id` the store generates. */
  managedId: boolean;
  /** Secondary indexes from `@index`. */
  indexes: IndexDefinition[];
  auth: AuthRule[];
  /** True for join models generated from `@manyToMany`. */
  isJoinModel?: boolean;
  /** `@model(timestamps: null)` turns off createdAt/updatedAt. */
  timestamps: { createdAt?: string; updatedAt?: string };
}

export interface NonModelDefinition {
  name: string;
  fields: Record<string, FieldDefinition>;
  fieldOrder: string[];
}

export interface EnumDefinition {
  name: string;
  values: string[];
}

export interface NormalizedSchema {
  /** Format version of this structure. */
  formatVersion: 1;
  /** Stable hash (hex) of everything below: the same SDL meaning gives the same hash. */
  hash: string;
  models: Record<string, ModelDefinition>;
  nonModels: Record<string, NonModelDefinition>;
  enums: Record<string, EnumDefinition>;
}
