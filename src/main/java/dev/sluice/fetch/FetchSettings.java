package dev.sluice.fetch;

import java.time.Duration;
import java.util.List;

/**
 * The fetcher's limits and policy, read from {@code sluice.extract.*}.
 *
 * @param connectTimeout opening a connection
 * @param timeout        default time for a whole fetch, redirects included
 * @param maxTimeout     the most a request's {@code timeout_ms} may ask for
 * @param maxBodyBytes   the largest body accepted, counted after decompression
 * @param maxHeaderBytes the largest response header block accepted
 * @param maxRedirects   redirects followed before giving up
 * @param userAgent      the User-Agent sent
 * @param allowedCidrs   private networks the operator allows
 * @param allowedHosts   host names (or {@code *.suffix}) the operator allows whatever they resolve to
 * @param allowDomains   when not empty, the only domains that may be fetched
 * @param denyDomains    domains never fetched
 */
public record FetchSettings(Duration connectTimeout, Duration timeout, Duration maxTimeout, long maxBodyBytes,
                            int maxHeaderBytes, int maxRedirects, String userAgent, List<String> allowedCidrs,
                            List<String> allowedHosts, List<String> allowDomains, List<String> denyDomains) {

    /** The deadline a request gets: its own {@code timeout} (null for the default), capped at {@code maxTimeout}. */
    public Duration limit(Duration requested) {
        return requested == null ? timeout : requested.compareTo(maxTimeout) > 0 ? maxTimeout : requested;
    }
}
