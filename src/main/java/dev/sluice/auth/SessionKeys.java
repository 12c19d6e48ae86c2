package dev.sluice.auth;

import java.util.function.Function;

/**
 * Another way for a request to present a key: a browser session (the console's cookie) that stands for a key
 * signed in earlier. The key it yields is then authenticated like a key sent in a header, by the same
 * {@link KeyAuthenticator}s, so a session of a key revoked or rotated since stops working at once.
 */
public interface SessionKeys {

    /**
     * The key the request's session stands for, or null when it has none. An implementation must refuse (null)
     * a request that does not prove it comes from the session's own pages (its anti-forgery token).
     */
    String keyOf(Function<String, String> headers);
}
