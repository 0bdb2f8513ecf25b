import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A query on the outer database handle while a transaction of the same handle is open.
 * On PGlite (one connection) such a query waits for the transaction, which waits for the
 * query: the process freezes. On PostgreSQL it runs outside the transaction on a second
 * connection, so it neither sees the transaction's writes nor is undone with them.
 */
export class OuterHandleInTransaction extends Error {
  constructor() {
    super('outer database handle used inside a transaction; pass the transaction handle');
    this.name = 'OuterHandleInTransaction';
  }
}

/** The drizzle session methods every query and transaction of a handle goes through. */
type Session = {
  prepareQuery(...args: unknown[]): unknown;
  transaction(work: (tx: unknown) => Promise<unknown>, config?: unknown): Promise<unknown>;
};

/** One open transaction; `outer` links transactions of other handles opened inside it. */
type Scope = { session: Session; open: boolean; outer: Scope | undefined };

const transactions = new AsyncLocalStorage<Scope>();

function insideTransactionOf(session: Session): boolean {
  for (let scope = transactions.getStore(); scope; scope = scope.outer) {
    if (scope.open && scope.session === session) return true;
  }
  return false;
}

/**
 * Makes a handle's queries throw OuterHandleInTransaction while the current async context is
 * inside one of its transactions, on both drivers, so the PostgreSQL tests catch what would
 * freeze embedded mode. Every drizzle query (builders, relational queries, execute, $count,
 * migrations) is prepared through `session.prepareQuery`; a transaction's handle has a
 * session of its own, so only the outer handle is affected. The scope closes when the
 * transaction's callback settles: work it started that outlives it may use the handle again.
 */
export function guardOuterHandle(db: object): void {
  const session = (db as { session: Session }).session;
  const prepareQuery = session.prepareQuery.bind(session);
  const transaction = session.transaction.bind(session);
  session.prepareQuery = (...args) => {
    if (insideTransactionOf(session)) throw new OuterHandleInTransaction();
    return prepareQuery(...args);
  };
  session.transaction = (work, config) => {
    if (insideTransactionOf(session)) return Promise.reject(new OuterHandleInTransaction());
    return transaction((tx) => {
      const scope: Scope = { session, open: true, outer: transactions.getStore() };
      return transactions.run(scope, async () => {
        try {
          return await work(tx);
        } finally {
          scope.open = false;
        }
      });
    }, config);
  };
}
