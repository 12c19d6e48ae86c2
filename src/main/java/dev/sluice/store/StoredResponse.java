package dev.sluice.store;

/**
 * A response kept for the Responses API.
 *
 * @param id        the response id ({@code resp_...})
 * @param keyId     the key that made it; no other key can read or delete it
 * @param createdAt epoch milliseconds
 * @param expiresAt epoch milliseconds after which it is gone
 * @param context   the input items it was generated from, earlier turns first (a JSON array)
 * @param body      the Response object (JSON)
 */
public record StoredResponse(String id, String keyId, long createdAt, long expiresAt, String context, String body) {
}
