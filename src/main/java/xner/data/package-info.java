/** Step 1. Files in, sentences out: readers for PAN-X, CoNLL and JSON Lines, the label set, Hugging Face-exact shuffling and the Swiss corpus. No DJL type here. */
package xner.data;
