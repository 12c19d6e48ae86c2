package dev.sluice.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Key changes within this process only (no Redis): other replicas see them at their next periodic refresh. */
public final class LocalKeyChanges implements KeyChanges {

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void publish(String keyId) {
        listeners.forEach(l -> l.accept(keyId));
    }

    @Override
    public void subscribe(Consumer<String> listener) {
        listeners.add(listener);
    }
}
