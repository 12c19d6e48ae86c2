package dev.sluice.extract.fetch;

import io.smallrye.mutiny.Uni;

import java.net.InetAddress;
import java.util.List;

/** Looks a host name up once; the fetcher then connects to an address from that one answer. */
@FunctionalInterface
public interface HostResolver {

    Uni<List<InetAddress>> resolve(String host);
}
