/**
 * Lister: the read side of an informer cache as a controller sees it (client-go's listers),
 * implemented by the informer stores in production and by MapLister in unit tests.
 */
export interface Lister<T> {
  get(namespace: string | undefined, name: string): T | undefined;
  list(namespace?: string): T[];
}
