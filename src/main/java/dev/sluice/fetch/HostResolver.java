package dev.sluice.fetch;

import io.smallrye.mutiny.Uni;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/** Looks a host name up once; the fetcher then connects to an address from that one answer. */
@FunctionalInterface
public interface HostResolver {

    /**
     * @param within the time the fetch has left: a lookup still unanswered then fails, and holds nothing
     */
    Uni<List<InetAddress>> resolve(String host, Duration within);
}
