/** Step 6. Text in, entities out: the token-classification pipeline. */
package xner.infer;
