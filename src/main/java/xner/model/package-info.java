/** Step 3. Ids in, hidden states and logits out: the BERT / XLM-R encoder on DJL + PyTorch with Hugging Face parameter names, its heads, and weight readers and writers. */
package xner.model;
