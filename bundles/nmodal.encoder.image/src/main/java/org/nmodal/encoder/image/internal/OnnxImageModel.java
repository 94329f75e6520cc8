package org.nmodal.encoder.image.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.api.media.MediaException;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.djl.OnnxFiles;

/**
 * Any ONNX image model on ONNX Runtime: the image is resized to {@code size x size} (bilinear, pixel centres, or
 * corners aligned as TensorFlow.js's {@code resizeBilinear(..., alignCorners=true)} for models that were trained
 * so), scaled to [0, 1], normalised per channel with {@code mean} and {@code std}, fed as NCHW float, and the named
 * output (or the first) is flattened into the feature vector. One predictor, used by one call at a time.
 */
final class OnnxImageModel implements AutoCloseable {
    private final Model model;
    private final Predictor<DecodedImage, float[]> predictor;

    OnnxImageModel(Path file, Device device, int size, float[] mean, float[] std, String output)
            throws IOException, MalformedModelException {
        this(file, device, size, mean, std, output, false);
    }

    OnnxImageModel(Path file, Device device, int size, float[] mean, float[] std, String output,
            boolean alignCorners) throws IOException, MalformedModelException {
        model = OnnxFiles.load(file, device);
        predictor = model.newPredictor(new Translator<DecodedImage, float[]>() {
            @Override
            public NDList processInput(TranslatorContext ctx, DecodedImage img) {
                return new NDList(ctx.getNDManager().create(chw(img, size, mean, std, alignCorners),
                        new Shape(3, size, size)));
            }

            @Override
            public float[] processOutput(TranslatorContext ctx, NDList list) {
                return OnnxFiles.output(list, output).toFloatArray();
            }

            @Override
            public Batchifier getBatchifier() {
                return Batchifier.STACK;
            }
        });
    }

    synchronized List<float[]> embed(List<DecodedImage> images) throws TranslateException {
        if (closed) {
            throw new IllegalStateException("the image model has stopped");
        }
        return predictor.batchPredict(images);
    }

    /** Set when the model is freed; guarded by this object, as the calls are. */
    private boolean closed;

    /**
     * One encoding per input, in batches of {@code batchSize}: image files are decoded (a bad file fails alone, with
     * the decoder's line), the rest go through the model together; a model call that fails is retried one image at
     * a time, so one image the engine refuses does not sink the others.
     *
     * @param name the encoder's name, for the error lines
     */
    List<Encoding> encodeFiles(MediaDecoder media, String name, List<? extends ModalityInput> inputs, int batchSize) {
        Encoding[] out = new Encoding[inputs.size()];
        for (int from = 0; from < out.length; from += Math.max(1, batchSize)) {
            int to = Math.min(out.length, from + Math.max(1, batchSize));
            List<DecodedImage> images = new ArrayList<>();
            List<Integer> slots = new ArrayList<>();
            for (int i = from; i < to; i++) {
                ModalityInput in = inputs.get(i);
                if (!(in instanceof ImageFile file)) {
                    out[i] = Encoding.failed(name + " encodes image files, not "
                            + (in == null ? "null" : in.getClass().getSimpleName()));
                    continue;
                }
                try {
                    images.add(media.image(file.path()));
                    slots.add(i);
                } catch (MediaException e) {
                    out[i] = Encoding.failed(e.getMessage());
                } catch (RuntimeException e) {
                    out[i] = Encoding.failed(name + ": cannot decode " + file.path() + ": " + e);
                }
            }
            if (images.isEmpty()) {
                continue;
            }
            try {
                List<float[]> vectors = embed(images);
                for (int k = 0; k < slots.size(); k++) {
                    out[slots.get(k)] = Encoding.of(vectors.get(k));
                }
            } catch (Exception e) {
                for (int k = 0; k < slots.size(); k++) {
                    try {
                        out[slots.get(k)] = images.size() == 1 ? Encoding.failed(name + " failed: " + e.getMessage())
                                : Encoding.of(embed(List.of(images.get(k))).get(0));
                    } catch (Exception single) {
                        out[slots.get(k)] = Encoding.failed(name + " failed: " + single.getMessage());
                    }
                }
            }
        }
        return Arrays.asList(out);
    }

    /** Bilinear resize to size x size (pixel centres), [0,1] scaling and per-channel normalisation, channel-major. */
    static float[] chw(DecodedImage img, int size, float[] mean, float[] std) {
        return chw(img, size, mean, std, false);
    }

    /**
     * As {@link #chw(DecodedImage, int, float[], float[])}; with {@code alignCorners} the corner pixels of source
     * and target coincide (source position {@code x * (in - 1) / (size - 1)}), as in TensorFlow.js, and an image
     * of the target size is taken as it is.
     */
    static float[] chw(DecodedImage img, int size, float[] mean, float[] std, boolean alignCorners) {
        float[] out = new float[3 * size * size];
        boolean same = img.width() == size && img.height() == size;
        double sx = alignCorners ? (size > 1 ? (img.width() - 1) / (double) (size - 1) : 0)
                : img.width() / (double) size;
        double sy = alignCorners ? (size > 1 ? (img.height() - 1) / (double) (size - 1) : 0)
                : img.height() / (double) size;
        for (int y = 0; y < size; y++) {
            double fy = same ? y : alignCorners ? y * sy : Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min(img.height() - 1, (int) fy);
            int y1 = Math.min(img.height() - 1, y0 + 1);
            double wy = fy - y0;
            for (int x = 0; x < size; x++) {
                double fx = same ? x : alignCorners ? x * sx : Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min(img.width() - 1, (int) fx);
                int x1 = Math.min(img.width() - 1, x0 + 1);
                double wx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    double v = (1 - wy) * ((1 - wx) * img.channel(x0, y0, c) + wx * img.channel(x1, y0, c))
                            + wy * ((1 - wx) * img.channel(x0, y1, c) + wx * img.channel(x1, y1, c));
                    out[c * size * size + y * size + x] = (float) ((v / 255.0 - mean[c]) / std[c]);
                }
            }
        }
        return out;
    }

    /** Frees the model once the call in progress is done (freeing it under a running call crashes the engine). */
    @Override
    public synchronized void close() {
        closed = true;
        predictor.close();
        model.close();
    }
}
