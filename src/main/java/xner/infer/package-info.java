/**
 * Step 6. Text in, entities out: fill-mask guesses of the pretrained body, and the token-classification
 * pipeline (tokenize → forward → softmax → group into entities).
 */
package xner.infer;
