package dev.sluice.store;

import io.smallrye.mutiny.Uni;

/**
 * The usage ledger. {@link #append} completes once the line and its balance effect are durably committed; lines
 * from many requests share one transaction (group commit), so a commit costs each request a fraction of a flush.
 * The returned balance is the key's balance right after that transaction (null for keys without a balance, such
 * as the master key).
 */
public interface Ledger {

    Uni<Balance> append(LedgerEntry entry);
}
