/** Step 5. Gold and predicted tags in, entity-level scores out, exactly as seqeval computes them. No DJL type here. */
package xner.evaluate;
