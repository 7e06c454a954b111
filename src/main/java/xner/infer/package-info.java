/**
 * Step 6. Text in, entities out: fill-mask guesses of the pretrained body, and the token-classification
 * pipeline as transformers' {@code pipeline("ner")}.
 *
 * <p>{@link xner.infer.TagPipeline#tag(String)} → preprocess (tokenize the whole text, then cut it into
 * overlapping {@link xner.infer.Windows} when it is longer than the model's window: a {@code Windowed} input)
 * → forward (windows in passes of similar length, padded as training pads its batches, through a
 * {@link xner.model.LogitsModel} on libtorch or ONNX Runtime, {@link xner.infer.ModelRuntime}) → postprocess (each token from the window that owns it, softmax) → {@link xner.infer.Tagged} (every
 * token with its label probabilities)
 * → {@link xner.infer.Aggregation#group} → {@link xner.infer.EntityGroup}s ({@code PER "Jeff Dean" 0–9}) or
 * {@link xner.infer.TokenPrediction}s. Aggregation is plain Java over probabilities, testable without a model.
 * {@link xner.infer.FileTagger} streams files through the pipeline; {@link xner.infer.InferenceBenchmark} times it.
 * {@link xner.infer.Outcome#each} ({@link xner.infer.TagPipeline#tagEach}) finds the inputs that fail a batch by
 * bisection, for {@code FileTagger}, {@code select}, the service's batcher and Spark's partitions alike.
 */
package xner.infer;
