package dev.sluice.console;

import dev.sluice.auth.SessionKeys;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The console's sign-ins: a random session id (the cookie) stands for the key that signed in, held in this
 * replica's memory only, never written anywhere and never sent back to the browser. Each session also has an
 * anti-forgery token that the console's pages send in {@link #CSRF_HEADER} with every call they make; a request
 * that carries the cookie without it (a form or a script on another site) is treated as having no key at all.
 *
 * <p>Every use re-authenticates the key through {@link dev.sluice.auth.KeyGate} (this class only says which key),
 * so a session ends as soon as its key is revoked, expires or is rotated.
 */
@ApplicationScoped
public class ConsoleSessions implements SessionKeys {

    public static final String COOKIE = "sluice_console";
    public static final String CSRF_HEADER = "X-Sluice-CSRF";

    /**
     * One sign-in.
     *
     * @param id   the session id, the cookie's value
     * @param key  the key this session stands for (for authentication only: never rendered)
     * @param csrf the anti-forgery token the session's pages send back
     */
    public record Session(String id, String key, String csrf, long createdAt) {

        /** A session is a credential: its text names none of its values. */
        @Override
        public String toString() {
            return "Session[redacted]";
        }
    }

    /** A session in this replica's table, with when it was last used (its idle timer). */
    private static final class Live {
        final Session session;
        volatile long lastSeen;

        Live(Session session) {
            this.session = session;
            this.lastSeen = session.createdAt();
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Live> sessions = new ConcurrentHashMap<>();
    private final ConsoleConfig config;

    @Inject
    public ConsoleSessions(ConsoleConfig config) {
        this.config = config;
    }

    /** A new session for a key that has just been authenticated. */
    public Session open(String key) {
        long now = System.currentTimeMillis();
        if (sessions.size() >= config.maxSessions()) {
            sessions.values().removeIf(s -> expired(s, now));
            while (sessions.size() >= config.maxSessions()) {
                sessions.values().stream().min(Comparator.comparingLong(s -> s.lastSeen))
                        .ifPresent(s -> sessions.remove(s.session.id()));
            }
        }
        Session s = new Session(token(), key, token(), now);
        sessions.put(s.id(), new Live(s));
        return s;
    }

    /** The live session a {@code Cookie} header names, its idle timer restarted; empty when none. */
    public Optional<Session> find(String cookieHeader) {
        String id = cookie(cookieHeader, COOKIE);
        if (id == null) {
            return Optional.empty();
        }
        Live s = sessions.get(id);
        long now = System.currentTimeMillis();
        if (s == null) {
            return Optional.empty();
        }
        if (expired(s, now)) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s.session);
    }

    public void close(Session s) {
        sessions.computeIfPresent(s.id(), (id, live) -> live.session.equals(s) ? null : live);
    }

    /** Ends every session of a key (it failed authentication: revoked, expired or rotated). */
    public void closeAll(String key) {
        sessions.values().removeIf(s -> s.session.key().equals(key));
    }

    @Override
    public String keyOf(Function<String, String> headers) {
        String cookies = headers.apply("Cookie");
        if (cookies == null || !config.enabled()) {
            return null;
        }
        return find(cookies).filter(s -> tokenMatches(s, headers.apply(CSRF_HEADER))).map(Session::key).orElse(null);
    }

    /** Whether a presented anti-forgery token is the session's (compared in constant time). */
    public static boolean tokenMatches(Session s, String presented) {
        return presented != null && MessageDigest.isEqual(s.csrf().getBytes(StandardCharsets.US_ASCII),
                presented.strip().getBytes(StandardCharsets.US_ASCII));
    }

    /** A 256-bit random token, URL-safe. */
    String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private boolean expired(Live s, long now) {
        return now - s.lastSeen > config.idleTimeout().toMillis()
                || now - s.session.createdAt() > config.maxAge().toMillis();
    }

    /** A cookie's value from a {@code Cookie} header (Netty's RFC 6265 decoder), or null. */
    static String cookie(String header, String name) {
        if (header == null || header.isBlank()) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
            if (c.name().equals(name)) {
                return c.value();
            }
        }
        return null;
    }
}
