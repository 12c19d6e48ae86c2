package dev.sluice.provider.bedrock;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent check of an AWS Signature Version 4, written from AWS's published algorithm (canonical request,
 * string to sign, derived signing key) for tests only: it recomputes the signature of a request as the upstream
 * received it and says whether the Authorization header carries exactly that signature.
 */
final class SigV4Verifier {

    static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)/(\\d{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request, "
                    + "SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

    /** The parts of an Authorization header. */
    record Authorization(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
                         String signature) {
        static Authorization parse(String header) {
            Matcher m = AUTHORIZATION.matcher(header);
            if (!m.matches()) {
                throw new AssertionError("not a SigV4 Authorization header: " + header);
            }
            return new Authorization(m.group(1), m.group(2), m.group(3), m.group(4), List.of(m.group(5).split(";")),
                    m.group(6));
        }
    }

    private SigV4Verifier() {
    }

    /**
     * The signature of a request.
     *
     * @param rawPath  the path as sent (already URI-encoded once)
     * @param rawQuery the query as sent, or null
     * @param header   reads a received header
     */
    static String signature(String secretKey, String method, String rawPath, String rawQuery,
                            Function<String, String> header, List<String> signedHeaders, byte[] body,
                            String region, String service) {
        String amzDate = header.apply("x-amz-date");
        StringBuilder canonical = new StringBuilder();
        canonical.append(method).append('\n');
        // services other than S3 encode each path segment a second time
        canonical.append(rawPath.replace("%", "%25")).append('\n');
        canonical.append(canonicalQuery(rawQuery)).append('\n');
        for (String name : signedHeaders) {
            canonical.append(name).append(':').append(header.apply(name).strip().replaceAll("\\s+", " ")).append('\n');
        }
        canonical.append('\n').append(String.join(";", signedHeaders)).append('\n');
        canonical.append(hex(sha256(body == null ? new byte[0] : body)));
        String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return hex(hmac(key, toSign));
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>(List.of(rawQuery.split("&")));
        pairs.replaceAll(p -> p.contains("=") ? p : p + "=");
        pairs.sort(null);
        return String.join("&", pairs);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes).toLowerCase(Locale.ROOT);
    }
}
