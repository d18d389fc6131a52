package io.genos.portal.api;

import io.genos.orchestrator.EnvironmentNotFoundException;
import io.genos.orchestrator.IllegalTransitionException;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.QuotaExceededException;
import io.genos.orchestrator.RuntimeFailureException;
import io.genos.orchestrator.SnapshotNotFoundException;
import io.genos.portal.service.LaunchRefusedException;
import io.genos.portal.service.NotAllowedException;
import io.genos.portal.service.RateLimitedException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every refusal as {@code application/problem+json} (RFC 9457): a status, a title, the reason in {@code detail}, and
 * the {@code rule} that refused it ({@code policy}, {@code quota}, {@code rate}, {@code owner-or-admin},
 * {@code transition}, {@code request}, {@code runtime}); a policy refusal lists each violation. Spring's own errors
 * (unreadable JSON, wrong method, unknown path) come in the same form.
 */
@RestControllerAdvice(basePackageClasses = ApiErrors.class)
class ApiErrors extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
    static final String TYPES = "https://genos.io/problems/";

    @ExceptionHandler
    ResponseEntity<ProblemDetail> refused(LaunchRefusedException e) {
        ProblemDetail p = problem(HttpStatus.UNPROCESSABLE_CONTENT, "Refused by policy", e.getMessage(), "policy");
        p.setProperty("violations", e.reasons());
        return respond(p);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> quota(QuotaExceededException e) {
        ProblemDetail p = problem(HttpStatus.CONFLICT, "Over quota", e.getMessage(), "quota");
        p.setProperty("limit", e.limit());
        return respond(p);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
        return respond(problem(HttpStatus.UNPROCESSABLE_CONTENT, "Cannot be done", e.getMessage(), "request"));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> badInput(IllegalArgumentException e) {
        return respond(problem(HttpStatus.BAD_REQUEST, "Bad request", e.getMessage(), "request"));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notAllowed(NotAllowedException e) {
        return respond(problem(HttpStatus.FORBIDDEN, "Not allowed", e.getMessage(), "owner-or-admin"));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notFound(EnvironmentNotFoundException e) {
        return respond(problem(HttpStatus.NOT_FOUND, "No such environment", e.getMessage(), "request"));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> noSnapshot(SnapshotNotFoundException e) {
        return respond(problem(HttpStatus.NOT_FOUND, "No such snapshot", e.getMessage(), "request"));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> transition(IllegalTransitionException e) {
        return respond(problem(HttpStatus.CONFLICT, "Not in this state", e.getMessage(), "transition"));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> rate(RateLimitedException e) {
        ProblemDetail p = problem(HttpStatus.TOO_MANY_REQUESTS, "Too many requests", e.getMessage(), "rate");
        return ResponseEntity.status(p.getStatus()).header(HttpHeaders.RETRY_AFTER, "60")
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> runtime(RuntimeFailureException e) {
        log.warn("API: the runtime failed: {}", e.getMessage());
        return respond(problem(HttpStatus.BAD_GATEWAY, "The runtime failed", e.getMessage(), "runtime"));
    }

    static ProblemDetail problem(HttpStatus status, String title, String detail, String rule) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        p.setType(URI.create(TYPES + rule));
        p.setProperty("rule", rule);
        return p;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus()).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }
}
