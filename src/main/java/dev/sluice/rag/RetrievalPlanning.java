package dev.sluice.rag;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.ExchangeInterceptor;
import dev.sluice.pipeline.Stage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Plans a request's retrieval before metering runs, so that its reservation covers every page the request may read
 * and every token retrieval may add, while the pages themselves are fetched only once the request is admitted.
 */
@ApplicationScoped
public class RetrievalPlanning implements ExchangeInterceptor {

    @Inject
    RetrievalInterceptor retrieval;

    @Override
    public Stage stage() {
        return Stage.RETRIEVAL_PLAN;
    }

    @Override
    public Uni<Void> beforeUpstream(Exchange exchange) {
        try {
            retrieval.planned(exchange);
            return CONTINUE;
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }
}
