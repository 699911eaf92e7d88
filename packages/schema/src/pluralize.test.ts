import { describe, expect, it } from 'vitest';
import { pluralize } from './pluralize';

describe('pluralize', () => {
  it.each([
    ['Todo', 'Todos'],
    ['Shelf', 'Shelves'],
    ['Diary', 'Diaries'],
    ['Box', 'Boxes'],
    ['Bus', 'Buses'],
    ['Person', 'People'],
    ['SalesPerson', 'SalesPeople'],
    ['Post', 'Posts'],
    ['Day', 'Days'],
    ['Class', 'Classes'],
    ['Status', 'Statuses'],
    ['Church', 'Churches'],
    ['Wife', 'Wives'],
    ['Hero', 'Heroes'],
    ['Photo', 'Photos'],
    ['Analysis', 'Analyses'],
    ['Quiz', 'Quizzes'],
    ['Index', 'Indices'],
    ['PostTags', 'PostTags'],
    ['Data', 'Data'],
    ['Human', 'Humans'],
    ['BlogPost', 'BlogPosts'],
    ['Category', 'Categories'],
    ['X', 'Xes'],
  ])('%s -> %s', (name, plural) => {
    expect(pluralize(name)).toBe(plural);
  });
});
