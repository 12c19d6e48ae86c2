package dev.sluice.provider;

import dev.sluice.openai.ApiException;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One request's inline images: bounded in number, in bytes held together, and in fetches at once. */
class RemoteImagesTest {

    @Test
    void fetchesRunAtMostConcurrencyAtOnceAndAllLand() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> landed = new ArrayList<>();
        List<Integer> pending = List.of(0, 1, 2, 3, 4, 5, 6, 7);
        RemoteImages.inline(pending, i -> "img" + i, i -> Uni.createFrom().item(() -> {
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    return new RemoteImages.Image("image/png", new byte[10]);
                }).onItem().delayIt().by(Duration.ofMillis(20)).invoke(() -> inFlight.decrementAndGet()),
                (i, image) -> {
                    synchronized (landed) {
                        landed.add(i);
                    }
                }, new RemoteImages.Limits(8, 1000, 3)).await().atMost(Duration.ofSeconds(5));
        assertEquals(8, landed.size());
        assertTrue(most.get() <= 3, "at most 3 fetches at once, saw " + most.get());
    }

    @Test
    void imagesHoldingMoreThanTheBudgetTogetherAreRefused() {
        ApiException e = assertThrows(ApiException.class, () -> RemoteImages.inline(List.of(0, 1, 2), i -> "img" + i,
                i -> Uni.createFrom().item(new RemoteImages.Image("image/png", new byte[60])), (i, image) -> { },
                new RemoteImages.Limits(5, 100, 1)).await().atMost(Duration.ofSeconds(5)));
        assertEquals(400, e.status());
        assertEquals("images_too_large", e.code());
        assertEquals("img1", e.param());
    }
}
