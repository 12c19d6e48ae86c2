package dev.sluice.store;

/**
 * A key's durable balance after a given number of ledger amounts: replicas apply a balance only if its
 * {@code seq} is newer than the one they hold, so updates arriving out of order never roll a balance back.
 */
public record Balance(String keyId, long micros, long seq) {
}
