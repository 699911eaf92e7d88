import type { DocumentNode } from 'graphql';

/**
 * Parsed and validated documents by query text. Clients send the same few documents over and over (every
 * push is the same `pushMutations` text), so parsing and validating each time is wasted work. Only valid
 * documents are kept; the oldest is evicted past `capacity`.
 */
export class DocumentCache {
  private readonly documents = new Map<string, DocumentNode>();

  constructor(private readonly capacity = 500) {}

  get(query: string): DocumentNode | undefined {
    const document = this.documents.get(query);
    if (document) {
      this.documents.delete(query);
      this.documents.set(query, document);
    }
    return document;
  }

  set(query: string, document: DocumentNode): void {
    this.documents.set(query, document);
    if (this.documents.size > this.capacity) this.documents.delete(this.documents.keys().next().value!);
  }
}
