package org.nmodal.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loading a user's {@code .onnx} file on ONNX Runtime, with errors that name the file. */
public final class OnnxFiles {
    private OnnxFiles() {}

    /**
     * Loads the model in {@code file} on ONNX Runtime.
     *
     * @throws IOException naming the file when it is missing or does not load
     */
    public static Model load(Path file, Device device) throws IOException, MalformedModelException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such ONNX model file");
        }
        String name = file.getFileName().toString();
        String prefix = name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
        Model model = Model.newInstance(prefix, device, "OnnxRuntime");
        try {
            model.load(file.toAbsolutePath().getParent(), prefix);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The output a model configuration names, or the first one when the name is blank.
     *
     * @throws IllegalStateException when the model has no output of that name
     */
    public static NDArray output(NDList outputs, String name) {
        NDArray out = name == null || name.isBlank() ? outputs.get(0) : outputs.get(name);
        if (out == null) {
            throw new IllegalStateException("the model has no output '" + name + "'");
        }
        return out;
    }
}
