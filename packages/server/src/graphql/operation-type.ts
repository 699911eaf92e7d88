import { Kind, type DocumentNode, type OperationTypeNode } from 'graphql';

/**
 * The type of the operation a request runs: the one named by `operationName`, or the document's only one.
 *
 * @example
 * if (operationType(document, body.operationName) === 'subscription') refuse()
 */
export function operationType(document: DocumentNode, operationName: unknown): OperationTypeNode | undefined {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const chosen = typeof operationName === 'string' ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  return chosen?.operation;
}
