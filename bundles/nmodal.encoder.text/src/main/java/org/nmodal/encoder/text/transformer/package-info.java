/**
 * The shared base of nmodal's transformer text encoders (MiniLM here, bge-small in {@code nmodal.encoder.bge}): an
 * ONNX sentence-embedding model with its Hugging Face tokenizer on DJL's ONNX Runtime engine, pooled and
 * L2-normalised, with a pool of predictors, calls drained before the model closes, and the model files extracted
 * once from the bundle into the work folder.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.encoder.text.transformer;
