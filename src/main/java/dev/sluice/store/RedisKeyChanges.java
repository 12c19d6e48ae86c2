package dev.sluice.store;

import io.quarkus.logging.Log;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Key changes broadcast over Redis pub/sub: every replica re-reads a changed key within milliseconds. The
 * subscription reconnects by itself; a message missed while it was down is caught by the periodic refresh.
 */
public final class RedisKeyChanges implements KeyChanges {

    private final Redis client;
    private final RedisAPI api;
    private final Vertx vertx;
    private final String channel;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public RedisKeyChanges(Redis client, RedisAPI api, Vertx vertx, String prefix) {
        this.client = client;
        this.api = api;
        this.vertx = vertx;
        this.channel = prefix + ":key-changes";
        connect();
    }

    private void connect() {
        if (closed) {
            return;
        }
        client.connect().subscribe().with(this::listen, f -> {
            Log.warnf("Redis subscription to %s failed (%s); retrying", channel, f.getMessage());
            vertx.setTimer(1000, t -> connect());
        });
    }

    private void listen(RedisConnection connection) {
        connection.handler(message -> {
            if (message != null && message.size() == 3 && "message".equals(message.get(0).toString())) {
                String keyId = message.get(2).toString();
                listeners.forEach(l -> l.accept(keyId));
            }
        });
        Runnable reconnect = () -> {
            if (!closed) {
                Log.warnf("Redis subscription to %s lost; reconnecting", channel);
                vertx.setTimer(1000, t -> connect());
            }
        };
        connection.exceptionHandler(f -> connection.close().subscribe().with(v -> { }, e -> { }));
        connection.endHandler(reconnect);
        connection.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).subscribe().with(r -> { },
                f -> Log.warnf("Redis SUBSCRIBE failed: %s", f.getMessage()));
    }

    @Override
    public void publish(String keyId) {
        api.publish(channel, keyId).subscribe().with(r -> { },
                f -> Log.warnf("Could not announce a change of key %s over Redis: %s", keyId, f.getMessage()));
    }

    @Override
    public void subscribe(Consumer<String> listener) {
        listeners.add(listener);
    }

    public void close() {
        closed = true;
    }
}
