/**
 * Step 5. A model on either runtime run once over labelled examples ({@link xner.evaluate.ScoredTokens}: each
 * token's prediction, probability and cross-entropy), and its views: entity-level scores exactly as seqeval computes
 * them ({@link xner.evaluate.Evaluation}), the chapter's error analysis (losses by token and by label, confusion
 * matrix, worst sequences) and the words' logits a temperature is fitted on. Training (step 4) scores validation
 * through it after every epoch, as Hugging Face's {@code Trainer} calls {@code compute_metrics}; nothing here
 * imports {@code xner.train}. No DJL type here.
 */
package xner.evaluate;
