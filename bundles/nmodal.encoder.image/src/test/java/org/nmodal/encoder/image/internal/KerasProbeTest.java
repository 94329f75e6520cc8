package org.nmodal.encoder.image.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.api.media.MediaException;
import org.nmodal.djl.OnnxFiles;
import org.nmodal.media.StandaloneMedia;

/**
 * Opt-in ({@code -Dprobe.model=<file.onnx> -Dprobe.name=<nsfwjs model name> -Dprobe.size=<side>}): the same check
 * as {@link NsfwjsConversionTest} for a network converted by hand with {@code src/build/convert.mjs}, as was done
 * for nsfwjs's Keras {@code mobilenet_v2} and {@code inception_v3} when choosing the image network (README).
 * The converted network against the npm package's own model run by TensorFlow.js (pure JavaScript, CPU) in Node:
 * each image is decoded and resized once, here, and the very same float tensors go to both networks, so the check
 * compares the networks and not two JPEG decoders. Real tweet images from {@code ../shared/data/twitter1} when that
 * folder is beside the repository; generated images otherwise (said on the console).
 */
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "probe.model", matches = ".+")
class KerasProbeTest {
    static final Path MODEL = Path.of(System.getProperty("probe.model", "none"));
    static final Path TWITTER = Path.of("../../../shared/data/twitter1/images");
    static final int IMAGES = 20;
    static final int SIZE = Integer.getInteger("probe.size", 224);

    @Test
    void probabilitiesMatchTensorFlowJs() throws Exception {
        List<DecodedImage> images = images();
        int n = images.size();
        int per = 3 * SIZE * SIZE;
        float[][] chw = new float[n][];
        Path dir = Files.createDirectories(Path.of("target/nsfwjs-check"));
        ByteBuffer nhwc = ByteBuffer.allocate(n * per * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            // the encoder's own pre-processing, so the check covers what the encoder feeds the network
            chw[i] = OnnxImageModel.chw(images.get(i), SIZE, new float[3], new float[] {1, 1, 1}, true);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    for (int c = 0; c < 3; c++) {
                        nhwc.putFloat(chw[i][c * SIZE * SIZE + y * SIZE + x]);
                    }
                }
            }
        }
        Path in = dir.resolve("inputs.f32");
        Path out = dir.resolve("tfjs-probabilities.f32");
        Files.write(in, nhwc.array());
        Files.deleteIfExists(out);
        Process node = new ProcessBuilder("node", "src/build/tfjs-reference.mjs", "target/npm", System.getProperty("probe.name"),
                String.valueOf(SIZE), in.toString(), out.toString()).redirectErrorStream(true).start();
        String log = new String(node.getInputStream().readAllBytes());
        assertTrue(node.waitFor(10, TimeUnit.MINUTES), "tfjs took over 10 minutes");
        assertEquals(0, node.exitValue(), "tfjs reference failed: " + log);
        System.out.println(log.lines().filter(l -> l.startsWith("tfjs")).findFirst().orElse(log));
        ByteBuffer ref = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(n * 5 * 4, ref.capacity(), "five probabilities per image from tfjs");

        double worst = 0;
        try (Model model = OnnxFiles.load(MODEL, Device.cpu());
                Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
                NDManager manager = NDManager.newBaseManager(Device.cpu(), "OnnxRuntime")) {
            for (int i = 0; i < n; i++) {
                NDArray x = manager.create(chw[i], new Shape(1, 3, SIZE, SIZE));
                x.setName("input");
                NDList result = predictor.predict(new NDList(x));
                float[] p = OnnxFiles.output(result, "probabilities").toFloatArray();
                System.out.println("features " + OnnxFiles.output(result, "features").toFloatArray().length);
                for (int k = 0; k < 5; k++) {
                    worst = Math.max(worst, Math.abs(p[k] - ref.getFloat((i * 5 + k) * 4)));
                }
            }
        }
        System.out.printf(MODEL + ", ONNX vs tfjs: max |difference| of the probabilities over %d "
                + "images: %.3g%n", n, worst);
        assertTrue(worst <= 1e-3, "max |difference| " + worst);
    }

    private static List<DecodedImage> images() throws IOException {
        List<DecodedImage> out = new ArrayList<>();
        if (Files.isDirectory(TWITTER)) {
            MediaDecoder media = decoder();
            List<Path> files;
            try (Stream<Path> s = Files.list(TWITTER)) {
                files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
            }
            // spread over the folder, not only the first user's pictures
            int step = Math.max(1, files.size() / IMAGES);
            for (int i = 0; i < files.size() && out.size() < IMAGES; i += step) {
                try {
                    out.add(media.image(files.get(i)));
                } catch (MediaException e) {
                    System.out.println("skipped " + e.getMessage());
                }
            }
            System.out.println("conversion check on " + out.size() + " Twitter I images from " + TWITTER);
            return out;
        }
        System.out.println("conversion check on " + IMAGES + " GENERATED images: " + TWITTER.toAbsolutePath()
                + " is absent");
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < IMAGES; i++) {
            int w = 100 + random.nextInt(300);
            int h = 100 + random.nextInt(300);
            byte[] rgb = new byte[3 * w * h];
            int fx = 1 + random.nextInt(9);
            int fy = 1 + random.nextInt(9);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int o = 3 * (y * w + x);
                    rgb[o] = (byte) (127 + 127 * Math.sin(x * fx / 40.0));
                    rgb[o + 1] = (byte) (127 + 127 * Math.cos(y * fy / 30.0));
                    rgb[o + 2] = (byte) random.nextInt(256);
                }
            }
            out.add(new DecodedImage(w, h, rgb, 0));
        }
        return out;
    }

    private static MediaDecoder decoder() {
        return StandaloneMedia.decoder(Map.of("maxFileBytes", 1L << 26, "maxPixels", 1L << 25, "maxVideoSeconds", 60,
                "maxAudioSeconds", 60));
    }
}
