package dev.sluice.store;

/**
 * The database (or the shared Redis) cannot be reached or does not accept a write in time. The store says only
 * that; the edge answers it as a 503 the client may retry, with nothing secret in the message. Keeps its cause
 * for the logs.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
