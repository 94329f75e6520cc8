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
 * The converted network against the npm package's own model run by TensorFlow.js (pure JavaScript, CPU) in Node:
 * each image is decoded and resized once, here, and the very same float tensors go to both networks, so the check
 * compares the networks and not two JPEG decoders. Real tweet images from {@code ../shared/data/twitter1} when that
 * folder is beside the repository; generated images otherwise (said on the console).
 */
class NsfwjsConversionTest {
    static final Path MODEL = Path.of("target/classes/model", MobileNetImageEncoder.MODEL_FILE);
    static final Path TWITTER = Path.of("../../../shared/data/twitter1/images");
    static final int IMAGES = 20;
    static final int SIZE = MobileNetImageEncoder.SIZE;

    @Test
    void probabilitiesMatchTensorFlowJs() throws Exception {
        double worst = worstDifference(MODEL, "MobileNetV2Mid", SIZE, MobileNetImageEncoder.DIMENSION);
        System.out.printf("nsfwjs mobilenet_v2_mid, ONNX vs tfjs: max |difference| of the probabilities: %.3g%n",
                worst);
        assertTrue(worst <= 1e-3, "max |difference| " + worst);
    }

    /**
     * The largest difference between the five probabilities of the converted network {@code model} and of the
     * package's model {@code nsfwjsName} run by TensorFlow.js, over the same inputs; also checks the feature width.
     */
    static double worstDifference(Path onnx, String nsfwjsName, int side, int dimension) throws Exception {
        List<DecodedImage> images = images();
        int n = images.size();
        int per = 3 * side * side;
        float[][] chw = new float[n][];
        Path dir = Files.createDirectories(Path.of("target/nsfwjs-check"));
        ByteBuffer nhwc = ByteBuffer.allocate(n * per * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            // the encoder's own pre-processing, so the check covers what the encoder feeds the network
            chw[i] = OnnxImageModel.chw(images.get(i), side, new float[3], new float[] {1, 1, 1}, true);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    for (int c = 0; c < 3; c++) {
                        nhwc.putFloat(chw[i][c * side * side + y * side + x]);
                    }
                }
            }
        }
        Path in = dir.resolve("inputs.f32");
        Path out = dir.resolve("tfjs-probabilities.f32");
        Files.write(in, nhwc.array());
        Files.deleteIfExists(out);
        Process node = new ProcessBuilder("node", "src/build/tfjs-reference.mjs", "target/npm", nsfwjsName,
                String.valueOf(side), in.toString(), out.toString()).redirectErrorStream(true).start();
        String log = new String(node.getInputStream().readAllBytes());
        assertTrue(node.waitFor(10, TimeUnit.MINUTES), "tfjs took over 10 minutes");
        assertEquals(0, node.exitValue(), "tfjs reference failed: " + log);
        System.out.println(log.lines().filter(l -> l.startsWith("tfjs")).findFirst().orElse(log));
        ByteBuffer ref = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(n * 5 * 4, ref.capacity(), "five probabilities per image from tfjs");

        double worst = 0;
        try (Model model = OnnxFiles.load(onnx, Device.cpu());
                Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
                NDManager manager = NDManager.newBaseManager(Device.cpu(), "OnnxRuntime")) {
            for (int i = 0; i < n; i++) {
                NDArray x = manager.create(chw[i], new Shape(1, 3, side, side));
                x.setName("input");
                NDList result = predictor.predict(new NDList(x));
                float[] p = OnnxFiles.output(result, "probabilities").toFloatArray();
                assertEquals(dimension, OnnxFiles.output(result, "features").toFloatArray().length);
                for (int k = 0; k < 5; k++) {
                    worst = Math.max(worst, Math.abs(p[k] - ref.getFloat((i * 5 + k) * 4)));
                }
            }
        }
        System.out.printf("%d images%n", n);
        return worst;
    }

    @Test
    void encoderGivesFeaturesAndFailsBadInputsAlone() throws Exception {
        MediaDecoder media = decoder();
        Path dir = Files.createDirectories(Path.of("target/nsfwjs-check"));
        Path png = dir.resolve("gradient.png");
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(50, 40,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 50; x++) {
                img.setRGB(x, y, (x * 5) << 16 | (y * 6) << 8 | 90);
            }
        }
        javax.imageio.ImageIO.write(img, "png", png.toFile());
        MobileNetImageEncoder encoder = new MobileNetImageEncoder(Engine.getEngine("OnnxRuntime"), media, MODEL,
                "cpu", 2);
        try {
            assertTrue(encoder.version().startsWith("nsfwjs-4.4.0/mobilenet_v2_mid/"), encoder.version());
            List<Encoding> out = encoder.encode(List.of(new ImageFile(png), new ImageFile(dir.resolve("none.png")),
                    new ImageFile(png)));
            assertEquals(3, out.size());
            assertEquals(MobileNetImageEncoder.DIMENSION, out.get(0).vector().length);
            assertFalse(out.get(1).ok());
            float[] a = out.get(0).vector();
            float[] b = out.get(2).vector();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-5, "same image, same feature, whatever its batch");
            }
        } finally {
            encoder.deactivate();
        }
    }

    /** Twitter I images when the shared data is beside the repository, generated ones otherwise. */
    static List<DecodedImage> images() throws IOException {
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
