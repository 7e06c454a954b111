/**
 * Step 3. Ids in, hidden states and logits out: the BERT / XLM-R (RoBERTa, CamemBERT) / DistilBERT encoder on DJL +
 * PyTorch with Hugging Face parameter names, its heads, and weight readers and writers ({@link xner.model.WeightReader}:
 * safetensors and its shards, PyTorch's {@code pytorch_model.bin} through a restricted unpickler, a TensorFlow bundle);
 * a model named by folder or by hub id ({@link xner.model.ModelSource}, fetched by {@link xner.model.HubModelFiles});
 * the token classifier as ONNX ({@link xner.model.OnnxExport}, int8 by {@link xner.model.OnnxQuantizer}) and run by
 * ONNX Runtime ({@link xner.model.OnnxTokenClassifier}, in the fused operators {@code OnnxRuntimeForm} builds as it
 * loads), both behind {@link xner.model.LogitsModel}. {@link xner.model.TensorDevice} says where libtorch keeps a
 * model's tensors.
 */
package xner.model;
