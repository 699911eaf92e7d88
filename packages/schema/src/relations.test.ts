import { describe, expect, it } from 'vitest';
import { parseSchema } from './parse-schema';

describe('relations without fields (Amplify implicit keys)', () => {
  it('hasMany alone adds <parent><Field>Id to the child', () => {
    const { models } = parseSchema(`
      type Blog @model { posts: [Post] @hasMany }
      type Post @model { title: String }
    `);
    expect(models.Blog?.fields.posts?.relation).toEqual({ kind: 'hasMany', model: 'Post', associatedWith: ['blogPostsId'] });
    expect(models.Post?.fields.blogPostsId).toEqual({
      name: 'blogPostsId',
      type: { kind: 'scalar', name: 'ID' },
      required: false,
      isList: false,
      listItemRequired: false,
    });
  });

  it('hasMany without fields uses the child belongsTo fields when there are any', () => {
    const { models } = parseSchema(`
      type Blog @model { posts: [Post] @hasMany }
      type Post @model { blogID: ID, blog: Blog @belongsTo(fields: ["blogID"]) }
    `);
    expect(models.Blog?.fields.posts?.relation).toEqual({ kind: 'hasMany', model: 'Post', associatedWith: ['blogID'] });
    expect(models.Post?.fields.blogPostsId).toBeUndefined();
  });

  it('belongsTo alone adds <model><Field>Id', () => {
    const { models } = parseSchema(`
      type Blog @model { name: String }
      type Post @model { blog: Blog @belongsTo }
    `);
    expect(models.Post?.fields.blog?.relation).toEqual({ kind: 'belongsTo', model: 'Blog', targetNames: ['postBlogId'] });
    expect(models.Post?.fieldOrder.at(-1)).toBe('postBlogId');
  });

  it('hasOne without fields adds <model><Field>Id on the parent; with fields uses them', () => {
    const { models } = parseSchema(`
      type User @model { profile: Profile @hasOne, avatarID: ID, avatar: Avatar @hasOne(fields: ["avatarID"]) }
      type Profile @model { bio: String }
      type Avatar @model { url: AWSURL }
    `);
    expect(models.User?.fields.profile?.relation).toEqual({ kind: 'hasOne', model: 'Profile', targetNames: ['userProfileId'] });
    expect(models.User?.fields.userProfileId?.type).toEqual({ kind: 'scalar', name: 'ID' });
    expect(models.User?.fields.avatar?.relation).toEqual({ kind: 'hasOne', model: 'Avatar', targetNames: ['avatarID'] });
  });

  it('composite parent keys give one implicit field per key part, typed like the key', () => {
    const { models } = parseSchema(`
      type Shelf @model {
        room: String! @primaryKey(sortKeyFields: ["position"])
        position: Int!
        books: [Book] @hasMany
      }
      type Book @model { title: String, shelf: Shelf @belongsTo }
    `);
    expect(models.Shelf?.fields.books?.relation).toEqual({
      kind: 'hasMany',
      model: 'Book',
      associatedWith: ['shelfBooksRoom', 'shelfBooksPosition'],
    });
    expect(models.Book?.fields.shelf?.relation).toEqual({
      kind: 'belongsTo',
      model: 'Shelf',
      targetNames: ['shelfBooksRoom', 'shelfBooksPosition'],
    });
    expect(models.Book?.fields.shelfBooksPosition?.type).toEqual({ kind: 'scalar', name: 'Int' });
    expect(models.Shelf?.pluralName).toBe('Shelves');
  });

  it('hasMany with a composite index takes as many index fields as the fields argument', () => {
    const { models } = parseSchema(`
      type Blog @model {
        name: String! @primaryKey(sortKeyFields: ["year"])
        year: Int!
        posts: [Post] @hasMany(indexName: "byBlog", fields: ["name", "year"])
      }
      type Post @model {
        blogName: String! @index(name: "byBlog", sortKeyFields: ["blogYear", "title"])
        blogYear: Int!
        title: String!
      }
    `);
    expect(models.Blog?.fields.posts?.relation).toEqual({ kind: 'hasMany', model: 'Post', associatedWith: ['blogName', 'blogYear'] });
  });

  it('manyToMany over composite keys', () => {
    const { models } = parseSchema(`
      type Course @model { code: String! @primaryKey(sortKeyFields: ["term"]), term: String!, students: [Student] @manyToMany(relationName: "Enrolment") }
      type Student @model { students_: String, courses: [Course] @manyToMany(relationName: "Enrolment") }
    `);
    expect(models.Enrolment?.fieldOrder).toEqual(['id', 'courseCode', 'courseTerm', 'studentId', 'course', 'student', 'createdAt', 'updatedAt']);
    expect(models.Enrolment?.indexes).toEqual([
      { name: 'byCourse', fields: ['courseCode', 'courseTerm'] },
      { name: 'byStudent', fields: ['studentId'] },
    ]);
    expect(models.Course?.fields.students?.relation).toEqual({
      kind: 'manyToMany',
      joinModel: 'Enrolment',
      model: 'Student',
      associatedWith: ['courseCode', 'courseTerm'],
    });
  });
});
