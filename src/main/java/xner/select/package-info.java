/**
 * Step 7, between tagging and the command line. A pool of unannotated texts in, the few most worth annotating out:
 * active learning's choice. {@link xner.select.PoolSelector} streams the pool through the tagging pipeline, scores
 * each text by a {@link xner.select.Strategy} ({@code mnlp}, {@code entropy} over each word's first sub-token, or a
 * seeded {@code random} key) and keeps the best in a bounded {@link xner.select.Shortlist}; the chosen texts are
 * written as {@code tag}'s JSON Lines, their entities a pre-annotation for the annotator, which
 * {@link xner.data.SpanReader} reads back once corrected. Plain Java over the pipeline's probabilities: no DJL type.
 */
package xner.select;
