/**
 * Step 7. HTTP in, entities out: {@link xner.serve.TagServer} (Jetty) answers {@code POST /} and
 * {@code /predict} as the Hugging Face Inference API answers token classification, through a queue whose one
 * worker tags the waiting requests together ({@code Batcher}); {@code GET /health}; {@code GET /}, a page that
 * highlights the entities of a typed text. Refusals are JSON {@code {"error": "..."}} with 400, 401, 404, 405,
 * 413, 415, 422, 500 or 503, never a stack trace.
 *
 * <p>The correction page on the same Jetty setup: a batch in ({@link xner.serve.AnnotationBatch}), one text at a
 * time to a browser ({@link xner.serve.AnnotateServer}), decisions out, appended and forced to disk in Prodigy's
 * layout ({@link xner.serve.DecisionLog}).
 */
package xner.serve;
