/** Step 4. A model and sentences in, a fine-tuned model out. */
package xner.train;
