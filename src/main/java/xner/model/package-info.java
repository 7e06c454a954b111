/**
 * Step 3. Ids in, hidden states and logits out: the BERT / XLM-R (RoBERTa, CamemBERT) / DistilBERT encoder on DJL +
 * PyTorch with Hugging Face parameter names and its heads, loaded through a {@link xner.model.weights.WeightReader}
 * (the weight files are {@code xner.model.weights}'s) or converted from Google's TensorFlow release;
 * a model named by folder or by hub id ({@link xner.model.ModelSource}, fetched by {@link xner.model.HubModelFiles});
 * {@link xner.model.LogitsModel}, what inference runs: the libtorch {@link xner.model.TokenClassifier} here, or the
 * same network on ONNX Runtime in {@code xner.onnx}. {@link xner.model.TensorDevice} says where libtorch keeps a
 * model's tensors.
 */
package xner.model;
