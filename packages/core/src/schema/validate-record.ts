import { recordProblem, type NormalizedSchema } from '@offgrid/schema';
import { ValidationError } from '../errors';

/**
 * Checks a record's stored fields against its model; throws a {@link ValidationError} naming the model,
 * the field and the reason. Relation fields and managed metadata are not checked here.
 *
 * @example
 * validateRecord(schema, 'Todo', { id: '1', title: 42 }) // throws "Todo.title: expected a string, got number 42"
 */
export function validateRecord(schema: NormalizedSchema, modelName: string, record: Record<string, unknown>): void {
  const problem = recordProblem(schema, modelName, record);
  if (problem) throw new ValidationError(modelName, problem.field, problem.reason);
}
