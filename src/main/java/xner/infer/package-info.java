/**
 * Step 6. Text in, entities out: fill-mask guesses of the pretrained body, and the token-classification
 * pipeline as transformers' {@code pipeline("ner")}.
 *
 * <p>{@link xner.infer.TagPipeline#tag(String)} → tokenize (the whole text, then overlapping
 * {@link xner.infer.Windows} when it is longer than the model's window) → forward (batches of similar length,
 * one memory scope per call) → softmax → {@link xner.infer.Tagged} (every token with its label probabilities)
 * → {@link xner.infer.Aggregation#group} → {@link xner.infer.EntityGroup}s ({@code PER "Jeff Dean" 0–9}) or
 * {@link xner.infer.TokenPrediction}s. Aggregation is plain Java over probabilities, testable without a model.
 * {@link xner.infer.FileTagger} streams files through the pipeline; {@link xner.infer.InferenceBenchmark} times it.
 */
package xner.infer;
