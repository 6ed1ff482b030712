import type { IPrincipal } from '../../src/db/entities/index.js';

/** The order principals are listed and named in: by creation, then by id (two may share a millisecond). */
export function inListOrder<P extends Pick<IPrincipal, 'id' | 'createdAt'>>(...principals: P[]): P[] {
  return principals.sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || (x.id < y.id ? -1 : 1));
}
