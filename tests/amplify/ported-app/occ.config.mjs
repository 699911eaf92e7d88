// `offgrid serve --config`: Post conflicts reach the client's conflictHandler (OPTIMISTIC_CONCURRENCY); the rest merge.
export default { conflicts: { Post: { strategy: 'OPTIMISTIC_CONCURRENCY' } } };
