package dev.sluice.testing;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL and Redis servers the store tests talk to. The project's machines run both locally
 * (127.0.0.1:5432 with trust auth, 127.0.0.1:6379), and those are used whenever they answer. On a machine that has
 * only a JDK, real servers are started from Maven artifacts instead — PostgreSQL from zonky's embedded binaries,
 * Redis from embedded-redis's — once per test JVM, and the substitution is announced. With
 * {@code SLUICE_REQUIRE_TOOLS=1} (CI) nothing is substituted: a missing local server fails the test.
 */
public final class LocalServices {

    private static final String HOST = "127.0.0.1";
    private static String postgres;
    private static String redis;

    private LocalServices() {
    }

    /** A JDBC URL prefix for the server: append a database name and {@link #POSTGRES_USER}. */
    public static synchronized String postgres() {
        if (postgres == null) {
            if (answers(5432)) {
                postgres = "jdbc:postgresql://" + HOST + ":5432/";
            } else {
                requireSubstitutionAllowed("PostgreSQL", 5432);
                try {
                    EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            pg.close();
                        } catch (IOException ignored) {
                            // the JVM is going away
                        }
                    }));
                    announce("PostgreSQL", 5432, pg.getPort());
                    postgres = "jdbc:postgresql://" + HOST + ":" + pg.getPort() + "/";
                    try (var c = pg.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
                        s.execute("CREATE DATABASE test");
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("PostgreSQL is not running on 127.0.0.1:5432 and an embedded "
                            + "one could not be started", e);
                }
            }
        }
        return postgres;
    }

    /** The user every test connects as (trust authentication, no password). */
    public static final String POSTGRES_USER = "?user=postgres";

    /** A {@code redis://} URL of the server. */
    public static synchronized String redis() {
        if (redis == null) {
            if (answers(6379)) {
                redis = "redis://" + HOST + ":6379";
            } else {
                requireSubstitutionAllowed("Redis", 6379);
                try {
                    int port = freePort();
                    RedisServer server = RedisServer.newRedisServer().port(port).bind(HOST)
                            .setting("save \"\"").setting("appendonly no").build();
                    server.start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            server.stop();
                        } catch (Exception ignored) {
                            // the JVM is going away
                        }
                    }));
                    announce("Redis", 6379, port);
                    redis = "redis://" + HOST + ":" + port;
                } catch (Exception e) {
                    throw new IllegalStateException("Redis is not running on 127.0.0.1:6379 and an embedded one "
                            + "could not be started", e);
                }
            }
        }
        return redis;
    }

    /** Deletes every Redis key under a prefix (a test run's own keys). */
    public static void deleteRedisKeys(String prefix) {
        Vertx vertx = Vertx.vertx();
        try {
            RedisAPI api = RedisAPI.api(Redis.createClient(vertx, redis()));
            var keys = api.keys(prefix + ":*").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            List<String> names = keys.stream().map(Object::toString).toList();
            if (!names.isEmpty()) {
                api.del(names).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            api.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not clean Redis keys " + prefix + ":*", e);
        } finally {
            vertx.close();
        }
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireSubstitutionAllowed(String what, int port) {
        if ("1".equals(System.getenv("SLUICE_REQUIRE_TOOLS"))) {
            throw new IllegalStateException(what + " is not running on 127.0.0.1:" + port
                    + " (SLUICE_REQUIRE_TOOLS=1: the machine's own server is required; .ci/run starts it)");
        }
    }

    private static void announce(String what, int port, int actual) {
        System.err.println("*** " + what + " is not running on 127.0.0.1:" + port + ": the tests use an embedded "
                + what + " started from its Maven artifact on port " + actual + " ***");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
