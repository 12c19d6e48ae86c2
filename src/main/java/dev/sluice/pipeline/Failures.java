package dev.sluice.pipeline;

import dev.sluice.openai.ApiException;
import dev.sluice.secrets.Secrets;
import dev.sluice.store.StoreUnavailableException;
import io.quarkus.logging.Log;

/**
 * The one rule that turns whatever failure a request meets into the client-facing error every protocol writer
 * then renders in its own shape: refusals pass as they are, an unavailable store is a 503 the client may retry,
 * anything else is a bug, logged without secrets and answered as a 500 naming the request id.
 */
public final class Failures {

    /** The code an unavailable store is answered with (a 503). */
    public static final String STORE_UNAVAILABLE = "store_unavailable";

    private Failures() {
    }

    public static ApiException asApi(Throwable failure, String requestId) {
        if (failure instanceof ApiException a) {
            return a;
        }
        if (failure instanceof StoreUnavailableException s) {
            return new ApiException(503, ApiException.SERVER_ERROR, STORE_UNAVAILABLE, null, s.getMessage());
        }
        Log.errorf("Unexpected failure in request %s: %s", requestId, Secrets.redact(String.valueOf(failure)));
        if (Log.isDebugEnabled()) {
            for (StackTraceElement frame : failure.getStackTrace()) {
                Log.debugf("    at %s", frame);
            }
        }
        return ApiException.internal("The gateway failed to handle this request"
                + (requestId == null ? "" : " (request id " + requestId + ")"));
    }

    /** Whether the failure is one the gateway answers on purpose (a refusal, an outage), not a bug. */
    public static boolean expected(Throwable failure) {
        return failure instanceof ApiException || failure instanceof StoreUnavailableException;
    }

    /** The error code a failure is answered with, without logging it. */
    public static String code(Throwable failure) {
        return failure instanceof ApiException a ? a.code()
                : failure instanceof StoreUnavailableException ? STORE_UNAVAILABLE : "internal_error";
    }

    /** The HTTP status a failure is answered with, without logging it. */
    public static int status(Throwable failure) {
        return failure instanceof ApiException a ? a.status() : failure instanceof StoreUnavailableException ? 503 : 500;
    }
}
