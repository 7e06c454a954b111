/**
 * Step 5. Gold and predicted tags in, entity-level scores out, exactly as seqeval computes them; per-token losses
 * and predictions in, the chapter's error analysis out (losses by token and by label, confusion matrix, worst
 * sequences). No DJL type here.
 */
package xner.evaluate;
