/**
 * Step 3, second runtime. The token classifier of {@code xner.model} written as ONNX ({@link xner.onnx.OnnxExport},
 * Optimum's folder layout; int8 by {@link xner.onnx.OnnxQuantizer}) and run by ONNX Runtime
 * ({@link xner.onnx.OnnxTokenClassifier}, a {@link xner.model.LogitsModel} like libtorch's, in the fused operators
 * {@code OnnxRuntimeForm} builds as it loads). Graphs are built with ONNX's own protobuf builders through a small
 * helper ({@code OnnxGraph}).
 */
package xner.onnx;
