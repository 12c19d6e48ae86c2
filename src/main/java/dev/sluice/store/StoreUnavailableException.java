package dev.sluice.store;

import dev.sluice.api.ApiException;

/** The database cannot be reached: the client gets a 503 it may retry, with nothing secret in the message. */
public class StoreUnavailableException extends ApiException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(503, SERVER_ERROR, "store_unavailable", null, message);
    }
}
