package dev.sluice.fetch;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.concurrent.Future;
import io.smallrye.mutiny.Uni;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Looks host names up without holding a thread: Netty's DNS resolver (the one Vert.x itself uses) on a Vert.x
 * event loop, reading {@code /etc/hosts} and {@code /etc/resolv.conf} (name servers, search domains) like the
 * system's. The JDK's {@code InetAddress} lookup blocks a worker thread for as long as the name servers take (5 s
 * per try, several tries) and cannot be interrupted: a request's deadline could end the fetch but not the lookup,
 * so a host whose name servers never answer pinned a worker thread per fetch. Here a lookup is bounded by the
 * time its fetch has left and is simply abandoned past it (cancelled; its query expires on its own timeout).
 */
public final class AsyncHostResolver implements HostResolver {

    private final DnsNameResolver resolver;

    /** The system's name servers. */
    public AsyncHostResolver(EventLoop loop, Duration queryTimeout) {
        this(loop, queryTimeout, DnsServerAddressStreamProviders.platformDefault());
    }

    AsyncHostResolver(EventLoop loop, Duration queryTimeout, DnsServerAddressStreamProvider nameServers) {
        this.resolver = new DnsNameResolverBuilder(loop)
                .datagramChannelType(NioDatagramChannel.class)
                .nameServerProvider(nameServers)
                .queryTimeoutMillis(Math.max(1, queryTimeout.toMillis()))
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                .build();
    }

    @Override
    public Uni<List<InetAddress>> resolve(String host, Duration within) {
        return Uni.createFrom().<List<InetAddress>>emitter(em -> {
                    Future<List<InetAddress>> lookup = resolver.resolveAll(host);
                    em.onTermination(() -> lookup.cancel(false));
                    lookup.addListener(done -> {
                        if (done.isSuccess()) {
                            em.complete(lookup.getNow());
                        } else if (!done.isCancelled()) {
                            em.fail(FetchException.failed("the host name '" + host + "' could not be resolved"));
                        }
                    });
                })
                .ifNoItem().after(within.isNegative() || within.isZero() ? Duration.ofMillis(1) : within)
                .failWith(() -> FetchException.failed("the host name '" + host + "' was not resolved within "
                        + within.toMillis() + " ms"));
    }

    /** Closes the resolver's socket. */
    public void close() {
        resolver.close();
    }
}
