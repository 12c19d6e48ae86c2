package dev.sluice.extract;

import io.vertx.core.Context;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The application's real extractor, observed: it records the thread every extraction runs on (and whether that
 * is a Vert.x event-loop thread), and can make the extraction of pages whose URL contains a marker take longer,
 * as a heavy page would. Enabled only by {@link ObservedExtractionProfile}.
 */
@Alternative
@Singleton
public class ObservedExtractor extends ContentExtractor {

    /** One extraction: the page's URL, the thread's name, whether it was an event-loop thread. */
    public record Call(String url, String thread, boolean eventLoop) {
    }

    private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    private static volatile String slowMarker;
    private static volatile Duration slowFor = Duration.ZERO;

    public static List<Call> calls() {
        return List.copyOf(CALLS);
    }

    /** Pages whose URL contains {@code marker} take {@code extra} longer to extract (null marker: none). */
    public static void slowDown(String marker, Duration extra) {
        slowMarker = marker;
        slowFor = extra;
    }

    public static void reset() {
        CALLS.clear();
        slowDown(null, Duration.ZERO);
    }

    @Override
    public ExtractedPage extract(String html, String baseUrl, ExtractOptions options) {
        boolean eventLoop = Context.isOnEventLoopThread();
        CALLS.add(new Call(baseUrl, Thread.currentThread().getName(), eventLoop));
        String marker = slowMarker;
        if (!eventLoop && marker != null && baseUrl != null && baseUrl.contains(marker)) {
            try {
                Thread.sleep(slowFor.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return super.extract(html, baseUrl, options);
    }
}
