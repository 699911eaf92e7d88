import { scalarProblem, type ScalarType } from '@offgrid/schema';
import { GraphQLError, GraphQLScalarType, valueFromASTUntyped, type GraphQLSchema } from 'graphql';

/** The AppSync scalars whose inputs are checked; ID/String/Int/Float/Boolean are graphql-js's own. */
const AWS_SCALARS: ScalarType[] = ['AWSDate', 'AWSTime', 'AWSDateTime', 'AWSTimestamp', 'AWSEmail', 'AWSJSON', 'AWSURL', 'AWSPhone', 'AWSIPAddress'];

/**
 * Makes the AppSync scalars of an executable schema refuse malformed input values (variables and
 * literals) while coercing arguments, as AppSync does. A schema built from SDL gives custom scalars an
 * accept-anything parser, so `lastSync: "yesterday"` or `email: 42` would otherwise reach resolvers and
 * the database (where PostgreSQL rejects them as an internal error). Output is left as stored.
 *
 * @example
 * strictAwsScalars(buildExecutableSchema(schema))
 */
export function strictAwsScalars(schema: GraphQLSchema): void {
  for (const name of AWS_SCALARS) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) continue;
    const check = (value: unknown): unknown => {
      const problem = scalarProblem(name, value);
      if (problem) throw new GraphQLError(`${problem[0]!.toUpperCase()}${problem.slice(1)}.`);
      return value;
    };
    type.parseValue = check;
    type.parseLiteral = (ast, variables) => check(valueFromASTUntyped(ast, variables));
  }
}
